"""A real DICOM Part 10 file for a DICOM exercise: a synthetic CT slice. No Django here.

`build_dicom(exercise)` writes a CT Image Storage object (PS3.3 A.3) that carries the
exercise's numbers: RescaleSlope/RescaleIntercept, the window, every attribute listed in
`data["attributes"]` with exactly its listed value, and the exact stored values of
`data["pixels"]` at their (row, column) inside a simple phantom (air, fat, soft tissue, lungs,
ribs, a vertebra and a small nodule). When BurnedInAnnotation is YES the patient's name and ID
are burned into the top-left corner, so the picture matches the answer to "do the pixels need
cleaning?".

The file depends on the exercise alone: every UID is derived from (kind, seed, level), or a
quiz item's secret, under pydicom's root (dicom.exercise_uid), and dates and times are fixed,
so the same exercise always gives the same bytes and two exercises never share a study,
series, instance or frame of reference.
Every name and identifier in it is fake. Checked with dciodvfy (dicom3tools).
"""

from __future__ import annotations

import hashlib
import io
import uuid

import numpy as np
from pydicom.datadict import dictionary_VR
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.uid import UID, CTImageStorage, ExplicitVRLittleEndian

from .base import Exercise
from .dicom import KIND, UID_KEYWORDS, exercise_name, exercise_uid

# The implementation's own UID: "2.25." + a name-based UUID as an integer (PS3.5 B.2).
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "quizsite:exercises:dicom_file")
IMPLEMENTATION_CLASS_UID = f"2.25.{uuid.uuid5(_NAMESPACE, 'implementation').int}"
IMPLEMENTATION_VERSION_NAME = "QUIZSITE_1"

# Used when the exercise does not list the attribute; they agree with dicom.py's example
# values (same study date, 512 x 512 at 0.703125 mm) so a partial listing stays consistent.
_SIZE = 512
_PIXEL_SPACING = "0.703125\\0.703125"
_DATE = "20240312"
_STUDY_TIME = "101532"
_SERIES_TIME = "101605"
_CONTENT_TIME = "101712"
_SLICE_Z = -120.0

# Phantom tissues in HU.
_AIR, _FAT, _SOFT_TISSUE, _LUNG, _NODULE = -1000, -100, 40, -850, 30
_CORTICAL_BONE, _CANCELLOUS_BONE, _TEXT = 700, 250, 3071

# A 3 x 5 pixel font for burned-in text: five rows of three bits per glyph.
_FONT = {
    " ": "000 000 000 000 000",
    "^": "010 101 000 000 000",
    "-": "000 000 111 000 000",
    ".": "000 000 000 000 010",
    ",": "000 000 000 010 100",
    "0": "111 101 101 101 111",
    "1": "010 110 010 010 111",
    "2": "111 001 111 100 111",
    "3": "111 001 111 001 111",
    "4": "101 101 111 001 001",
    "5": "111 100 111 001 111",
    "6": "111 100 111 101 111",
    "7": "111 001 010 010 010",
    "8": "111 101 111 101 111",
    "9": "111 101 111 001 111",
    "A": "010 101 111 101 101",
    "B": "110 101 110 101 110",
    "C": "011 100 100 100 011",
    "D": "110 101 101 101 110",
    "E": "111 100 110 100 111",
    "F": "111 100 110 100 100",
    "G": "011 100 101 101 011",
    "H": "101 101 111 101 101",
    "I": "111 010 010 010 111",
    "J": "001 001 001 101 010",
    "K": "101 101 110 101 101",
    "L": "100 100 100 100 111",
    "M": "101 111 111 101 101",
    "N": "110 101 101 101 101",
    "O": "010 101 101 101 010",
    "P": "110 101 110 100 100",
    "Q": "010 101 101 110 011",
    "R": "110 101 110 101 101",
    "S": "011 100 010 001 110",
    "T": "111 010 010 010 010",
    "U": "101 101 101 101 111",
    "V": "101 101 101 101 010",
    "W": "101 101 111 111 101",
    "X": "101 101 010 101 101",
    "Y": "101 101 010 010 010",
    "Z": "111 001 010 100 111",
}
_TEXT_SCALE = 3


