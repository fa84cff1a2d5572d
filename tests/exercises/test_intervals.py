import math

import pytest
from scipy.stats import binomtest, chisquare

from questions.exercises import LEVELS, check
from questions.exercises.intervals import cases_needed, clopper_pearson, generate, mcnemar, wilson

SEEDS = range(200)


def reader_a(exercise) -> tuple[int, int]:
    return exercise.data["detected"], exercise.data["positives"]


@pytest.mark.parametrize("level", LEVELS)
def test_the_intervals_match_scipy_on_many_seeds(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        k, n = reader_a(exercise)
        expected = exercise.expected
        result = binomtest(k, n)
        assert expected["sensitivity"] == pytest.approx(result.statistic, abs=1e-12)
        theirs = result.proportion_ci(confidence_level=0.95, method="wilson")
        assert expected["wilson_low"] == pytest.approx(theirs.low, abs=1e-9), seed
        assert expected["wilson_high"] == pytest.approx(theirs.high, abs=1e-9), seed
        exact = result.proportion_ci(confidence_level=0.95, method="exact")
        if level == "easy":
            assert "cp_low" not in expected
        else:
            assert expected["cp_low"] == pytest.approx(exact.low, abs=1e-9), seed
            assert expected["cp_high"] == pytest.approx(exact.high, abs=1e-9), seed


@pytest.mark.parametrize("level", LEVELS)
def test_the_sample_size_is_the_smallest_n_reaching_the_half_width(level):
    for seed in SEEDS:
        exercise = generate(seed, level)
        p, w = exercise.data["planned_sensitivity"], exercise.data["half_width"]
        needed = exercise.expected["cases_needed"]
        # Brute force, with a hair of slack for binary floats at an exact boundary.
        assert 1.96 * math.sqrt(p * (1 - p) / needed) <= w + 1e-12
        assert 1.96 * math.sqrt(p * (1 - p) / (needed - 1)) > w + 1e-12


def test_mcnemar_matches_scipy_on_many_seeds():
    differ = undefined = 0
    for seed in SEEDS:
        exercise = generate(seed, "hard")
        paired = exercise.data["paired"]
        b, c = paired["a_only"], paired["b_only"]
        assert sum(paired.values()) == exercise.data["positives"]
        assert paired["both"] + b == exercise.data["detected"]
        expected = exercise.expected
        if b + c == 0:
            undefined += 1
            assert expected["mcnemar_chi2"] is None and expected["mcnemar_p"] == 1.0
            continue
        # Goodness of fit of (b, c) to equal halves is McNemar's statistic.
        assert expected["mcnemar_chi2"] == pytest.approx(chisquare([b, c]).statistic, abs=1e-9)
        p_value = binomtest(b, b + c, 0.5).pvalue
        assert expected["mcnemar_p"] == pytest.approx(p_value, abs=1e-12), seed
        assert expected["readers_differ"] == (1.0 if p_value < 0.05 else 0.0)
        differ += p_value < 0.05
    assert 20 <= differ <= 180 and undefined < 20


@pytest.mark.parametrize(
    ("k", "n"), [(0, 10), (10, 10), (1, 1), (0, 1), (37, 80), (79, 80), (1, 80)]
)
def test_the_intervals_at_the_edges_match_scipy(k, n):
    result = binomtest(k, n)
    for ours, method in ((wilson(k, n), "wilson"), (clopper_pearson(k, n), "exact")):
        theirs = result.proportion_ci(method=method)
        assert ours == pytest.approx((theirs.low, theirs.high), abs=1e-9)


def test_an_exact_ceiling_is_not_rounded_up_again():
    from fractions import Fraction

    # 1.96² × 0.5 × 0.5 / 0.098² = 100 exactly, which a float computation gets as 100.00…01.
    assert cases_needed(Fraction("0.5"), Fraction("0.098")) == 100


def test_mcnemar_without_discordant_pairs_is_undefined_with_p_one():
    assert mcnemar(0, 0) == (None, 1.0)
    assert mcnemar(5, 0)[1] == pytest.approx(binomtest(5, 5).pvalue)


def test_the_prompt_states_the_sample_size_formula_and_the_test():
    exercise = generate(1, "hard")
    assert "n = \\lceil z^2 p (1 - p) / w^2 \\rceil" in exercise.prompt
    assert "z = 1.96" in exercise.prompt
    assert "without continuity correction" in exercise.prompt
    assert "blank if there is no discordant pair" in exercise.prompt


def test_a_blank_statistic_is_right_when_there_is_no_discordant_pair():
    exercise = next(
        e for e in (generate(s, "hard") for s in range(2000)) if e.expected["mcnemar_chi2"] is None
    )
    results = check(exercise, {"mcnemar_chi2": "", "mcnemar_p": "1", "readers_differ": "no"})
    assert results["mcnemar_chi2"].correct and results["mcnemar_p"].correct
    assert results["readers_differ"].correct
    assert any("0/0" in step for step in exercise.solution)


def test_medium_includes_perfect_readers_whose_exact_upper_bound_is_one():
    perfect = [e for e in (generate(s, "medium") for s in SEEDS) if e.expected["sensitivity"] == 1]
    assert perfect
    assert all(e.expected["cp_high"] == 1.0 for e in perfect)
