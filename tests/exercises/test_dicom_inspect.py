"""The DICOM inspector reads good files exactly and bad ones with a clear sentence: random
bytes, truncated files, flipped bytes, a wrong transfer syntax, missing pixel data."""

import io
from functools import cache

import pydicom
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom.encaps import encapsulate
from pydicom.pixels import apply_modality_lut

from questions.exercises import generate
from questions.exercises.dicom_file import build_dicom
from questions.exercises.dicom_inspect import DicomProblem, Inspection, inspect_dicom

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
