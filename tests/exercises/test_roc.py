import numpy as np
import pytest
from sklearn.metrics import recall_score, roc_auc_score, roc_curve

from questions.exercises import LEVELS
from questions.exercises.roc import auc, generate, operating_point, threshold_for_sensitivity

SEEDS = range(200)


def highest_threshold_from_roc_curve(scores, labels, target: float) -> float:
    """Walk scikit-learn's ROC curve from the top; its thresholds are the distinct scores."""
    _, tpr, thresholds = roc_curve(labels, scores, drop_intermediate=False)
    first = int(np.argmax(tpr >= target - 1e-12))
    return float(thresholds[first])


@pytest.mark.parametrize("level", LEVELS)
def test_it_matches_scikit_learn_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        data = exercise.data
        scores, labels, t = np.array(data["scores"]), data["labels"], data["threshold"]
        called = (scores >= t).astype(int)
        expected = exercise.expected
        assert expected["sensitivity"] == pytest.approx(recall_score(labels, called), abs=1e-12)
        assert expected["specificity"] == pytest.approx(
            recall_score(labels, called, pos_label=0), abs=1e-12
        )
        assert expected["auc"] == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)
        target = data["target_sensitivity"]
        assert expected["threshold_for_target"] == highest_threshold_from_roc_curve(
            scores, labels, target
        )
        assert expected["threshold_for_target"] in data["scores"]


@pytest.mark.parametrize(
    ("scores", "labels", "area"),
    [
        ([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0], 0.5),  # all tied: each pair counts one half
        ([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0], 1.0),
        ([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0], 0.0),
        ([0.7, 0.7, 0.3, 0.7], [1, 0, 0, 1], 0.75),  # 2 wins and 2 ties in 4 pairs
    ],
)
def test_auc_counts_ties_as_one_half_like_scikit_learn(scores, labels, area):
    assert auc(np.array(scores), np.array(labels)) == pytest.approx(area)
    assert roc_auc_score(labels, scores) == pytest.approx(area)


def test_auc_is_undefined_with_a_single_class():
    assert auc(np.array([0.1, 0.2]), np.array([1, 1])) is None


def test_a_score_equal_to_the_threshold_is_positive():
    sensitivity, specificity = operating_point(np.array([0.4, 0.4, 0.3]), np.array([1, 0, 0]), 0.4)

    assert sensitivity == 1.0
    assert specificity == 0.5


@pytest.mark.parametrize(
    ("percent", "threshold"), [(100, 0.2), (80, 0.6), (75, 0.6), (60, 0.6), (40, 0.8), (20, 0.9)]
)
def test_the_target_threshold_is_the_right_positive_score(percent, threshold):
    scores = np.array([0.9, 0.8, 0.6, 0.6, 0.2, 0.7, 0.1])
    labels = np.array([1, 1, 1, 1, 1, 0, 0])

    assert threshold_for_sensitivity(scores, labels, percent) == threshold


def test_ninety_percent_of_ten_needs_nine_positives_not_ten():
    """0.9 * 10 is 9.000000000000002 in floats; the integer ceiling must still say 9."""
    scores = np.arange(10, 0, -1) / 10
    labels = np.ones(10, dtype=int)

    assert threshold_for_sensitivity(scores, labels, 90) == 0.2


def test_easy_scores_have_no_ties_and_hard_scores_do():
    for seed in SEEDS:
        scores = generate(seed, "easy").data["scores"]
        assert len(set(scores)) == len(scores)
    tied = sum(
        len(set(e.data["scores"])) < len(e.data["scores"])
        for e in (generate(seed, "hard") for seed in SEEDS)
    )
    assert tied == len(SEEDS)


def test_the_threshold_is_one_of_the_scores_and_both_classes_are_present():
    for level in LEVELS:
        for seed in SEEDS:
            data = generate(seed, level).data
            assert data["threshold"] in data["scores"]
            assert 2 <= sum(data["labels"]) <= len(data["labels"]) - 2
