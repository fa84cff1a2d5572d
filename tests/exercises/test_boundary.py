"""Boundary distances against scipy: the Euclidean distance transform with `sampling=` and
`directed_hausdorff`, on surfaces found by binary erosion."""

import numpy as np
import pytest
from scipy.ndimage import binary_erosion, distance_transform_edt, generate_binary_structure
from scipy.spatial.distance import directed_hausdorff

from questions.exercises import LEVELS
from questions.exercises.boundary import distances, generate, surface

SEEDS = range(200)


def scipy_surface(mask: np.ndarray) -> np.ndarray:
    """Mask voxels that a face-connected erosion removes; outside the array is background."""
    structure = generate_binary_structure(mask.ndim, 1)
    return mask & ~binary_erosion(mask, structure=structure, border_value=0)


def scipy_distances(truth, prediction, spacing) -> dict[str, float]:
    st, sp = scipy_surface(truth), scipy_surface(prediction)
    # Distance from every voxel to the nearest surface voxel of the other mask, in mm.
    to_prediction = distance_transform_edt(~sp, sampling=spacing)
    to_truth = distance_transform_edt(~st, sampling=spacing)
    ab, ba = to_prediction[st], to_truth[sp]
    points_t = np.argwhere(st) * np.asarray(spacing)
    points_p = np.argwhere(sp) * np.asarray(spacing)
    hd = max(directed_hausdorff(points_t, points_p)[0], directed_hausdorff(points_p, points_t)[0])
    assert hd == pytest.approx(max(ab.max(), ba.max()), abs=1e-9)
    return {
        "hd": hd,
        "hd95": max(np.percentile(ab, 95), np.percentile(ba, 95)),
        "assd": (ab.sum() + ba.sum()) / (ab.size + ba.size),
    }


@pytest.mark.parametrize("level", LEVELS)
def test_it_matches_scipy_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        truth = np.array(exercise.data["ground_truth"], dtype=bool)
        prediction = np.array(exercise.data["prediction"], dtype=bool)
        spacing = exercise.data["spacing"]
        assert truth.ndim == (3 if level == "hard" else 2) == len(spacing)
        assert truth.any() and prediction.any()
        in_mm = scipy_distances(truth, prediction, spacing)
        in_voxels = scipy_distances(truth, prediction, [1.0] * truth.ndim)
        for name in ("hd", "hd95", "assd"):
            assert exercise.expected[f"{name}_mm"] == pytest.approx(in_mm[name], abs=1e-9), seed
            assert exercise.expected[f"{name}_vox"] == pytest.approx(in_voxels[name], abs=1e-9)


def test_the_surface_matches_binary_erosion_at_the_array_border():
    mask = np.zeros((4, 5), dtype=bool)
    mask[:3, :3] = True  # touches the top and left edges: those voxels are surface
    assert np.array_equal(surface(mask), scipy_surface(mask))
    assert not surface(mask)[1, 1] and surface(mask)[0, 1]
    cube = np.ones((3, 3, 3), dtype=bool)
    assert np.array_equal(surface(cube), scipy_surface(cube))


def test_spacing_changes_the_answer_and_is_always_anisotropic():
    changed = 0
    for level in LEVELS:
        for seed in range(50):
            exercise = generate(seed, level)
            assert len(set(exercise.data["spacing"])) > 1
            changed += exercise.expected["hd_mm"] != exercise.expected["hd_vox"]
    assert changed > 100


def test_a_stray_voxel_moves_hd_more_than_hd95_and_assd():
    truth = np.zeros((20, 20), dtype=bool)
    truth[5:15, 5:15] = True
    prediction = truth.copy()
    prediction[18, 18] = True
    result = distances(truth, prediction, (1.0, 1.0))
    assert result["hd"] == pytest.approx(np.hypot(4, 4))
    assert result["hd95"] < 1 and result["assd"] < 0.2


def test_the_prompt_states_the_definitions():
    prompt = generate(0, "hard").prompt
    assert "6-connected neighbour outside the mask" in prompt
    assert "larger of the two directed 95th percentiles" in prompt
    assert "linear interpolation" in prompt
    assert "4-connected" in generate(0, "easy").prompt


def test_the_prompt_says_which_spacing_goes_between_which_neighbours():
    prompt = generate(3, "hard").prompt
    assert "neighbouring slices" in prompt and "neighbouring rows" in prompt
    assert "neighbouring columns" in prompt and "(row, column)" not in prompt
