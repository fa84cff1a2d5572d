"""Read an uploaded DICOM file and say what a candidate should see in it. No Django here.

`inspect_dicom(raw)` returns the header attributes an imaging interview asks about (size,
bit depth, rescale, window, spacing, transfer syntax) and, when the pixels can be decoded,
their stored and Hounsfield ranges. Anything wrong with the file becomes a `DicomProblem`
with one sentence that says what and what to do, or a note beside a partial result: a file
that is not DICOM, one that ends early, a transfer syntax the site cannot decode, missing
or short pixel data. Patient and institution attributes are never returned, and the bytes
are not kept.

Uploads come from anyone, so reading is bounded (`Limits`): a deflated file is inflated to at
most 8 MB (a 1 MB deflate bomb would otherwise inflate to 1 GB), at most 20,000 data elements
are read and only the attributes shown are kept (a file of millions of empty elements would
otherwise hold a worker for minutes), reading stops after 2 seconds, and an attribute longer
than 1 KB is refused before it is converted (a 1 MB WindowCenter is 500,000 numbers).
"""

from __future__ import annotations

import io
import struct
import time
import warnings
import zlib
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from pydicom import dcmread
from pydicom.datadict import keyword_for_tag
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.multival import MultiValue
from pydicom.tag import Tag
from pydicom.uid import UID, DeflatedExplicitVRLittleEndian

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
# Only these elements are kept while reading; every other one is skipped unread, so a file
# cannot make the reader build more than a few dozen values. The pixel module's own
# attributes are here because decoding needs them.
_PIXEL_TAGS = ["PixelData", "ExtendedOffsetTable", "ExtendedOffsetTableLengths"]
KEPT = [*ATTRIBUTES, "PlanarConfiguration", *_PIXEL_TAGS]
# File meta elements with a 4-byte length (PS3.5 7.1.2); the others have a 2-byte length.
_LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT"}
_LONG_VRS |= {b"UV"}


@dataclass(frozen=True)
class Limits:
    """How much work one upload may cost. The defaults are generous for one real image
    (a CT slice has a few hundred elements and inflates to about 0.5 MB) and keep a worker
    well under 200 MB and a few seconds whatever the upload holds."""

    inflated_bytes: int = 8 * 1024 * 1024
    elements: int = 20_000
    seconds: float = 2.0
    attribute_bytes: int = 1024


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
    # For the viewer: the first frame after the rescale (monochrome images only), the
    # file's own window (the first pair when it lists several), and how to show it.
    values: np.ndarray | None = None
    own_window: tuple[float, float] | None = None
    inverted: bool = False  # MONOCHROME1: low values are white
    burned_in: bool = False  # BurnedInAnnotation is YES: text is part of the pixels


