"""The NIfTI exercise against nibabel, the field's NIfTI library, and its .nii.gz file."""

import gzip

import nibabel
import numpy as np
import pytest
from nibabel.affines import apply_affine, voxel_sizes
from nibabel.orientations import aff2axcodes, axcodes2ornt, ornt_transform

from questions.exercises import LEVELS, check
from questions.exercises.nifti import generate
from questions.exercises.nifti_file import build_nifti

SEEDS = range(200)


def nibabel_answers(data: dict) -> dict:
    affine = np.array(data["affine"])
    world = apply_affine(affine, data["voxel"])
    sizes = voxel_sizes(affine)
    # LPS -> RAS as nibabel's orientation tools compute it: axis i of LPS goes to axis
    # transform[i, 0] of RAS, multiplied by transform[i, 1].
    transform = ornt_transform(axcodes2ornt("LPS"), axcodes2ornt("RAS"))
    ras = np.zeros(3)
    for axis, (target, flip) in enumerate(transform):
        ras[int(target)] = flip * data["lps_point"][axis]
    return {
        **{f"world_{a}": v for a, v in zip("xyz", world, strict=True)},
        **{f"size_{a}": v for a, v in zip("ijk", sizes, strict=True)},
        **{f"ras_{a}": v for a, v in zip("xyz", ras, strict=True)},
        "axcodes": "".join(aff2axcodes(affine)),
    }


@pytest.mark.parametrize("level", LEVELS)
def test_it_matches_nibabel_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        theirs = nibabel_answers(exercise.data)
        assert exercise.expected_text["axcodes"] == theirs.pop("axcodes"), seed
        for name, value in theirs.items():
            assert exercise.expected[name] == pytest.approx(value, abs=1e-9), (seed, name)


@pytest.mark.parametrize("level", LEVELS)
def test_the_voxel_lies_inside_the_image_and_the_hard_level_is_oblique(level):
    for seed in SEEDS:
        data = generate(seed, level).data
        assert all(0 <= v < n for v, n in zip(data["voxel"], data["shape"], strict=True))
        rotation = np.array(data["affine"])[:3, :3]
        off_axis = np.count_nonzero(np.abs(rotation) > 1e-9)
        assert (off_axis > 3) == (level == "hard"), seed


def test_every_level_uses_many_orientations():
    codes = {
        level: {generate(seed, level).expected_text["axcodes"] for seed in SEEDS}
        for level in LEVELS
    }
    assert codes["easy"] == {"RAS", "LAS", "LPS"}
    assert len(codes["medium"]) >= 30 and len(codes["hard"]) >= 30


def test_oblique_axes_keep_one_clearly_largest_component():
    for seed in SEEDS:
        columns = np.abs(np.array(generate(seed, "hard").data["affine"])[:3, :3]).T
        for column in columns:
            largest, second = np.sort(column)[::-1][:2]
            assert largest > 1.8 * second, seed


@pytest.mark.parametrize("level", LEVELS)
def test_the_file_reopens_in_nibabel_with_the_exercises_geometry(level):
    for seed in range(20):
        exercise = generate(seed, level)
        image = nibabel.Nifti1Image.from_bytes(gzip.decompress(build_nifti(exercise)))
        sform, sform_code = image.header.get_sform(coded=True)
        qform, qform_code = image.header.get_qform(coded=True)
        assert (int(sform_code), int(qform_code)) == (1, 1)
        assert np.allclose(sform, exercise.data["affine"], atol=1e-4)
        assert np.allclose(qform, exercise.data["affine"], atol=1e-3)  # qform: no shears
        assert list(image.shape) == exercise.data["shape"]
        assert "".join(aff2axcodes(image.affine)) == exercise.expected_text["axcodes"]
        world = apply_affine(image.affine, exercise.data["voxel"])
        expected = [exercise.expected[f"world_{a}"] for a in "xyz"]
        assert np.allclose(world, expected, atol=1e-3)
        assert np.asarray(image.dataobj)[tuple(exercise.data["voxel"])] == 1000
        assert image.header.get_xyzt_units()[0] == "mm"


def test_the_file_is_the_same_bytes_every_time():
    exercise = generate(7, "hard")
    assert build_nifti(exercise) == build_nifti(generate(7, "hard"))


def test_it_refuses_to_build_a_file_for_another_kind():
    from questions.exercises import generate as any_kind

    with pytest.raises(ValueError, match="only 'nifti' exercises"):
        build_nifti(any_kind("roc", 1, "easy"))


def test_axis_codes_are_checked_without_regard_to_case_or_spaces():
    exercise = generate(3, "medium")
    code = exercise.expected_text["axcodes"]
    spaced = ", ".join(code.lower())  # "r, a, s"
    assert check(exercise, {"axcodes": spaced})["axcodes"].correct
    wrong = check(exercise, {"axcodes": code[::-1] if code[::-1] != code else "XYZ"})["axcodes"]
    assert not wrong.correct and wrong.message == f"incorrect: expected {code}"
    missing = check(exercise, {"axcodes": "  "})["axcodes"]
    assert not missing.correct and missing.message.startswith("missing")
    assert not check(exercise, {"axcodes": 12})["axcodes"].correct


def test_the_solution_gives_the_numbers_and_the_lps_to_ras_rule():
    exercise = generate(11, "hard")
    text = "\n".join(exercise.solution)
    assert exercise.expected_text["axcodes"] in text
    assert "oblique" in text
    assert "(-x, -y, z)" in text
    assert f"{exercise.expected['world_x']:.2f}" in text


@pytest.mark.parametrize(
    "typed", ["lps", "L P S", "l,p,s", "LPS+", "('L', 'P', 'S')", "ＬＰＳ", "L-P-S", "L → P → S"]
)
def test_axis_codes_are_read_by_their_letters(typed):
    from questions.exercises.base import normalise_text

    assert normalise_text(typed) == "LPS"


def test_file_orders_may_be_written_as_file_names():
    from questions.exercises.base import normalise_text

    assert normalise_text("F.dcm, C.dcm, B.dcm") == "FCB"
