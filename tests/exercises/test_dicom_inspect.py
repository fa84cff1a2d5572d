"""The DICOM inspector reads good files exactly and bad ones with a clear sentence: random
bytes, truncated files, flipped bytes, a wrong transfer syntax, missing pixel data."""

import io
import time
import tracemalloc
from functools import cache

import pydicom
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom.encaps import encapsulate
from pydicom.pixels import apply_modality_lut
from pydicom.uid import DeflatedExplicitVRLittleEndian

from questions.exercises import generate
from questions.exercises.dicom_file import build_dicom
from questions.exercises.dicom_inspect import DicomProblem, Inspection, inspect_dicom

from . import dicom_bombs

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def exercise_file() -> bytes:
    return build_dicom(generate("dicom", 7, "easy"))


def _rewrite(change) -> bytes:
    dataset = pydicom.dcmread(io.BytesIO(exercise_file()))
    change(dataset)
    out = io.BytesIO()
    dataset.save_as(out, enforce_file_format=False)
    return out.getvalue()


def _inspect_or_problem(raw: bytes) -> Inspection | str:
    try:
        return inspect_dicom(raw)
    except DicomProblem as problem:
        assert str(problem).endswith(".") and len(str(problem)) > 40
        return str(problem)


def test_it_reads_the_exercise_file_like_pydicom_does():
    raw = exercise_file()
    found = inspect_dicom(raw)
    dataset = pydicom.dcmread(io.BytesIO(raw))
    hu = apply_modality_lut(dataset.pixel_array, dataset)
    assert found.transfer_syntax == "Explicit VR Little Endian (1.2.840.10008.1.2.1)"
    attributes = {keyword: value for _, keyword, value in found.attributes}
    assert attributes["RescaleIntercept"] == str(dataset.RescaleIntercept)
    assert attributes["Rows"] == "512" and attributes["Modality"] == "CT"
    assert found.pixels.hu_min == hu.min() and found.pixels.hu_max == hu.max()
    assert found.pixels.centre_hu == hu[256, 256]
    assert found.notes == []


def test_patient_fields_are_never_shown():
    keywords = {keyword for _, keyword, _ in inspect_dicom(exercise_file()).attributes}
    assert not {k for k in keywords if k.startswith(("Patient", "Institution", "Referring"))}


def test_a_file_that_is_not_dicom_says_so():
    problem = _inspect_or_problem(b"\x89PNG\r\n\x1a\n" + b"\0" * 400)
    assert problem.startswith("This is not a DICOM Part 10 file: there is no 'DICM' marker")


@pytest.mark.parametrize("cut", [0, 50, 131])
def test_a_tiny_file_gives_its_length(cut):
    assert _inspect_or_problem(exercise_file()[:cut]).startswith(f"The file is {cut} bytes long")


def test_a_file_cut_in_the_pixels_is_named_as_short_pixel_data():
    found = inspect_dicom(exercise_file()[:-1000])
    assert found.pixels is None
    assert "The number of bytes of pixel data is less than expected" in found.notes[0]


def test_a_file_cut_in_the_header_says_it_may_have_been_cut_off():
    found = _inspect_or_problem(exercise_file()[:1200])
    message = found if isinstance(found, str) else " ".join(found.notes)
    assert "cut off" in message or "ends early" in message


def test_missing_pixel_data_keeps_the_header():
    found = inspect_dicom(_rewrite(lambda d: delattr(d, "PixelData")))
    assert (
        found.pixels is None and "CT Image Storage object but has no pixel data" in found.notes[0]
    )
    assert ("(0028,1052)", "RescaleIntercept") in {(t, k) for t, k, _ in found.attributes}


def test_a_compressed_transfer_syntax_is_explained():
    def to_jpeg(dataset):
        dataset.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.50"
        dataset.PixelData = encapsulate([b"\xff\xd8not really a jpeg\xff\xd9"])

    found = inspect_dicom(_rewrite(to_jpeg))
    assert found.transfer_syntax == "JPEG Baseline (Process 1) (1.2.840.10008.1.2.4.50)"
    assert found.pixels is None and "The pixels are compressed (JPEG Baseline" in found.notes[0]


def test_a_transfer_syntax_that_does_not_match_the_data_is_a_problem_or_a_note():
    raw = exercise_file().replace(b"1.2.840.10008.1.2.1\0", b"1.2.840.10008.1.2.2\0", 1)
    found = _inspect_or_problem(raw)  # big endian claimed for little-endian bytes
    assert isinstance(found, str) or found.notes or found.pixels is not None


def test_a_forged_huge_image_is_not_decoded():
    def huge(dataset):
        dataset.Rows = dataset.Columns = 65535
        dataset.NumberOfFrames = 100

    found = inspect_dicom(_rewrite(huge))
    assert found.pixels is None and "more than this page decodes" in found.notes[0]


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes_never_raise_anything_else(raw):
    _inspect_or_problem(raw)
    _inspect_or_problem(b"\0" * 128 + b"DICM" + raw)