def build_dicom(exercise: Exercise, *, identity: str = "") -> bytes:
    """The exercise as a DICOM Part 10 file (Explicit VR Little Endian), byte for byte stable.

    `identity` names whose copy this is: inside a quiz, a secret drawn for the attempt's item,
    so that neither the UIDs nor the patient ID (in the header and burned into the pixels)
    can be traced back to the seed, which would unlock the answers. Without one, the file is
    named after (kind, seed, level), whose page is public anyway.

    Raises ValueError when the exercise cannot be a valid CT file: not a DICOM exercise, a
    pixel outside the image, or a stored value that does not fit the listed BitsStored.
    """
    listed = _listed(exercise)
    image = pixel_image(exercise, identity=identity)
    bits_stored = _bits_stored(listed)
    name = identity or exercise_name(exercise.seed, exercise.level)
    uids = {keyword: exercise_uid(name, keyword) for keyword in UID_KEYWORDS}
    spacing = [float(v) for v in listed.get("PixelSpacing", _PIXEL_SPACING).split("\\")]
    rows, columns = image.shape
    window = exercise.data["window"]

    ds = Dataset()
    # SOP Common
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = uids["SOPInstanceUID"]
    ds.InstanceCreationDate = _DATE
    ds.InstanceCreationTime = _CONTENT_TIME
    # Patient: obviously fake unless the exercise lists the value to show
    ds.PatientName = "FAKE^CANDIDATE"
    ds.PatientID = fake_patient_id(exercise, identity)
    ds.PatientBirthDate = ""
    ds.PatientSex = "O"
    # General Study
    ds.StudyInstanceUID = uids["StudyInstanceUID"]
    ds.StudyDate = _DATE
    ds.StudyTime = _STUDY_TIME
    ds.ReferringPhysicianName = ""
    ds.StudyID = "1"
    ds.AccessionNumber = ""
    ds.StudyDescription = "SYNTHETIC CT PHANTOM"
    # General Series
    ds.Modality = "CT"
    ds.SeriesInstanceUID = uids["SeriesInstanceUID"]
    ds.SeriesNumber = 2
    ds.SeriesDate = _DATE
    ds.SeriesTime = _SERIES_TIME
    ds.SeriesDescription = "AXIAL 5MM"
    ds.BodyPartExamined = "CHEST"
    ds.PatientPosition = "HFS"
    # Frame of Reference
    ds.FrameOfReferenceUID = uids["FrameOfReferenceUID"]
    ds.PositionReferenceIndicator = ""
    set_equipment(ds)
    # General Acquisition and General Image
    ds.AcquisitionNumber = 1
    ds.AcquisitionDate = _DATE
    ds.AcquisitionTime = _CONTENT_TIME
    ds.InstanceNumber = 1
    ds.ContentDate = _DATE
    ds.ContentTime = _CONTENT_TIME
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.LossyImageCompression = "00"
    ds.BurnedInAnnotation = "NO"
    # Image Plane: the centre of the image on the scanner axis
    ds.PixelSpacing = _PIXEL_SPACING
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.ImagePositionPatient = [
        _ds(-spacing[1] * (columns - 1) / 2),
        _ds(-spacing[0] * (rows - 1) / 2),
        _ds(_SLICE_Z),
    ]
    ds.SliceThickness = "5"
    ds.SliceLocation = _ds(_SLICE_Z)
    # Image Pixel and CT Image
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = columns
    ds.BitsAllocated = 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 0
    ds.RescaleIntercept = _ds(exercise.data["rescale_intercept"])
    ds.RescaleSlope = _ds(exercise.data["rescale_slope"])
    ds.RescaleType = "HU"
    ds.KVP = "120"
    ds.DataCollectionDiameter = "500"
    ds.ReconstructionDiameter = _ds(spacing[1] * columns)
    ds.ConvolutionKernel = "STANDARD"
    ds.XRayTubeCurrent = 200
    ds.ExposureTime = 1000
    # VOI LUT: the exercise's window, with the function it asks the candidate to apply
    ds.WindowCenter = _ds(window["centre"])
    ds.WindowWidth = _ds(window["width"])
    ds.WindowCenterWidthExplanation = str(window["name"]).upper()
    ds.VOILUTFunction = "LINEAR"

    for keyword, value in listed.items():
        setattr(ds, keyword, _typed(keyword, value))
    ds.PixelData = image.astype("<u2").tobytes()
    return part10_bytes(ds)


def set_equipment(ds: Dataset) -> None:
    """General Equipment: who made the file (this site), the same in every object it builds."""
    ds.Manufacturer = "QUIZSITE"
    ds.ManufacturerModelName = "SYNTHETIC PHANTOM"
    ds.SoftwareVersions = IMPLEMENTATION_VERSION_NAME


def part10_bytes(ds: Dataset) -> bytes:
    """`ds` as a DICOM Part 10 file: the file meta of this site's objects, then the data set
    in Explicit VR Little Endian."""
    ds.file_meta = FileMetaDataset()
    ds.file_meta.FileMetaInformationVersion = b"\x00\x01"
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.ImplementationClassUID = UID(IMPLEMENTATION_CLASS_UID)
    ds.file_meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
    ds.preamble = b"\x00" * 128
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


def fake_patient_id(exercise: Exercise, identity: str = "") -> str:
    """An invented patient ID that names the file's identity without spelling out the seed."""
    name = identity or f"{exercise.kind}|{exercise.seed}|{exercise.level}"
    digest = hashlib.sha256(name.encode()).hexdigest()[:8].upper()
    return f"FAKE-{exercise.level.upper()}-{digest}"