def inspect_dicom(raw: bytes, limits: Limits = Limits()) -> Inspection:
    if len(raw) < 132:
        raise DicomProblem(
            f"The file is {len(raw)} bytes long: too short for DICOM (a Part 10 file starts "
            "with a 128-byte preamble and 'DICM'). Upload the .dcm file itself."
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset = _read(raw, limits)
        try:
            inspection = Inspection(
                transfer_syntax=_transfer_syntax(dataset), attributes=_attributes(dataset)
            )
            inspection.pixels, hu = _pixels(dataset, inspection.notes)
            _viewable(dataset, inspection, hu)
        except Exception as error:  # values that parse but make no sense together
            raise DicomProblem(
                f"The DICOM header is inconsistent ({type(error).__name__}: {error}). "
                "The file is damaged: download or export it again."
            ) from None
    return inspection


class _Budget:
    """Counts element headers read and watches the clock. pydicom reads every element and
    sequence item header with one 8-byte read, so counting 8-byte reads bounds the elements
    it parses, nested sequences included (a value of exactly 8 bytes counts too: the bound
    errs towards refusing sooner)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.headers = 0
        self.deadline = time.monotonic() + limits.seconds
        self.problem: DicomProblem | None = None

    def spend(self) -> None:
        self.headers += 1
        if self.headers > self.limits.elements:
            self.problem = DicomProblem(
                f"The file holds more than {self.limits.elements:,} data elements, far more "
                "than an image has: it is damaged or built to overload the reader. Upload "
                "the .dcm file of a single image."
            )
        elif self.headers % 256 == 0 and time.monotonic() > self.deadline:
            self.problem = DicomProblem(
                f"Reading the file took more than {self.limits.seconds:g} seconds, far "
                "longer than an image needs: it is damaged or built to overload the reader. "
                "Upload the .dcm file of a single image."
            )
        if self.problem is not None:
            raise self.problem


# (0008,0005) Specific Character Set, little and big endian: the one value pydicom converts
# while reading, term by term with a log line for each unknown one (100,000 terms: 4.5 s).
_CHARSET_TAGS = (b"\x08\x00\x05\x00", b"\x00\x08\x00\x05")


class _BudgetedStream(io.BytesIO):
    """The upload as pydicom reads it, with each element header counted, and a Specific
    Character Set value longer than an attribute may be refused before pydicom reads it."""

    def __init__(self, data: bytes, budget: _Budget) -> None:
        super().__init__(data)
        self._budget = budget
        self._header = b""

    def read(self, size: int | None = -1, /) -> bytes:
        if size == 8:
            self._budget.spend()
        elif (
            self._header[:4] in _CHARSET_TAGS
            and size != 4  # the 4-byte length that follows some explicit VRs
            and (size is None or size < 0 or size > self._budget.limits.attribute_bytes)
        ):
            self._budget.problem = DicomProblem(
                "The attribute SpecificCharacterSet (0008,0005) is longer than any real one: "
                "the file is damaged or built to overload the reader. Download or export it "
                "again."
            )
            raise self._budget.problem
        data = super().read(size)
        if size == 8:
            self._header = data
        return data


def _read(raw: bytes, limits: Limits) -> Dataset:
    budget = _Budget(limits)
    try:
        meta_end = _file_meta_end(raw)
        # The preamble and file meta alone: pydicom inflates a deflated data set whole and
        # without a bound as soon as it reads past the meta, so the data set waits until
        # the transfer syntax is known.
        head = dcmread(_BudgetedStream(raw[:meta_end], budget))
        if _syntax_uid(head) == DeflatedExplicitVRLittleEndian:
            body = _inflate(raw[meta_end:], limits)
            # The inflated data set is Explicit VR Little Endian with no meta in front:
            # force reads it as such (it guesses from the first element's VR).
            dataset = dcmread(_BudgetedStream(body, budget), force=True, specific_tags=KEPT)
            dataset.file_meta = head.file_meta
        else:
            dataset = dcmread(_BudgetedStream(raw, budget), specific_tags=KEPT)
        _refuse_oversized(dataset, limits)
    except DicomProblem:
        raise
    except InvalidDicomError:
        raise DicomProblem(
            "This is not a DICOM Part 10 file: there is no 'DICM' marker at byte 128. "
            "Export the image as DICOM (.dcm) and upload that."
        ) from None
    except Exception as error:  # pydicom raises many types for malformed data
        if budget.problem is not None:  # pydicom re-raised it as another type
            raise budget.problem from None
        if isinstance(error, EOFError | OSError):
            raise DicomProblem(
                f"The file ends early ({error}). It was probably cut off while copying: "
                "download or export it again."
            ) from None
        raise DicomProblem(
            f"The DICOM data cannot be parsed ({type(error).__name__}: {error}). "
            "The file is damaged or its transfer syntax does not match its contents."
        ) from None
    return dataset


def _file_meta_end(raw: bytes) -> int:
    """The offset just past the file meta group (0002,xxxx), which is always Explicit VR
    Little Endian (PS3.10 7.1), or 132 when there is no 'DICM' marker (dcmread says so)."""
    if raw[128:132] != b"DICM":
        return 132
    position = 132
    while position + 8 <= len(raw):
        group, _, vr, length = struct.unpack_from("<HH2sH", raw, position)
        if group != 2:
            break
        if vr in _LONG_VRS:
            if position + 12 > len(raw):
                break
            (length,) = struct.unpack_from("<L", raw, position + 8)
            position += 12 + length
        else:
            position += 8 + length
    return min(position, len(raw))


def _inflate(deflated: bytes, limits: Limits) -> bytes:
    """Inflate a Deflated Explicit VR Little Endian data set, stopping at the limit: the
    output never grows past it, whatever the input claims."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        body = inflater.decompress(deflated, limits.inflated_bytes + 1)
    except zlib.error as error:
        raise DicomProblem(
            f"The deflated data set cannot be inflated ({error}). The file is damaged: "
            "download or export it again."
        ) from None
    if len(body) > limits.inflated_bytes:
        raise DicomProblem(
            "The file is deflated (Deflated Explicit VR Little Endian) and inflates to more "
            f"than {limits.inflated_bytes / 2**20:g} MB, far more than a real image of this "
            "size holds. Save an uncompressed copy (Explicit VR Little Endian) and upload that."
        )
    return body


def _refuse_oversized(dataset: Dataset, limits: Limits) -> None:
    """Refuse an attribute that would be costly to convert: the shown attributes hold a
    few numbers or a short text each, but a forged one could hold a million values, or be
    marked as a sequence (pixel data too) and parse into a million elements outside the
    budget when its value is first read."""
    for keyword in KEPT:
        tag = Tag(keyword)
        if tag not in dataset:
            continue
        element = dataset.get_item(tag)
        raw = element.value if isinstance(element, RawDataElement) else None
        size = len(raw) if isinstance(raw, bytes) and keyword not in _PIXEL_TAGS else 0
        if element.VR == "SQ" or size > limits.attribute_bytes:
            what = "a sequence" if element.VR == "SQ" else f"{size:,} bytes long"
            raise DicomProblem(
                f"The attribute {keyword_for_tag(tag)} ({tag.group:04X},{tag.element:04X}) is "
                f"{what}, which it never is in a real image: the file is damaged or built "
                "to overload the reader. Download or export it again."
            )


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


def _viewable(dataset: Dataset, inspection: Inspection, hu: np.ndarray | None) -> None:
    """What the viewer needs: a 2-D monochrome frame, the file's window, the warnings."""
    inspection.burned_in = str(dataset.get("BurnedInAnnotation", "")).strip().upper() == "YES"
    photometric = str(dataset.get("PhotometricInterpretation", "")).strip().upper()
    inspection.inverted = photometric == "MONOCHROME1"
    centre, width = dataset.get("WindowCenter"), dataset.get("WindowWidth")
    if centre is not None and width is not None:
        centre = centre[0] if isinstance(centre, MultiValue) else centre
        width = width[0] if isinstance(width, MultiValue) else width
        try:
            pair = (float(centre), float(width))
        except (TypeError, ValueError):
            pair = None
        if pair is not None and all(np.isfinite(pair)) and pair[1] >= 1:
            inspection.own_window = pair
    if hu is None:
        return
    if photometric not in ("MONOCHROME1", "MONOCHROME2"):
        inspection.notes.append(
            f"The image is {photometric or 'not monochrome'}: the viewer shows greyscale "
            "images only, so it is not drawn."
        )
        return
    if int(dataset.get("SamplesPerPixel") or 1) != 1:
        inspection.notes.append(
            "The image has more than one sample per pixel: the viewer shows single-sample "
            "greyscale images only, so it is not drawn."
        )
        return
    frames = int(dataset.get("NumberOfFrames") or 1)
    if frames > 1 and hu.ndim == 3:
        inspection.notes.append(f"The file holds {frames} frames; the viewer shows the first.")
        hu = hu[0]
    if hu.ndim == 2:
        inspection.values = hu


def _pixels(dataset: Dataset, notes: list[str]) -> tuple[PixelSummary | None, np.ndarray | None]:
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
        return None, None
    rows, columns = int(dataset.get("Rows") or 0), int(dataset.get("Columns") or 0)
    frames = int(dataset.get("NumberOfFrames") or 1)
    samples = int(dataset.get("SamplesPerPixel") or 1)
    # Every decoded value counts: an RGB image holds three per pixel.
    if rows * columns * max(frames, 1) * max(samples, 1) > MAX_PIXELS:
        notes.append(
            f"The header claims {rows} x {columns} x {frames} pixels, more than this page "
            "decodes; the header is shown without pixel figures."
        )
        return None, None
    syntax = _syntax_uid(dataset)
    if syntax is not None and not syntax.is_transfer_syntax:
        notes.append(
            "The file meta information names no valid transfer syntax, so the pixels cannot "
            "be decoded; the header is shown without pixel figures."
        )
        return None, None
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
        return None, None
    if stored.size == 0:
        notes.append("The pixel data is empty.")
        return None, None
    # An empty or missing value means the default; a stated 0 is 0 (as pydicom reads it).
    slope_text = dataset.get("RescaleSlope")
    slope = float(slope_text) if slope_text not in (None, "") else 1.0
    intercept = float(dataset.get("RescaleIntercept", 0) or 0)
    if "RescaleSlope" not in dataset:
        notes.append(
            "No RescaleSlope/RescaleIntercept: the values below are stored values "
            "(slope 1, intercept 0), not necessarily Hounsfield units."
        )
    hu = stored * slope + intercept
    centre = hu[(*(s // 2 for s in hu.shape),)] if hu.ndim else hu
    summary = PixelSummary(
        shape=tuple(int(s) for s in stored.shape),
        stored_min=float(stored.min()),
        stored_max=float(stored.max()),
        hu_min=float(hu.min()),
        hu_max=float(hu.max()),
        hu_mean=round(float(hu.mean()), 1),
        centre_hu=float(centre),
    )
    return summary, hu
