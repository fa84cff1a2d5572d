import warnings

import numpy as np
import pytest
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
)

from questions.exercises import LEVELS, check
from questions.exercises.classification import METRICS, confusion, generate, metrics

SEEDS = range(200)


def sklearn_metrics(labels, predictions) -> dict[str, float]:
    """scikit-learn's values, with nan where a metric divides by zero."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        values = {
            "precision": precision_score(labels, predictions, zero_division=np.nan),
            "recall": recall_score(labels, predictions, zero_division=np.nan),
            "specificity": recall_score(labels, predictions, pos_label=0, zero_division=np.nan),
            "f1": f1_score(labels, predictions, zero_division=np.nan),
            "accuracy": accuracy_score(labels, predictions),
        }
        if len(set(labels)) == 2:  # scikit-learn averages over the classes present only
            values["balanced_accuracy"] = balanced_accuracy_score(labels, predictions)
    return values


def assert_same(ours: dict, theirs: dict) -> None:
    for name, value in theirs.items():
        if np.isnan(value):
            assert ours[name] is None, name
        else:
            assert ours[name] == pytest.approx(value, abs=1e-12), name


def predictions_of(exercise) -> list[int]:
    data = exercise.data
    if "threshold" in data:
        return [int(score >= data["threshold"]) for score in data["scores"]]
    return data["predictions"]


@pytest.mark.parametrize("level", LEVELS)
def test_it_matches_scikit_learn_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        labels, predictions = exercise.data["labels"], predictions_of(exercise)
        tn, fp, fn, tp = confusion_matrix(labels, predictions, labels=[0, 1]).ravel()
        expected = exercise.expected
        assert [expected[c] for c in ("tp", "fp", "fn", "tn")] == [tp, fp, fn, tn]
        assert_same(expected, sklearn_metrics(labels, predictions))


@pytest.mark.parametrize(
    ("labels", "predictions"),
    [
        ([1, 0, 0, 0], [0, 0, 0, 0]),  # nothing flagged: precision 0/0, F1 still 0
        ([0, 0, 0, 0], [0, 0, 0, 0]),  # no lesion, nothing flagged: recall and F1 0/0
        ([0, 0, 0, 0], [0, 1, 0, 0]),  # no lesion: recall 0/0, F1 = 0
        ([1, 1, 1, 1], [1, 1, 0, 1]),  # no lesion-free case: specificity 0/0
        ([1, 0, 0, 1], [1, 0, 0, 1]),  # perfect
        ([1, 0, 0, 1], [0, 1, 1, 0]),  # all wrong
        ([1, 0, 0, 0], [1, 1, 1, 1]),  # everything flagged
    ],
)
def test_edge_cases_match_scikit_learn_with_none_for_undefined(labels, predictions):
    ours = metrics(confusion(np.array(labels), np.array(predictions)))

    assert_same(ours, sklearn_metrics(labels, predictions))
    if len(set(labels)) < 2:
        assert ours["balanced_accuracy"] is None


def test_f1_stays_defined_when_only_precision_is_undefined():
    ours = metrics(confusion(np.array([1, 1, 0]), np.array([0, 0, 0])))

    assert ours["precision"] is None
    assert ours["f1"] == 0.0
    assert ours["recall"] == 0.0


def test_hard_exercises_sometimes_flag_nothing_and_explain_why_precision_is_undefined():
    undefined = [
        exercise
        for exercise in (generate(seed, "hard") for seed in SEEDS)
        if exercise.expected["precision"] is None
    ]
    assert undefined, "no hard seed among 200 exercises the undefined-precision case"
    for exercise in undefined:
        assert exercise.expected["f1"] == 0.0
        assert any("is undefined" in step for step in exercise.solution)
        assert check(exercise, {"precision": ""})["precision"].correct


def test_hard_exercises_predict_positive_at_or_above_the_threshold():
    ties = 0
    for seed in SEEDS:
        exercise = generate(seed, "hard")
        data = exercise.data
        assert [row["score"] for row in data["cases"]] == data["scores"]
        assert [row["label"] for row in data["cases"]] == data["labels"]
        assert "predictions" not in data  # applying the threshold is the exercise
        ties += data["threshold"] in data["scores"]
        flagged = sum(score >= data["threshold"] for score in data["scores"])
        assert exercise.expected["tp"] + exercise.expected["fp"] == flagged
    assert ties > 20  # a score equal to the threshold, which counts as positive, is common


@pytest.mark.parametrize("level", LEVELS)
def test_prevalence_is_that_of_a_rare_lesion(level):
    rates = []
    for seed in SEEDS:
        labels = generate(seed, level).data["labels"]
        assert sum(labels) >= 1
        rates.append(sum(labels) / len(labels))
    assert min(rates) >= 0.02 and max(rates) <= 0.2


def test_levels_grow_in_size_and_imbalance():
    def mean(level, key):
        exercises = [generate(seed, level) for seed in range(50)]
        if key == "n":
            return np.mean([e.data["n"] for e in exercises])
        return np.mean([np.mean(e.data["labels"]) for e in exercises])

    assert mean("easy", "n") < mean("medium", "n")
    assert mean("easy", "prevalence") > mean("medium", "prevalence")


def test_the_solution_fills_the_numbers_into_the_formulas():
    exercise = generate(4, "medium")
    e = exercise.expected
    tp, fp = int(e["tp"]), int(e["fp"])

    text = "\n".join(exercise.solution)

    assert f"\\frac{{{tp}}}{{{tp}+{fp}}}" in text
    assert f"{e['precision']:.3f}" in text or e["precision"] is None
    assert set(METRICS) <= set(e)
