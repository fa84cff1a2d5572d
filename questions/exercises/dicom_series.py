"""A DICOM series for a geometry exercise: one CT Image Storage file per slice, zipped.
No Django here.

Every file carries the exercise's Image Orientation (Patient), its own Image Position
(Patient), Pixel Spacing and Slice Thickness, exactly as the page lists them, and the same
synthetic phantom as dicom_file.py (the slices differ only in where they are). Files are
named as the exercise names them (A.dcm, B.dcm, ...; shuffled against position at the hard
level), and Instance Number follows the file names, not the positions, so that sorting
needs the geometry. Slice Location is left out: its meaning is not defined across vendors.

Like dicom_file.build_dicom, the bytes depend on the exercise (and `identity`) alone: UIDs
are name-based UUIDs (PS3.5 B.2), dates and times fixed, the zip's time stamps too.
Checked with dciodvfy (dicom3tools).
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile

import numpy as np
from pydicom.dataset import Dataset
from pydicom.uid import CTImageStorage

from .base import Exercise
from .dicom_file import part10_bytes, set_equipment
from .dicom_geometry import KIND

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "quizsite:exercises:dicom_series")
_DATE = "20240312"
_TIME = "101712"
_ZIP_TIME = (2024, 3, 12, 10, 17, 12)
# HU of the phantom, and the CT rescale that stores them.
_AIR, _FAT, _SOFT_TISSUE, _LUNG, _BONE = -1000, -100, 40, -850, 700
_INTERCEPT = -1024


def build_series(exercise: Exercise, *, identity: str = "") -> bytes:
    """The series as a zip of DICOM Part 10 files (Explicit VR Little Endian).

    `identity` names whose copy this is (inside a quiz, a secret of the attempt's item): it
    replaces (kind, seed, level) in every UID and the patient ID, so that nothing in the
    files leads back to the seed. Raises ValueError for another kind of exercise.
    """
    if exercise.kind != KIND:
        raise ValueError(f"only {KIND!r} exercises become DICOM series, not {exercise.kind!r}")
    name = identity or f"{exercise.kind}|{exercise.seed}|{exercise.level}"
    data = exercise.data
    pixels = _phantom(int(data["rows"]), int(data["columns"]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, entry in enumerate(data["slices"], start=1):
            info = zipfile.ZipInfo(entry["file"], date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, _slice(exercise, name, entry, number, pixels))
    return buffer.getvalue()


def _uid(name: str, what: str) -> str:
    return f"2.25.{uuid.uuid5(_NAMESPACE, f'{name}|{what}').int}"


def _ds(value: float) -> str:
    """A Decimal String of at most 16 characters, integers without '.0'."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.10g}"


def _slice(exercise: Exercise, name: str, entry: dict, number: int, pixels: np.ndarray) -> bytes:
    data = exercise.data
    rows, columns = pixels.shape
    row_spacing, column_spacing = data["pixel_spacing"]
    ds = Dataset()
    # SOP Common
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = _uid(name, f"SOPInstanceUID|{entry['file']}")
    ds.InstanceCreationDate = _DATE
    ds.InstanceCreationTime = _TIME
    # Patient: invented
    ds.PatientName = "FAKE^CANDIDATE"
    ds.PatientID = "FAKE-" + hashlib.sha256(name.encode()).hexdigest()[:8].upper()
    ds.PatientBirthDate = ""
    ds.PatientSex = "O"
    # General Study
    ds.StudyInstanceUID = _uid(name, "StudyInstanceUID")
    ds.StudyDate = _DATE
    ds.StudyTime = _TIME
    ds.ReferringPhysicianName = ""
    ds.StudyID = "1"
    ds.AccessionNumber = ""
    ds.StudyDescription = "SYNTHETIC CT PHANTOM"
    # General Series
    ds.Modality = "CT"
    ds.SeriesInstanceUID = _uid(name, "SeriesInstanceUID")
    ds.SeriesNumber = 3
    ds.SeriesDate = _DATE
    ds.SeriesTime = _TIME
    ds.SeriesDescription = f"{str(data['plane']).upper()}{' OBLIQUE' if data['oblique'] else ''}"
    ds.BodyPartExamined = "CHEST"  # unpaired: no Laterality needed
    # Type 2, left empty: the orientations vary (some are flipped) and the phantom is not
    # a scan, so no one patient position would be true of every exercise.
    ds.PatientPosition = ""
    # Frame of Reference: one for the whole series, so positions compare between files
    ds.FrameOfReferenceUID = _uid(name, "FrameOfReferenceUID")
    ds.PositionReferenceIndicator = ""
    set_equipment(ds)
    # General Acquisition and General Image
    ds.AcquisitionNumber = 1
    ds.AcquisitionDate = _DATE
    ds.AcquisitionTime = _TIME
    ds.InstanceNumber = number  # follows the file names, not the positions
    ds.ContentDate = _DATE
    ds.ContentTime = _TIME
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.LossyImageCompression = "00"
    ds.BurnedInAnnotation = "NO"
    # Image Plane: the exercise's numbers, exactly as the page shows them
    ds.PixelSpacing = [_ds(row_spacing), _ds(column_spacing)]
    ds.ImageOrientationPatient = [_ds(v) for v in data["orientation"]]
    ds.ImagePositionPatient = [_ds(v) for v in entry["position"]]
    ds.SliceThickness = _ds(data["slice_thickness"])
    # Image Pixel and CT Image
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = columns
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.RescaleIntercept = str(_INTERCEPT)
    ds.RescaleSlope = "1"
    ds.RescaleType = "HU"
    ds.KVP = "120"
    ds.DataCollectionDiameter = "500"
    ds.ReconstructionDiameter = _ds(column_spacing * columns)
    ds.ConvolutionKernel = "STANDARD"
    ds.XRayTubeCurrent = 200
    ds.ExposureTime = 1000
    ds.WindowCenter = "40"
    ds.WindowWidth = "400"
    ds.PixelData = pixels.astype("<u2").tobytes()
    return part10_bytes(ds)


def _phantom(rows: int, columns: int) -> np.ndarray:
    """Stored values (uint16) of a simple chest-like section: body, lungs, a spine."""
    y, x = np.mgrid[0:rows, 0:columns]
    y = y / rows
    x = x / columns

    def ellipse(cy: float, cx: float, ry: float, rx: float) -> np.ndarray:
        return ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1

    hu = np.full((rows, columns), float(_AIR))
    hu[ellipse(0.52, 0.5, 0.34, 0.44)] = _FAT
    hu[ellipse(0.52, 0.5, 0.31, 0.41)] = _SOFT_TISSUE
    hu[ellipse(0.48, 0.32, 0.18, 0.12) | ellipse(0.48, 0.68, 0.18, 0.12)] = _LUNG
    hu[ellipse(0.72, 0.5, 0.06, 0.05)] = _BONE
    # A mark in the first row's first pixels, so a viewer shows where (0, 0) is.
    hu[: max(rows // 32, 2), : max(columns // 32, 2)] = _BONE
    return (hu - _INTERCEPT).astype(np.uint16)
