"""Read an uploaded DICOM file and say what a candidate should see in it. No Django here.

`inspect_dicom(raw)` returns the header attributes an imaging interview asks about (size,
bit depth, rescale, window, spacing, transfer syntax) and, when the pixels can be decoded,
their stored and Hounsfield ranges. Anything wrong with the file becomes a `DicomProblem`
with one sentence that says what and what to do, or a note beside a partial result: a file
that is not DICOM, one that ends early, a transfer syntax the site cannot decode, missing
or short pixel data. Patient and institution attributes are never returned, and the bytes
are not kept.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.uid import UID

# The header attributes worth reading in an interview, in the order they are shown.
ATTRIBUTES = [
    "Modality", "SOPClassUID", "Rows", "Columns", "NumberOfFrames", "BitsAllocated",
    "BitsStored", "HighBit", "PixelRepresentation", "SamplesPerPixel",
    "PhotometricInterpretation", "RescaleIntercept", "RescaleSlope", "RescaleType",
    "WindowCenter", "WindowWidth", "PixelSpacing", "SliceThickness", "ImagePositionPatient",
    "ImageOrientationPatient", "BurnedInAnnotation", "Manufacturer",
]  # fmt: skip
# Decoding more than this many pixels is refused. An uncompressed upload (1 MB at most) holds
# about half a megapixel; the margin is for RLE, which pydicom decodes itself and which a
# forged header could make expand without bound. 4 megapixels is 32 MB as float64.
MAX_PIXELS = 4 * 1024 * 1024


class DicomProblem(ValueError):
    """The file cannot be read at all; the message says why and what to do."""


@dataclass(frozen=True)
class PixelSummary:
    shape: tuple[int, ...]
    stored_min: float
    stored_max: float
    hu_min: float
    hu_max: float
    hu_mean: float
    centre_hu: float


class Attribute(NamedTuple):
    tag: str  # "(0028,1052)"
    keyword: str
    value: str  # as text, at most 200 characters


@dataclass
class Inspection:
    transfer_syntax: str
    attributes: list[Attribute]
    pixels: PixelSummary | None = None
    notes: list[str] = field(default_factory=list)


def inspect_dicom(raw: bytes) -> Inspection:
    if len(raw) < 132:
        raise DicomProblem(
            f"The file is {len(raw)} bytes long: too short for DICOM (a Part 10 file starts "
            "with a 128-byte preamble and 'DICM'). Upload the .dcm file itself."
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset = _read(raw)
        try:
            inspection = Inspection(
                transfer_syntax=_transfer_syntax(dataset), attributes=_attributes(dataset)
            )
            inspection.pixels = _pixels(dataset, inspection.notes)
        except Exception as error:  # values that parse but make no sense together
            raise DicomProblem(
                f"The DICOM header is inconsistent ({type(error).__name__}: {error}). "
                "The file is damaged: download or export it again."
            ) from None
    return inspection


def _read(raw: bytes) -> Dataset:
    try:
        dataset = dcmread(io.BytesIO(raw))
        # pydicom reads elements lazily: touch each now so a cut-off file fails here.
        for element in dataset.iterall():
            _ = element.value
    except InvalidDicomError:
        raise DicomProblem(
            "This is not a DICOM Part 10 file: there is no 'DICM' marker at byte 128. "
            "Export the image as DICOM (.dcm) and upload that."
        ) from None
    except (EOFError, OSError) as error:
        raise DicomProblem(
            f"The file ends early ({error}). It was probably cut off while copying: "
            "download or export it again."
        ) from None
    except Exception as error:  # pydicom raises many types for malformed data
        raise DicomProblem(
            f"The DICOM data cannot be parsed ({type(error).__name__}: {error}). "
            "The file is damaged or its transfer syntax does not match its contents."
        ) from None
    return dataset


def _syntax_uid(dataset: Dataset) -> UID | None:
    value = getattr(getattr(dataset, "file_meta", None), "TransferSyntaxUID", None)
    return None if value is None else UID(str(value))


def _transfer_syntax(dataset: Dataset) -> str:
    uid = _syntax_uid(dataset)
    if uid is None:
        return "not stated in the file meta information"
    if not uid.is_transfer_syntax:
        return f"{str(uid)[:64]!r}, which is not a transfer syntax UID"
    return f"{uid.name} ({uid})" if uid.name != str(uid) else str(uid)


def _attributes(dataset: Dataset) -> list[Attribute]:
    rows = []
    for keyword in ATTRIBUTES:
        if keyword not in dataset:
            continue
        element = dataset.data_element(keyword)
        assert element is not None  # the keyword is in the dataset
        value = element.value
        if isinstance(value, bytes):
            text = f"{len(value)} bytes"
        elif element.VM > 1:
            text = " \\ ".join(str(v) for v in value)
        else:
            text = str(value)
        if keyword == "SOPClassUID":
            text = f"{UID(text).name} ({text})" if UID(text).name != text else text
        tag = f"({element.tag.group:04X},{element.tag.element:04X})"
        rows.append(Attribute(tag, keyword, text[:200]))
    return rows


def _pixels(dataset: Dataset, notes: list[str]) -> PixelSummary | None:
    if "PixelData" not in dataset:
        sop_class = UID(str(dataset.get("SOPClassUID", "")))
        if "Rows" in dataset or "Image Storage" in sop_class.name:
            notes.append(
                f"The file is a {sop_class.name or 'image'} object but has no pixel data "
                "(7FE0,0010): it may have been cut off. Download or export it again."
            )
        else:
            notes.append(
                "There is no pixel data (7FE0,0010): this file holds a header only, so there "
                "are no values to convert to Hounsfield units."
            )
        return None
    rows, columns = int(dataset.get("Rows") or 0), int(dataset.get("Columns") or 0)
    frames = int(dataset.get("NumberOfFrames") or 1)
    if rows * columns * max(frames, 1) > MAX_PIXELS:
        notes.append(
            f"The header claims {rows} x {columns} x {frames} pixels, more than this page "
            "decodes; the header is shown without pixel figures."
        )
        return None
    syntax = _syntax_uid(dataset)
    if syntax is not None and not syntax.is_transfer_syntax:
        notes.append(
            "The file meta information names no valid transfer syntax, so the pixels cannot "
            "be decoded; the header is shown without pixel figures."
        )
        return None
    try:
        stored = np.asarray(dataset.pixel_array, dtype=np.float64)
    except Exception as error:  # decoder plugins, short data, inconsistent header
        if syntax is not None and syntax.is_compressed:
            notes.append(
                f"The pixels are compressed ({syntax.name}), which this site does not decode; "
                "the header is shown without pixel figures. Save an uncompressed copy "
                "(Explicit VR Little Endian) to see them."
            )
        else:
            notes.append(
                f"The pixel data cannot be decoded ({error}). Check that Rows, Columns, "
                "BitsAllocated and SamplesPerPixel match the data's length."
            )
        return None
    if stored.size == 0:
        notes.append("The pixel data is empty.")
        return None
    slope = float(dataset.get("RescaleSlope", 1) or 1)
    intercept = float(dataset.get("RescaleIntercept", 0) or 0)
    if "RescaleSlope" not in dataset:
        notes.append(
            "No RescaleSlope/RescaleIntercept: the values below are stored values "
            "(slope 1, intercept 0), not necessarily Hounsfield units."
        )
    hu = stored * slope + intercept
    centre = hu[(*(s // 2 for s in hu.shape),)] if hu.ndim else hu
    return PixelSummary(
        shape=tuple(int(s) for s in stored.shape),
        stored_min=float(stored.min()),
        stored_max=float(stored.max()),
        hu_min=float(hu.min()),
        hu_max=float(hu.max()),
        hu_mean=round(float(hu.mean()), 1),
        centre_hu=float(centre),
    )
