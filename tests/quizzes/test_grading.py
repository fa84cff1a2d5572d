"""Scoring of every question type, including partial credit and tolerance edges."""

import pytest

from questions.quizzes.grading import InvalidAnswer, grade, grade_multiple, normalize_text

CHOICES = [{"correct": True}, {"correct": False}, {"correct": True}, {"correct": False}]


def test_single_is_right_or_wrong():
    assert grade("single", {}, CHOICES[:2], 0).score == 1
    assert grade("single", {}, CHOICES[:2], "1").score == 0


@pytest.mark.parametrize(
    ("picked", "score", "exact"),
    [
        ({0, 2}, 1.0, True),  # both right picks
        ({0}, 0.5, False),  # half the right picks
        ({0, 1}, 0.0, False),  # one right, one wrong cancel out
        ({0, 2, 1}, 0.5, False),  # all right picks, one wrong
        ({1, 3}, 0.0, False),  # floored at zero, never negative
    ],
)
def test_multiple_gives_partial_credit_floored_at_zero(picked, score, exact):
    result = grade_multiple([c["correct"] for c in CHOICES], picked)
    assert (result.score, result.correct) == (score, exact)


def test_truefalse():
    assert grade("truefalse", {"value": False}, [], "false").correct
    assert not grade("truefalse", {"value": False}, [], True).correct


@pytest.mark.parametrize(
    ("given", "right"),
    [
        ("0.750", True),
        ("0.755", True),
        ("0.745", True),
        ("0.7551", False),
        ("0.7449", False),
        ("75%", True),
        (" 0.75 ", True),
    ],
)
def test_numeric_is_right_within_the_absolute_tolerance_edges_included(given, right):
    key = {"value": 0.75, "tolerance": 0.005, "relative_tolerance": None}
    assert grade("numeric", key, [], given).correct is right


def test_numeric_relative_tolerance():
    key = {"value": 200.0, "tolerance": None, "relative_tolerance": 0.01}
    assert grade("numeric", key, [], 202).correct
    assert not grade("numeric", key, [], 202.5).correct


def test_short_answers_ignore_case_spaces_and_punctuation():
    key = {"accepted": ["Hounsfield unit", "HU"]}
    assert grade("short", key, [], "  hounsfield-UNIT ").correct
    assert grade("short", key, [], "h.u.").correct
    assert not grade("short", key, [], "Hounsfield").correct
    assert normalize_text("Cohen's  Kappa") == normalize_text("cohens kappa")


def test_open_answers_are_self_assessed():
    result = grade("open", {}, [], "partly")
    assert (result.score, result.self_assessed) == (0.5, True)


@pytest.mark.parametrize(
    ("qtype", "response"),
    [
        ("single", "x"),
        ("single", 9),
        ("multiple", []),
        ("numeric", "abc"),
        ("numeric", "inf"),
        ("truefalse", "maybe"),
        ("short", "   "),
        ("open", "great"),
    ],
)
def test_bad_answers_raise_a_readable_error(qtype, response):
    key = {"value": 1.0, "tolerance": 0.1, "relative_tolerance": None, "accepted": ["a"]}
    with pytest.raises(InvalidAnswer):
        grade(qtype, key, CHOICES, response)


def test_a_decimal_comma_is_read_as_a_decimal_mark():
    key = {"value": 0.727, "tolerance": 0.0005, "relative_tolerance": None}
    assert grade("numeric", key, [], "0,727").correct
    assert not grade("numeric", key, [], "0,286").correct  # 0.286, never 286


@pytest.mark.parametrize("typed", ["1,250", "12,500", "250,000"])
def test_a_number_that_could_be_either_is_refused_with_a_sentence(typed):
    key = {"value": 1250, "tolerance": 0, "relative_tolerance": None}
    with pytest.raises(InvalidAnswer, match="without a thousands separator"):
        grade("numeric", key, [], typed)


def test_unambiguous_thousands_separators_are_read():
    key = {"value": 1250000, "tolerance": 0, "relative_tolerance": None}
    assert grade("numeric", key, [], "1,250,000").correct
    assert grade("numeric", {**key, "value": 1250.5}, [], "1,250.5").correct


@pytest.mark.parametrize("sent", [10**4000, "9" * 4000, "1\x00", "\ud800", "1e999"])
def test_odd_numbers_are_refused_with_a_message(sent):
    key = {"value": 1, "tolerance": 0, "relative_tolerance": None}
    with pytest.raises(InvalidAnswer):
        grade("numeric", key, [], sent)
