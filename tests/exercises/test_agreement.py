import itertools
import warnings

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, cohen_kappa_score

from questions.exercises import check
from questions.exercises.agreement import cohen, fleiss, generate

SEEDS = range(200)


def sklearn_kappa(a, b) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns before returning nan for 0/0
        return cohen_kappa_score(a, b, labels=[0, 1])


def fleiss_by_pairs(ratings: list[list[int]], k: int) -> tuple[float, float, float]:
    """An independent route: agreement as the share of agreeing ordered rater pairs."""
    per_subject = []
    for row in ratings:
        pairs = list(itertools.permutations(row, 2))
        per_subject.append(sum(x == y for x, y in pairs) / len(pairs))
    flat = [r for row in ratings for r in row]
    p_bar = sum(per_subject) / len(per_subject)
    p_e = sum((flat.count(j) / len(flat)) ** 2 for j in range(k))
    return p_bar, p_e, (p_bar - p_e) / (1 - p_e)


@pytest.mark.parametrize("level", ["easy", "medium"])
def test_it_matches_scikit_learn_cohen_kappa_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        a, b = exercise.data["reader_a"], exercise.data["reader_b"]
        expected = exercise.expected
        assert expected["p_o"] == pytest.approx(accuracy_score(a, b), abs=1e-12)
        n = len(a)
        p_e = (sum(a) / n) * (sum(b) / n) + (1 - sum(a) / n) * (1 - sum(b) / n)
        assert expected["p_e"] == pytest.approx(p_e, abs=1e-12)
        theirs = sklearn_kappa(a, b)
        if np.isnan(theirs):
            assert expected["kappa"] is None
        else:
            assert expected["kappa"] == pytest.approx(theirs, abs=1e-12)


def test_cohen_matches_a_textbook_example():
    # 50 proposals: both yes 20, A yes B no 5, A no B yes 10, both no 15.
    a = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15

    values = cohen(np.array(a), np.array(b))

    assert values == pytest.approx({"p_o": 0.7, "p_e": 0.5, "kappa": 0.4})
    assert values["kappa"] == pytest.approx(sklearn_kappa(a, b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([0, 0, 0, 0], [0, 0, 0, 0]),  # one label for everything: p_e = 1, kappa 0/0
        ([1, 1, 1], [1, 1, 1]),
        ([1, 1, 1, 1], [0, 0, 0, 0]),  # total disagreement, p_e = 0
        ([1, 0, 1, 0], [1, 0, 1, 0]),  # perfect
        ([1, 0, 0, 0], [0, 0, 0, 0]),  # one reader constant
    ],
)
def test_cohen_edge_cases_match_scikit_learn_with_none_for_undefined(a, b):
    values = cohen(np.array(a), np.array(b))
    theirs = sklearn_kappa(a, b)

    if np.isnan(theirs):
        assert values["kappa"] is None
        assert values["p_e"] == 1.0
    else:
        assert values["kappa"] == pytest.approx(theirs, abs=1e-12)


def test_an_undefined_cohen_kappa_is_explained_and_accepts_a_blank():
    exercise = generate(0, "easy")
    exercise.data["reader_a"] = exercise.data["reader_b"] = [0] * 10
    values = cohen(np.zeros(10, dtype=int), np.zeros(10, dtype=int))
    exercise.expected = values

    assert values["kappa"] is None
    assert check(exercise, {"p_o": "1", "p_e": "1", "kappa": ""})["kappa"].correct


def test_medium_shows_high_agreement_with_a_lower_kappa():
    gaps = [
        e.expected["p_o"] - e.expected["kappa"]
        for e in (generate(seed, "medium") for seed in SEEDS)
        if e.expected["kappa"] is not None
    ]
    assert np.median(gaps) > 0.1


def test_it_matches_an_independent_fleiss_implementation_on_many_seeds():
    for seed in SEEDS:
        exercise = generate(seed, "hard")
        data = exercise.data
        k = len(data["categories"])
        counts = np.array(data["counts"])
        assert 10 <= data["subjects"] <= 20 and 4 <= data["raters"] <= 6 and 2 <= k <= 3
        assert counts.shape == (data["subjects"], k)
        assert (counts.sum(axis=1) == data["raters"]).all()
        for row, tally in zip(data["ratings"], data["counts"], strict=True):
            assert [row.count(j) for j in range(k)] == tally
        p_bar, p_e, kappa = fleiss_by_pairs(data["ratings"], k)
        assert exercise.expected["p_bar"] == pytest.approx(p_bar, abs=1e-12)
        assert exercise.expected["p_e_bar"] == pytest.approx(p_e, abs=1e-12)
        assert exercise.expected["kappa"] == pytest.approx(kappa, abs=1e-12)


def test_fleiss_matches_the_textbook_example():
    # Fleiss (1971) as reproduced on Wikipedia: 10 subjects, 14 raters, 5 categories.
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]

    values = fleiss(np.array(counts))

    assert values["p_bar"] == pytest.approx(0.378, abs=5e-4)
    assert values["p_e_bar"] == pytest.approx(0.213, abs=5e-4)
    assert values["kappa"] == pytest.approx(0.210, abs=5e-4)


def test_fleiss_matches_a_hand_computed_example():
    # 3 cases, 3 raters, 2 categories: counts (3,0), (2,1), (0,3).
    # P_i = (9-3)/6 = 1, (4+1-3)/6 = 1/3, 1      -> P̄ = 7/9
    # p_j = 5/9, 4/9                              -> P̄e = 25/81 + 16/81 = 41/81
    # kappa = (63/81 - 41/81) / (40/81) = 22/40 = 0.55
    values = fleiss(np.array([[3, 0], [2, 1], [0, 3]]))

    assert values["p_bar"] == pytest.approx(7 / 9)
    assert values["p_e_bar"] == pytest.approx(41 / 81)
    assert values["kappa"] == pytest.approx(0.55)


def test_fleiss_kappa_is_undefined_when_every_rating_is_one_category():
    values = fleiss(np.array([[4, 0], [4, 0], [4, 0]]))

    assert values["p_bar"] == 1.0 and values["p_e_bar"] == 1.0
    assert values["kappa"] is None


def test_fleiss_refuses_unequal_numbers_of_ratings():
    with pytest.raises(ValueError, match="same number"):
        fleiss(np.array([[2, 1], [1, 1]]))
    with pytest.raises(ValueError, match="same number"):
        fleiss(np.array([[1, 0], [0, 1]]))


def test_the_fleiss_solution_lists_every_case():
    exercise = generate(5, "hard")
    step = next(s for s in exercise.solution if s.startswith("For each case"))

    for i in range(1, exercise.data["subjects"] + 1):
        assert f"case {i}:" in step
