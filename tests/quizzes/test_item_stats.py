"""Item analysis (questions/quizzes/item_stats.py) against numbers computed here, separately:
numpy for the worked examples, Pearson's formula written out for the small one."""

import math

import numpy as np
import pytest

from questions.quizzes.item_stats import ItemAnalysis, item_statistics

# Six candidates, four items, every item marked for everyone (rows: candidates).
FULL = np.array(
    [
        [1.0, 1.0, 0.5, 1.0],
        [1.0, 0.0, 1.0, 1.0],
        [0.0, 1.0, 0.0, 1.0],
        [1.0, 1.0, 1.0, 0.0],
        [0.0, 0.0, 0.5, 1.0],
        [1.0, 1.0, 0.75, 1.0],
    ]
)


def _attempts(matrix, mask=None):
    mask = np.ones_like(matrix, dtype=bool) if mask is None else mask
    return [
        {f"q{j}": float(matrix[i, j]) for j in range(matrix.shape[1]) if mask[i, j]}
        for i in range(matrix.shape[0])
    ]


def test_it_matches_numpy_when_everyone_answers_every_question():
    stats = item_statistics(_attempts(FULL))

    totals = FULL.sum(axis=1)
    for j in range(FULL.shape[1]):
        x = FULL[:, j]
        rest = (totals - x) / (FULL.shape[1] - 1)
        item = stats[f"q{j}"]
        assert item.attempts == 6
        assert item.facility == pytest.approx(x.mean())
        assert item.sd == pytest.approx(np.std(x, ddof=1))
        assert item.discrimination == pytest.approx(np.corrcoef(x, rest)[0, 1])
        assert item.discrimination_note == ""


def test_random_draws_count_only_the_attempts_that_drew_the_question():
    rng = np.random.default_rng(7)
    scores = rng.choice([0.0, 0.25, 0.5, 1.0], size=(40, 6))
    drawn = rng.random((40, 6)) < 0.6
    drawn[:, 0] = True  # every attempt has at least one item

    stats = item_statistics(_attempts(scores, drawn))

    for j in range(6):
        rows = [i for i in range(40) if drawn[i, j]]
        x = scores[rows, j]
        assert stats[f"q{j}"].attempts == len(rows)
        assert stats[f"q{j}"].facility == pytest.approx(x.mean())
        # The rest: the mean of that attempt's other drawn items; attempts with none are out.
        paired = [i for i in rows if drawn[i].sum() > 1]
        rest = [(scores[i][drawn[i]].sum() - scores[i, j]) / (drawn[i].sum() - 1) for i in paired]
        expected = np.corrcoef(scores[paired, j], rest)[0, 1]
        assert stats[f"q{j}"].discrimination == pytest.approx(expected)


def test_a_small_example_by_hand():
    # Five candidates, two items: item a = (1, 1, 0, 0, 1), item b = (1, 0, 0, 1, 1).
    a = [1, 1, 0, 0, 1]
    b = [1, 0, 0, 1, 1]
    stats = item_statistics([{"a": x, "b": y} for x, y in zip(a, b, strict=True)])
    # The rest of a is b itself. Pearson by its definition:
    n = 5
    mean_a, mean_b = sum(a) / n, sum(b) / n  # 0.6, 0.6
    cov = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True))  # 0.2
    var_a = sum((x - mean_a) ** 2 for x in a)  # 1.2
    var_b = sum((y - mean_b) ** 2 for y in b)  # 1.2
    assert stats["a"].facility_percent == pytest.approx(60.0)
    assert stats["a"].sd == pytest.approx(math.sqrt(var_a / (n - 1)))
    assert stats["a"].discrimination == pytest.approx(cov / math.sqrt(var_a * var_b))
    assert stats["a"].discrimination == pytest.approx(1 / 6)


