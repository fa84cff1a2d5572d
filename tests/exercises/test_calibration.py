import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from questions.exercises import LEVELS
from questions.exercises.calibration import bin_index, edges, generate

SEEDS = range(200)
BINS = {"easy": 5, "medium": 10, "hard": 10}


def sklearn_bins(probabilities, outcomes, bins):
    """(counts, mean prediction, observed rate) of the non-empty bins, scikit-learn's way.

    calibration_curve gives the means; the counts come from the same rule it uses to bin,
    np.searchsorted on the inner edges (a value on an edge goes into the lower bin).
    """
    observed, confidence = calibration_curve(outcomes, probabilities, n_bins=bins)
    index = np.searchsorted(np.linspace(0.0, 1.0, bins + 1)[1:-1], probabilities)
    counts = np.bincount(index, minlength=bins)
    return counts[counts > 0], confidence, observed, index


@pytest.mark.parametrize("level", LEVELS)
def test_it_matches_scikit_learn_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        p = np.array(exercise.data["probabilities"])
        y = np.array(exercise.data["outcomes"])
        bins = exercise.data["bins"]
        assert bins == BINS[level]
        expected = exercise.expected
        assert expected["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-12), seed

        counts, confidence, observed, index = sklearn_bins(p, y, bins)
        gaps = np.abs(confidence - observed)
        assert expected["ece"] == pytest.approx(np.sum(counts * gaps) / p.size, abs=1e-12), seed
        if level == "hard":
            assert expected["mce"] == pytest.approx(gaps.max(), abs=1e-12), seed
        else:
            assert "mce" not in expected

        named = exercise.data["named_bin"]
        position = int(np.sum(np.unique(index) < named))  # among the non-empty bins
        assert named in index
        assert expected["bin_confidence"] == pytest.approx(confidence[position], abs=1e-12)
        assert expected["bin_observed"] == pytest.approx(observed[position], abs=1e-12)


def test_a_prediction_on_an_edge_goes_into_the_lower_bin_as_in_scikit_learn():
    hundredths = np.arange(1, 100)
    for bins in (5, 10):
        theirs = np.searchsorted(np.linspace(0.0, 1.0, bins + 1)[1:-1], hundredths / 100)
        assert np.array_equal(bin_index(hundredths, bins), theirs)
    assert bin_index(np.array([10, 11, 30, 31]), 10).tolist() == [0, 1, 2, 3]


def test_edges_appear_in_the_data_and_the_prompt_states_the_rule():
    on_edge = 0
    for seed in SEEDS:
        exercise = generate(seed, "medium")
        hundredths = np.rint(np.array(exercise.data["probabilities"]) * 100).astype(int)
        on_edge += int(np.sum(hundredths % 10 == 0))
        assert "a prediction exactly on an edge goes into the lower bin" in exercise.prompt
    assert on_edge > 200


def test_bin_labels_are_half_open_except_the_first():
    assert edges(5) == ["[0.0, 0.2]", "(0.2, 0.4]", "(0.4, 0.6]", "(0.6, 0.8]", "(0.8, 1.0]"]


def test_the_named_bin_is_not_empty_and_empty_bins_are_explained():
    explained = 0
    for seed in SEEDS:
        exercise = generate(seed, "hard")
        assert exercise.expected["bin_confidence"] is not None
        assert exercise.data["named_bin_edges"] in exercise.fields[1].label
        explained += any("empty bin" in step for step in exercise.solution)
    assert explained
