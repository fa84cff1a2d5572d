"""The DICOM geometry exercise against nibabel's DICOM wrappers (nibabel.nicom), which build
the voxel-to-patient affine and the slice order from the same attributes, and its series."""

import io
import os
import subprocess
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from nibabel.orientations import aff2axcodes
from pydicom import dcmread
from pydicom.dataset import Dataset

from questions.exercises import LEVELS, check
from questions.exercises.dicom_geometry import generate
from questions.exercises.dicom_series import build_series

with warnings.catch_warnings():  # "the DICOM readers are highly experimental": we use geometry
    warnings.simplefilter("ignore", UserWarning)
    from nibabel.nicom import dicomwrappers

SEEDS = range(200)
DCIODVFY = Path("/usr/bin/dciodvfy")
# LPS+ world axes: the label for the negative, then the positive direction of x, y and z.
LPS_LABELS = (("R", "L"), ("A", "P"), ("F", "H"))


def wrapper(orientation, position, spacing) -> dicomwrappers.Wrapper:
    ds = Dataset()
    ds.ImageOrientationPatient = list(orientation)
    ds.ImagePositionPatient = list(position)
    ds.PixelSpacing = list(spacing)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "the DICOM readers are experimental"
        return dicomwrappers.wrapper_from_data(ds)


@pytest.mark.parametrize("level", LEVELS)
def test_it_matches_nibabels_dicom_geometry_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        data, expected, text = exercise.data, exercise.expected, exercise.expected_text
        wrappers = {
            s["label"]: wrapper(data["orientation"], s["position"], data["pixel_spacing"])
            for s in data["slices"]
        }
        pixel = data["pixel"]
        # nibabel's affine maps (row, column, slice) indices to LPS+ mm.
        affine = wrappers[pixel["file"].removesuffix(".dcm")].affine
        point = affine @ [pixel["row"], pixel["column"], 0, 1]
        for axis, value in zip("xyz", point[:3], strict=True):
            assert expected[axis] == pytest.approx(value, abs=1e-6), (seed, axis)

        # nibabel's slice normal is Y × X, ours (and the prompt's) X × Y: the reverse order.
        order = sorted(wrappers, key=lambda label: -wrappers[label].slice_indicator)
        assert text["order"] == "".join(order), seed
        steps = np.diff(sorted(w.slice_indicator for w in wrappers.values()))
        assert np.allclose(steps, expected["spacing"], atol=2e-3), (seed, steps)

        down_column, along_row, _ = aff2axcodes(affine, labels=LPS_LABELS)
        assert (text["row_direction"], text["column_direction"]) == (along_row, down_column)


@pytest.mark.parametrize("level", LEVELS)
def test_the_levels_teach_what_they_promise(level):
    exercises = [generate(seed, level) for seed in SEEDS]
    oblique = [e.data["oblique"] for e in exercises]
    disagree = [abs(e.data["slice_thickness"] - e.expected["spacing"]) > 0.01 for e in exercises]
    in_name_order = [
        e.expected_text["order"] == "".join(sorted(e.expected_text["order"])) for e in exercises
    ]
    unequal = [e.data["pixel_spacing"][0] != e.data["pixel_spacing"][1] for e in exercises]
    if level == "easy":
        assert not any(oblique) and not any(disagree) and all(in_name_order)
    elif level == "medium":
        assert not any(oblique) and 0 < sum(disagree) < len(exercises) and all(unequal)
        directions = {
            (e.expected_text["row_direction"], e.expected_text["column_direction"])
            for e in exercises
        }
        assert len(directions) >= 6
    else:
        assert all(oblique) and all(disagree) and all(unequal)
        assert sum(in_name_order) < 5  # shuffled: sorting by name almost never works