def test_an_item_everyone_got_right_has_no_correlation_and_says_why():
    matrix = FULL.copy()
    matrix[:, 3] = 1.0
    stats = item_statistics(_attempts(matrix))["q3"]
    assert stats.discrimination is None
    assert stats.discrimination_note == "everyone scored the same on this question"
    assert stats.sd == 0.0
    assert stats.facility_percent == 100.0
    assert stats.warnings == ("Very easy: facility above 90%",)


def test_a_rest_of_the_test_everyone_scored_the_same_on_has_no_correlation():
    # Item a varies; the other item is 1 for everyone, so the rest has no variance.
    attempts = [{"a": x, "b": 1.0} for x in (0.0, 1.0, 1.0, 0.0, 1.0, 0.5)]
    stats = item_statistics(attempts)
    assert stats["a"].discrimination is None
    assert stats["a"].discrimination_note == "everyone scored the same on the rest of the test"
    assert not any(math.isnan(value) for value in (stats["a"].facility, stats["a"].sd))


def test_a_constant_score_of_a_tenth_is_zero_variance_not_a_rounding_error():
    attempts = [{"a": 0.1, "b": x} for x in (0.0, 1.0, 0.3, 0.7, 0.2, 0.9, 0.1)]
    assert item_statistics(attempts)["a"].discrimination is None


def test_below_the_minimum_numbers_are_shown_but_not_judged():
    attempts = [{"a": 0.0, "b": 1.0}, {"a": 0.0, "b": 0.0}, {"a": 0.0, "b": 1.0}]
    stats = item_statistics(attempts)["a"]
    assert stats.attempts == 3
    assert stats.facility == 0.0
    assert stats.discrimination is None
    assert stats.discrimination_note == (
        "needs 5 attempts with other marked questions (has 3 attempts)"
    )
    assert stats.warnings == ()  # facility 0 over 3 attempts is no verdict yet


def test_it_flags_very_hard_and_negative_discrimination():
    # Item "trap": the stronger candidates (high on x, y) get it wrong.
    attempts = [
        {"trap": 0.0, "x": 1.0, "y": 1.0},
        {"trap": 0.0, "x": 1.0, "y": 1.0},
        {"trap": 0.0, "x": 1.0, "y": 0.0},
        {"trap": 0.0, "x": 0.0, "y": 1.0},
        {"trap": 0.0, "x": 0.0, "y": 0.0},
        {"trap": 0.0, "x": 1.0, "y": 1.0},
        {"trap": 0.0, "x": 0.0, "y": 1.0},
        {"trap": 0.0, "x": 1.0, "y": 0.0},
        {"trap": 0.0, "x": 0.0, "y": 0.0},
        {"trap": 0.5, "x": 0.0, "y": 0.0},
    ]
    stats = item_statistics(attempts)["trap"]
    assert stats.facility_percent == pytest.approx(5.0)
    assert stats.discrimination is not None and stats.discrimination < 0
    assert stats.warnings == (
        "Very hard: facility below 10%",
        "Negative discrimination: stronger candidates scored lower",
    )


def test_an_attempt_with_one_marked_item_counts_for_facility_only():
    attempts = [{"a": 1.0}] + [{"a": x, "b": x} for x in (0.0, 1.0, 0.0, 1.0, 1.0)]
    stats = item_statistics(attempts)["a"]
    assert stats.attempts == 6
    assert stats.facility == pytest.approx(4 / 6)
    assert stats.discrimination == pytest.approx(1.0)


def test_it_refuses_scores_outside_zero_to_one_and_a_minimum_below_two():
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        item_statistics([{"a": 1.5}])
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        item_statistics([{"a": float("nan")}])
    with pytest.raises(ValueError, match="at least 2"):
        ItemAnalysis(min_attempts=1)


def test_worst_first_puts_warnings_then_low_discrimination_first():
    good = item_statistics(_attempts(FULL))
    ordered = sorted(good.values(), key=lambda stats: stats.badness())
    discriminations = [stats.discrimination for stats in ordered if not stats.warnings]
    assert discriminations == sorted(discriminations)
