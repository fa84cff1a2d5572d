import numpy as np
import pytest
from sklearn.utils.class_weight import compute_class_weight

from questions.exercises import LEVELS
from questions.exercises.class_weights import balanced_weights, generate

SEEDS = range(200)


def labels_of(counts: list[int]) -> np.ndarray:
    return np.repeat(np.arange(len(counts)), counts)


@pytest.mark.parametrize("level", LEVELS)
def test_it_matches_scikit_learn_balanced_weights_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        classes = exercise.data["classes"]
        counts = [c["count"] for c in classes]
        theirs = compute_class_weight(
            "balanced", classes=np.arange(len(counts)), y=labels_of(counts)
        )
        ours = [exercise.expected[f"weight_{c['key']}"] for c in classes]
        assert ours == pytest.approx(theirs, rel=1e-12)
        assert exercise.data["n"] == sum(counts)


@pytest.mark.parametrize("counts", [[1, 1], [900, 100], [5, 50, 500], [1, 2, 3, 4, 1000], [7]])
def test_balanced_weights_match_scikit_learn_on_edge_counts(counts):
    theirs = compute_class_weight("balanced", classes=np.arange(len(counts)), y=labels_of(counts))

    assert balanced_weights(counts) == pytest.approx(theirs, rel=1e-12)


@pytest.mark.parametrize("level", LEVELS)
def test_every_class_contributes_n_over_k_to_the_loss(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        classes = exercise.data["classes"]
        share = exercise.data["n"] / len(classes)
        for c in classes:
            assert exercise.expected[f"loss_{c['key']}"] == pytest.approx(share, rel=1e-12)
        assert any("the same for every class" in step for step in exercise.solution)


@pytest.mark.parametrize("level", LEVELS)
def test_resampling_counts_are_the_smallest_and_largest_class(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        counts = [c["count"] for c in exercise.data["classes"]]
        k = len(counts)
        assert exercise.expected["under_per_class"] == min(counts)
        assert exercise.expected["under_total"] == k * min(counts)
        assert exercise.expected["over_per_class"] == max(counts)
        assert exercise.expected["over_total"] == k * max(counts)


def test_easy_is_binary_and_harder_levels_have_three_to_five_imbalanced_classes():
    for seed in SEEDS:
        assert len(generate(seed, "easy").data["classes"]) == 2
        for level, (low, high) in (("medium", (3, 4)), ("hard", (4, 5))):
            counts = [c["count"] for c in generate(seed, level).data["classes"]]
            assert low <= len(counts) <= high
            assert counts[0] == max(counts)
            assert max(counts) / min(counts) >= 5  # heavily imbalanced
            assert min(counts) >= 5


def test_the_solution_shows_each_weight_with_its_numbers():
    exercise = generate(3, "hard")
    n, k = exercise.data["n"], len(exercise.data["classes"])
    text = "\n".join(exercise.solution)

    for c in exercise.data["classes"]:
        assert f"\\frac{{{n}}}{{{k} \\times {c['count']}}}" in text