def test_oblique_directions_keep_one_clearly_largest_component():
    for seed in SEEDS:
        cosines = np.abs(np.reshape(generate(seed, "hard").data["orientation"], (2, 3)))
        for vector in cosines:
            largest, second = np.sort(vector)[::-1][:2]
            assert largest > 1.6 * second, seed


def test_the_order_is_checked_without_regard_to_case_or_separators():
    exercise = generate(5, "hard")
    order = exercise.expected_text["order"]
    assert check(exercise, {"order": ", ".join(order.lower())})["order"].correct
    assert not check(exercise, {"order": order[::-1]})["order"].correct


def series(exercise, identity: str = "") -> dict:
    archive = zipfile.ZipFile(io.BytesIO(build_series(exercise, identity=identity)))
    return {name: dcmread(io.BytesIO(archive.read(name))) for name in archive.namelist()}


@pytest.mark.parametrize("level", LEVELS)
def test_the_series_carries_the_exercises_geometry(level):
    for seed in range(10):
        exercise = generate(seed, level)
        data = exercise.data
        files = series(exercise)
        assert sorted(files) == [s["file"] for s in data["slices"]]
        for number, s in enumerate(data["slices"], start=1):
            ds = files[s["file"]]
            assert [float(v) for v in ds.ImagePositionPatient] == s["position"]
            assert [float(v) for v in ds.ImageOrientationPatient] == data["orientation"]
            assert [float(v) for v in ds.PixelSpacing] == data["pixel_spacing"]
            assert float(ds.SliceThickness) == data["slice_thickness"]
            assert (ds.Rows, ds.Columns) == (data["rows"], data["columns"])
            assert ds.InstanceNumber == number  # by name, not by position
            assert ds.pixel_array.shape == (data["rows"], data["columns"])
            assert "SliceLocation" not in ds
        assert len({ds.SeriesInstanceUID for ds in files.values()}) == 1
        assert len({ds.FrameOfReferenceUID for ds in files.values()}) == 1
        assert len({ds.SOPInstanceUID for ds in files.values()}) == len(files)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            wrapped = {name: dicomwrappers.wrapper_from_data(ds) for name, ds in files.items()}
        order = sorted(wrapped, key=lambda name: -wrapped[name].slice_indicator)
        assert (
            "".join(name.removesuffix(".dcm") for name in order) == exercise.expected_text["order"]
        )


def test_the_series_is_the_same_bytes_every_time():
    assert build_series(generate(3, "hard")) == build_series(generate(3, "hard"))


def test_a_quiz_copy_names_nothing_of_the_seed():
    exercise = generate(918273, "hard")
    private = series(exercise, identity="a1b2c3d4e5")
    public = series(exercise)
    for name, ds in private.items():
        for element in ds.iterall():
            assert "918273" not in str(element.value), element
        for keyword in ("PatientID", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
            assert ds.get(keyword) != public[name].get(keyword), keyword
        assert ds.ImagePositionPatient == public[name].ImagePositionPatient


def test_it_refuses_to_build_a_series_for_another_kind():
    from questions.exercises import generate as any_kind

    with pytest.raises(ValueError, match="only 'dicom_geometry' exercises"):
        build_series(any_kind("nifti", 1, "easy"))


@pytest.mark.parametrize("level", LEVELS)
def test_dciodvfy_finds_no_errors_in_any_file(level, tmp_path):
    if not DCIODVFY.exists():
        message = f"{DCIODVFY} not found: install dicom3tools (apt-get install -y dicom3tools)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    for seed in range(4):
        archive = zipfile.ZipFile(io.BytesIO(build_series(generate(seed, level))))
        for name in archive.namelist():
            path = tmp_path / f"{seed}-{name}"
            path.write_bytes(archive.read(name))
            result = subprocess.run(
                [str(DCIODVFY), str(path)], capture_output=True, text=True, timeout=60, check=False
            )
            output = result.stdout + result.stderr
            assert "CTImage" in output, output
            assert not [line for line in output.splitlines() if "Error" in line], output