@FUZZ
@given(st.integers(min_value=0, max_value=len(exercise_file())))
def test_any_truncation_is_handled(cut):
    _inspect_or_problem(exercise_file()[:cut])


@FUZZ
@given(st.lists(st.tuples(st.integers(128, 1600), st.integers(0, 255)), min_size=1, max_size=8))
def test_flipped_header_bytes_are_handled(flips):
    raw = bytearray(exercise_file())
    for offset, value in flips:
        raw[offset] = value
    _inspect_or_problem(bytes(raw))


# Hostile uploads (the hardening issue, item 1). Each is a bounded miniature of the attack:
# before the limits, the 20 MB bomb peaked at 50 MB of Python memory (2.5 times its inflated
# size, so 1 GB took the worker to 1.97 GB) and the floods took 3.5 s per 100,000 elements.


def _inspect_timed(raw: bytes) -> tuple[Inspection | str, float]:
    _inspect_or_problem(exercise_file())  # pydicom's lazy imports out of the timing
    started = time.process_time()  # CPU seconds, whatever the machine's load
    found = _inspect_or_problem(raw)
    return found, time.process_time() - started


def test_a_deflated_file_is_read_like_the_uncompressed_one():
    def deflate(dataset):
        dataset.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian

    dataset = pydicom.dcmread(io.BytesIO(exercise_file()))
    deflate(dataset)
    out = io.BytesIO()
    dataset.save_as(out, enforce_file_format=True)
    found = inspect_dicom(out.getvalue())
    assert len(out.getvalue()) < len(exercise_file()) / 10
    assert found.transfer_syntax.startswith("Deflated Explicit VR Little Endian")
    assert found.pixels == inspect_dicom(exercise_file()).pixels


def test_a_deflate_bomb_is_refused_without_inflating_it():
    raw = dicom_bombs.deflated_ob_bomb(20 * dicom_bombs.MB)
    assert len(raw) < 30_000
    tracemalloc.start()
    try:
        found = _inspect_or_problem(raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == (
        "The file is deflated (Deflated Explicit VR Little Endian) and inflates to more than "
        "8 MB, far more than a real image of this size holds. Save an uncompressed copy "
        "(Explicit VR Little Endian) and upload that."
    )
    # The limit's 8 MB, at most twice over while zlib joins its output, never the bomb's 20.
    assert peak < 20 * dicom_bombs.MB, f"peak {peak / dicom_bombs.MB:.1f} MB"


@pytest.mark.parametrize(
    ("count", "deflated", "refusal"),
    [
        (120_000, False, "The file holds more than 20,000 data elements"),  # 960 KB
        (1_000_000, True, "The file holds more than 20,000 data elements"),  # 8 MB inflated
        (40_000_000, True, "The file is deflated"),  # the reported 320 MB flood
    ],
)
def test_a_file_of_many_empty_elements_is_refused_quickly(count, deflated, refusal):
    raw = dicom_bombs.empty_elements(count, deflated=deflated)
    assert len(raw) < 1024 * 1024
    found, seconds = _inspect_timed(raw)
    assert isinstance(found, str) and found.startswith(refusal)
    assert seconds < 1.0


def test_reading_stops_at_the_deadline():
    from questions.exercises.dicom_inspect import Limits

    raw = dicom_bombs.empty_elements(5_000, deflated=False)
    with pytest.raises(DicomProblem, match=r"^Reading the file took more than 0 seconds"):
        inspect_dicom(raw, Limits(seconds=0))


@pytest.mark.parametrize(
    ("tag", "name"), [(0x00280010, "Rows (0028,0010)"), (0x7FE00010, "PixelData (7FE0,0010)")]
)
def test_a_kept_attribute_forged_as_a_huge_sequence_is_refused_unparsed(tag, name):
    found, seconds = _inspect_timed(dicom_bombs.as_a_sequence(tag, 120_000))
    assert found == (
        f"The attribute {name} is a sequence, which it never is in a real image: "
        "the file is damaged or built to overload the reader. Download or export it again."
    )
    assert seconds < 1.0


def test_a_shown_attribute_of_300_000_values_is_refused_unconverted():
    found, seconds = _inspect_timed(dicom_bombs.long_window_centre(300_000))
    assert isinstance(found, str)
    assert found.startswith("The attribute WindowCenter (0028,1050) is 900,000 bytes long")
    assert seconds < 1.0


def test_a_character_set_of_100_000_terms_is_refused_unread():
    found, seconds = _inspect_timed(dicom_bombs.long_character_set(100_000))
    assert isinstance(found, str)
    assert found.startswith("The attribute SpecificCharacterSet (0008,0005) is longer than any")
    assert seconds < 1.0
