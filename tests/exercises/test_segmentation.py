import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score, jaccard_score

from questions.exercises import LEVELS
from questions.exercises.base import fmt
from questions.exercises.segmentation import generate, overlap

SEEDS = range(200)
SIZES = {"easy": 16, "medium": 24, "hard": 32}


def sklearn_overlap(truth, prediction) -> dict[str, float]:
    t, p = np.ravel(truth), np.ravel(prediction)
    # zero_division=1.0: two empty masks agree perfectly, our stated convention.
    return {
        "dice": f1_score(t, p, zero_division=1.0),
        "iou": jaccard_score(t, p, zero_division=1.0),
        "pixel_accuracy": accuracy_score(t, p),
    }


@pytest.mark.parametrize("level", LEVELS)
def test_it_matches_scikit_learn_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        truth, prediction = exercise.data["ground_truth"], exercise.data["prediction"]
        assert np.shape(truth) == np.shape(prediction) == (SIZES[level], SIZES[level])
        assert exercise.data["shape"] == [SIZES[level], SIZES[level]]
        theirs = sklearn_overlap(truth, prediction)
        for name, value in theirs.items():
            assert exercise.expected[name] == pytest.approx(value, abs=1e-12), (seed, name)


@pytest.mark.parametrize(
    ("truth", "prediction", "dice", "iou"),
    [
        (np.zeros((4, 4)), np.zeros((4, 4)), 1.0, 1.0),  # convention: nothing to find, found
        (np.zeros((4, 4)), np.eye(4), 0.0, 0.0),
        (np.eye(4), np.zeros((4, 4)), 0.0, 0.0),
        (np.eye(4), np.eye(4), 1.0, 1.0),
        (np.eye(4), np.fliplr(np.eye(4)), 0.0, 0.0),
    ],
)
def test_empty_and_extreme_masks_follow_the_stated_convention(truth, prediction, dice, iou):
    ours = overlap(truth, prediction)

    assert ours["dice"] == dice and ours["iou"] == iou
    assert ours == pytest.approx(sklearn_overlap(truth.astype(int), prediction.astype(int)))


def test_iou_is_dice_over_two_minus_dice():
    for seed in SEEDS:
        v = generate(seed, "medium").expected
        assert v["iou"] == pytest.approx(v["dice"] / (2 - v["dice"]))
        assert v["iou"] <= v["dice"]


@pytest.mark.parametrize(("level", "largest"), [("easy", 0.2), ("medium", 0.12), ("hard", 0.06)])
def test_lesions_are_small_so_background_dominates(level, largest):
    for seed in SEEDS:
        truth = np.array(generate(seed, level).data["ground_truth"])
        assert truth.mean() < largest


def test_the_hard_level_includes_missed_and_absent_lesions():
    masks = [generate(seed, "hard").data for seed in SEEDS]
    missed = sum(np.any(m["ground_truth"]) and not np.any(m["prediction"]) for m in masks)
    absent = sum(not np.any(m["ground_truth"]) for m in masks)
    both_empty = sum(not np.any(m["ground_truth"]) and not np.any(m["prediction"]) for m in masks)

    assert missed and absent and both_empty


def test_the_solution_compares_with_an_all_background_prediction():
    for seed in range(30):
        exercise = generate(seed, "medium")
        truth = np.array(exercise.data["ground_truth"])
        background = 1 - truth.mean()
        last = exercise.solution[-1]
        assert "predicts no lesion" in last
        assert fmt(background) in last
        assert "pixel accuracy says little about small lesions" in last


def test_the_solution_states_the_empty_mask_convention():
    empty = next(
        e
        for e in (generate(seed, "hard") for seed in SEEDS)
        if e.expected["dice"] == 1.0 and not np.any(e.data["ground_truth"])
    )
    assert any("By convention both are 1.0" in step for step in empty.solution)


def test_the_prompt_states_the_convention_for_two_empty_masks():
    """Two empty masks expect Dice = IoU = 1, which the prompt must say before it is marked."""
    from questions.exercises import check

    empty = next(
        exercise
        for seed in range(2000)
        for level in ("easy", "medium", "hard")
        for exercise in [generate(seed, level)]
        if not any(map(any, exercise.data["ground_truth"]))
        and not any(map(any, exercise.data["prediction"]))
    )
    assert "If both masks are empty, take Dice and IoU as 1" in empty.prompt
    assert check(empty, {"dice": "1", "iou": "1"})["dice"].correct