def pixel_image(exercise: Exercise, *, identity: str = "") -> np.ndarray:
    """The stored values of the slice (uint16, rows x columns), as `build_dicom` writes them.

    The phantom is drawn in HU and converted with the exercise's slope and intercept; the
    exercise's own pixels are then written with their exact stored values.
    """
    listed = _listed(exercise)
    rows = int(listed.get("Rows", _SIZE))
    columns = int(listed.get("Columns", _SIZE))
    slope = float(exercise.data["rescale_slope"])
    intercept = float(exercise.data["rescale_intercept"])
    largest = 2 ** _bits_stored(listed) - 1

    hu = _phantom(rows, columns)
    if listed.get("BurnedInAnnotation") == "YES":
        name = listed.get("PatientName", "FAKE^CANDIDATE")
        patient_id = listed.get("PatientID", fake_patient_id(exercise, identity))
        _burn_text(hu, f"{name} {patient_id}")
    image = np.clip(np.rint((hu - intercept) / slope), 0, largest).astype(np.uint16)

    for pixel in exercise.data["pixels"]:
        row, column, stored = pixel["row"], pixel["column"], pixel["stored"]
        if not (0 <= row < rows and 0 <= column < columns):
            raise ValueError(
                f"pixel ({row}, {column}) lies outside the {rows} x {columns} image; "
                "the exercise's pixels must be inside it"
            )
        if not 0 <= stored <= largest:
            raise ValueError(
                f"stored value {stored} at ({row}, {column}) does not fit BitsStored "
                f"{largest.bit_length()} (0 to {largest}); the exercise lists a BitsStored "
                "too small for its own pixels, so no valid file can carry both"
            )
        image[row, column] = stored
    return image


def _listed(exercise: Exercise) -> dict[str, str]:
    if exercise.kind != KIND:
        raise ValueError(f"only {KIND!r} exercises become DICOM files, not {exercise.kind!r}")
    listed = {a["keyword"]: str(a["value"]) for a in exercise.data["attributes"]}
    if listed.get("Modality", "CT") != "CT":
        raise ValueError(f"only CT images are built, the exercise lists {listed['Modality']!r}")
    return listed


def _bits_stored(listed: dict[str, str]) -> int:
    return int(listed.get("BitsStored", 16))


def _ds(value: float) -> str:
    """A Decimal String: integers without '.0', others in at most 16 characters."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.10g}"


def _typed(keyword: str, value: str) -> object:
    """The listed text as pydicom wants it: numbers for binary VRs, lists for multi-values."""
    if dictionary_VR(keyword) in ("US", "SS", "UL", "SL"):
        return int(value)
    return value.split("\\") if "\\" in value else value


def _phantom(rows: int, columns: int) -> np.ndarray:
    """An axial chest-like slice in HU: body, fat layer, lungs, ribs, vertebra, nodule."""
    y, x = np.mgrid[0:rows, 0:columns]
    y = y / rows  # fractions of the image, so any size gets the same picture
    x = x / columns

    def ellipse(cy: float, cx: float, ry: float, rx: float) -> np.ndarray:
        return ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1

    hu = np.full((rows, columns), float(_AIR))
    hu[ellipse(0.52, 0.5, 0.30, 0.42)] = _FAT
    hu[ellipse(0.52, 0.5, 0.28, 0.40)] = _SOFT_TISSUE
    ribs = ellipse(0.52, 0.5, 0.265, 0.375) & ~ellipse(0.52, 0.5, 0.25, 0.36)
    hu[ribs] = _CORTICAL_BONE
    hu[ellipse(0.48, 0.33, 0.17, 0.12) | ellipse(0.48, 0.67, 0.17, 0.12)] = _LUNG
    hu[ellipse(0.45, 0.30, 0.02, 0.02)] = _NODULE
    hu[ellipse(0.70, 0.5, 0.045, 0.045)] = _CORTICAL_BONE
    hu[ellipse(0.70, 0.5, 0.035, 0.035)] = _CANCELLOUS_BONE
    return hu


def _burn_text(hu: np.ndarray, text: str) -> None:
    """Draw `text` in the top-left corner, as a scanner burns in the patient's details."""
    scale = _TEXT_SCALE
    top = left = 4 * scale
    for i, char in enumerate(text.upper()):
        glyph = _FONT.get(char, _FONT[" "])
        for r, bits in enumerate(glyph.split()):
            for c, bit in enumerate(bits):
                if bit == "1":
                    y0 = top + r * scale
                    x0 = left + (4 * i + c) * scale
                    hu[y0 : y0 + scale, x0 : x0 + scale] = _TEXT
