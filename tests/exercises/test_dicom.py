"""The pure DICOM arithmetic, cross-checked against pydicom on in-memory datasets."""

import numpy as np
import pytest
from pydicom.datadict import tag_for_keyword
from pydicom.dataset import Dataset
from pydicom.pixels import apply_modality_lut, apply_windowing

from questions.exercises import LEVELS, check
from questions.exercises.dicom import (
    BASIC_PROFILE,
    NOT_LISTED,
    generate,
    must_change,
    to_hu,
    window,
)

SEEDS = range(200)


def pydicom_hu(stored, slope, intercept) -> np.ndarray:
    ds = Dataset()
    ds.RescaleSlope = slope
    ds.RescaleIntercept = intercept
    return apply_modality_lut(np.asarray(stored, dtype=np.uint16), ds)


def pydicom_grey(hu, centre, width) -> np.ndarray:
    ds = Dataset()
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsStored = 8  # an 8-bit unsigned output range: 0-255
    ds.PixelRepresentation = 0
    ds.WindowCenter = centre
    ds.WindowWidth = width
    return apply_windowing(np.asarray(hu, dtype=np.float64), ds)


@pytest.mark.parametrize("level", LEVELS)
def test_it_matches_pydicom_rescale_and_windowing_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        data = exercise.data
        stored = [p["stored"] for p in data["pixels"]]
        hu = pydicom_hu(stored, data["rescale_slope"], data["rescale_intercept"])
        for i, value in enumerate(hu):
            assert exercise.expected[f"hu_{i + 1}"] == pytest.approx(value, abs=1e-9)
        w = data["window"]
        grey = pydicom_grey(data["grey_hu"], w["centre"], w["width"])
        for i, value in enumerate(grey):
            assert exercise.expected[f"grey_{i + 1}"] == pytest.approx(value, abs=1e-9)
            assert 0 <= value <= 255


@pytest.mark.parametrize(
    ("hu", "grey"),
    [
        (-161, 0.0),
        (-160, 0.0),  # x <= c - 0.5 - (w-1)/2 = -160: still black
        (-159, 255 / 399),  # ((-159 - 39.5)/399 + 0.5) * 255 = 255/399 = 0.639…
        (39.5, 127.5),  # the centre of the window, c - 0.5, maps to mid-grey
        (239, 255.0),  # the top of the ramp
        (240, 255.0),  # x > c - 0.5 + (w-1)/2 = 239: white
    ],
)
def test_the_linear_voi_function_has_the_standard_edges(hu, grey):
    assert window(np.array([hu]), 40, 400)[0] == pytest.approx(grey)
    assert pydicom_grey([hu], 40, 400)[0] == pytest.approx(grey)


def test_hu_is_stored_times_slope_plus_intercept():
    assert to_hu(np.array([0, 1024, 1064]), 1.0, -1024.0).tolist() == [-1024.0, 0.0, 40.0]
    assert to_hu(np.array([1000]), 0.5, -1000.0).tolist() == [-500.0]


def test_every_keyword_and_tag_is_the_one_pydicom_knows():
    def tag_text(keyword: str) -> str:
        tag = tag_for_keyword(keyword)
        assert tag is not None, keyword
        return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"

    for keyword, (tag, _) in BASIC_PROFILE.items():
        assert tag_text(keyword) == tag
    for keyword, tag in NOT_LISTED.items():
        assert tag_text(keyword) == tag


def test_the_profile_actions_match_table_e_1_1():
    actions = {keyword: action for keyword, (_, action) in BASIC_PROFILE.items()}
    for keyword in ("PatientName", "PatientID", "PatientBirthDate", "StudyDate"):
        assert actions[keyword] == "Z"
    assert actions["AccessionNumber"] == "Z"
    assert actions["ReferringPhysicianName"] == "Z"
    assert actions["InstitutionName"] == "X/Z/D"
    for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        assert actions[keyword] == "U"
    for keyword in ("Rows", "Columns", "PixelSpacing", "Modality", "BurnedInAnnotation"):
        assert keyword not in BASIC_PROFILE
        assert not must_change(keyword)
    assert set(BASIC_PROFILE).isdisjoint(NOT_LISTED)


@pytest.mark.parametrize("level", LEVELS)
def test_de_identification_answers_follow_the_table(level):
    cleaning_asked = 0
    for seed in SEEDS:
        exercise = generate(seed, level)
        attributes = exercise.data["attributes"]
        keywords = [a["keyword"] for a in attributes]
        assert len(set(keywords)) == len(keywords)
        assert any(must_change(k) for k in keywords)
        assert any(not must_change(k) for k in keywords)
        for a in attributes:
            assert exercise.expected[f"deid_{a['keyword']}"] == float(must_change(a["keyword"]))
        burned = [a["value"] for a in attributes if a["keyword"] == "BurnedInAnnotation"]
        if burned:
            cleaning_asked += 1
            assert exercise.expected["pixels_need_cleaning"] == float(burned[0] == "YES")
        else:
            assert "pixels_need_cleaning" not in exercise.expected
    if level != "easy":
        assert cleaning_asked == len(SEEDS)


def test_hard_exercises_probe_the_lower_window_edge():
    for seed in range(50):
        exercise = generate(seed, "hard")
        w = exercise.data["window"]
        edge = w["centre"] - 0.5 - (w["width"] - 1) / 2
        assert edge in exercise.data["grey_hu"]
        assert edge + 1 in exercise.data["grey_hu"]


def test_grey_levels_accept_either_rounding_of_a_half():
    exercise = generate(0, "easy")
    exercise.data["grey_hu"][0] = 39.5
    exercise.expected["grey_1"] = 127.5

    assert check(exercise, {"grey_1": "127"})["grey_1"].correct
    assert check(exercise, {"grey_1": "128"})["grey_1"].correct
    assert not check(exercise, {"grey_1": "129"})["grey_1"].correct


def test_the_solution_states_the_formula_and_the_burned_in_rule():
    exercise = next(
        e
        for e in (generate(seed, "medium") for seed in SEEDS)
        if any(a["value"] == "YES" for a in e.data["attributes"])
    )
    text = "\n".join(exercise.solution)

    assert "C.11.2.1.2.1" in text
    assert "c - 0.5" in text and "w - 1" in text
    assert "Clean Pixel Data" in text
    assert "Table E.1-1" in text


@pytest.mark.parametrize("level", ["easy", "medium", "hard"])
def test_the_window_is_named_after_its_preset(level):
    """The de-identification fields once reused the window's variable name and renamed it."""
    from questions.exercises.dicom import _WINDOWS

    presets = {(name, centre, width) for name, centre, width in _WINDOWS}
    for seed in range(20):
        window = generate(seed, level).data["window"]
        assert (window["name"], window["centre"], window["width"]) in presets
