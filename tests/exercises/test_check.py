"""check(): lenient number reading, explicit tolerances, and no exceptions on bad input."""

import json
import math

import pytest

from questions.exercises import KINDS, LEVELS, Exercise, Field, check, generate
from questions.exercises.base import parse_answer, ratio_field, rng_for, yesno_field


def small_exercise() -> Exercise:
    return Exercise(
        kind="test",
        seed=1,
        level="easy",
        prompt="",
        data={},
        fields=[
            Field("tp", "TP", 0.0, 0),
            ratio_field("precision", "Precision"),
            ratio_field("recall", "Recall"),
            Field("total", "Total", 0.0, 0),
            yesno_field("remove", "Remove?"),
        ],
        expected={"tp": 12.0, "precision": None, "recall": 0.75, "total": 1250.0, "remove": 1.0},
        solution=[],
    )


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("0.75", 0.75),
        (" 0.75 ", 0.75),
        ("75%", 0.75),
        ("75 %", 0.75),
        (".75", 0.75),
        ("+0.75", 0.75),
        ("\u22120.5", -0.5),
        ("-0.5", -0.5),
        ("1e-3", 0.001),
        ("1,250,000", 1250000.0),
        ("12,500.5", 12500.5),
        ("0,727", 0.727),
        ("12,5", 12.5),
        ("1 250", 1250.0),
        (0.75, 0.75),
        (12, 12.0),
    ],
)
def test_it_reads_numbers_leniently(typed, value):
    parsed = parse_answer(typed)

    assert not parsed.error
    assert parsed.value == pytest.approx(value)


@pytest.mark.parametrize(("typed", "value"), [("0,75", 0.75), ("0,750", 0.75), ("1,25", 1.25)])
def test_it_reads_a_decimal_comma_as_a_decimal_mark(typed, value):
    assert parse_answer(typed).value == pytest.approx(value)
    assert check(small_exercise(), {"recall": typed})["recall"].correct is (value == 0.75)


@pytest.mark.parametrize("typed", ["1,250", "12,500", "0,750,1"])
def test_it_refuses_a_number_that_could_be_read_two_ways(typed):
    result = check(small_exercise(), {"total": typed})["total"]

    assert not result.correct
    assert result.message.startswith("not a number")
    if typed != "0,750,1":
        assert "without a thousands separator" in result.message


@pytest.mark.parametrize(
    "typed",
    [
        "abc",
        "0.7.5",
        "1_000",
        "inf",
        "-infinity",
        "1e400",
        "%",
        "--1",
        "0x10",
        "3/4",
        True,
        [0.75],
        {"value": 0.75},
        object(),
        float("inf"),
        10**400,
        "9" * 500,
    ],
)
def test_it_reports_non_numeric_answers_without_raising(typed):
    result = check(small_exercise(), {"recall": typed})["recall"]

    assert result.correct is False
    assert result.message.startswith("not a number")
    assert result.given is None


def test_it_reports_every_missing_field_as_missing():
    results = check(small_exercise(), {})

    assert results["tp"].message.startswith("missing")
    assert results["recall"].message.startswith("missing")
    assert results["remove"].message.startswith("missing")
    assert not any(results[name].correct for name in ("tp", "recall", "total", "remove"))


@pytest.mark.parametrize("typed", ["", "   ", None, "undefined", "N/A", "nan", "-", "None"])
def test_an_undefined_value_accepts_a_blank_or_the_word_undefined(typed):
    result = check(small_exercise(), {"precision": typed})["precision"]

    assert result.correct
    assert "undefined" in result.message


def test_an_undefined_value_rejects_a_number():
    result = check(small_exercise(), {"precision": "0"})["precision"]

    assert not result.correct
    assert "undefined" in result.message
    assert result.expected is None
    assert result.given == 0.0


def test_a_defined_value_rejects_the_word_undefined():
    result = check(small_exercise(), {"recall": "undefined"})["recall"]

    assert not result.correct
    assert "0.750" in result.message


def test_counts_have_zero_tolerance():
    exercise = small_exercise()

    assert check(exercise, {"tp": "12"})["tp"].correct
    assert check(exercise, {"tp": "12.0"})["tp"].correct
    assert not check(exercise, {"tp": "12.000001"})["tp"].correct
    assert not check(exercise, {"tp": "13"})["tp"].correct
    assert check(exercise, {"total": "1250"})["total"].correct
    assert not check(exercise, {"total": "1,250"})["total"].correct  # 1250 or 1.25: refused


@pytest.mark.parametrize("typed", ["yes", "Yes", " y ", "true", "1", 1, True, "1.0"])
def test_yes_no_fields_read_yes(typed):
    assert check(small_exercise(), {"remove": typed})["remove"].correct


@pytest.mark.parametrize("typed", ["no", "false", "0", 0, False, "0.0"])
def test_yes_no_fields_read_no(typed):
    result = check(small_exercise(), {"remove": typed})["remove"]

    assert not result.correct
    assert result.message == "incorrect: expected yes"


@pytest.mark.parametrize("typed", ["maybe", "2", 0.5, ["yes"]])
def test_yes_no_fields_report_other_answers(typed):
    result = check(small_exercise(), {"remove": typed})["remove"]

    assert not result.correct
    assert result.message.startswith("not yes or no")


def test_it_ignores_unknown_keys_and_survives_a_non_mapping():
    assert set(check(small_exercise(), {"bogus": "1"})) == {
        "tp",
        "precision",
        "recall",
        "total",
        "remove",
    }
    results = check(small_exercise(), ["not", "a", "mapping"])  # type: ignore[arg-type]
    assert results["recall"].message.startswith("missing")


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("level", LEVELS)
def test_it_accepts_values_within_tolerance_and_rejects_just_outside(kind, level):
    for seed in range(25):
        exercise = generate(kind, seed, level)
        for spec in exercise.fields:
            if spec.kind != "number":
                continue
            expected = exercise.expected[spec.name]
            if expected is None:
                continue
            edge = spec.tolerance
            for inside in (expected, expected + edge, expected - edge):
                assert check(exercise, {spec.name: inside})[spec.name].correct, (spec, inside)
            for outside in (expected + edge + 1e-6, expected - edge - 1e-6):
                result = check(exercise, {spec.name: outside})[spec.name]
                assert not result.correct, (spec, outside)
                assert result.message.startswith("incorrect")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_answers_typed_as_the_page_asks_are_accepted(kind):
    """Rounded to the field's decimals, as text, every expected value passes its own check."""
    for level in LEVELS:
        for seed in range(60):
            exercise = generate(kind, seed, level)
            answers = {}
            for spec in exercise.fields:
                if spec.kind == "text":  # typed in lower case, as the help allows
                    answers[spec.name] = exercise.expected_text[spec.name].lower()
                    continue
                value = exercise.expected[spec.name]
                if value is None:
                    answers[spec.name] = ""
                elif spec.kind == "yesno":
                    answers[spec.name] = "yes" if value else "no"
                else:
                    answers[spec.name] = f"{value:.{spec.decimals}f}"
            results = check(exercise, answers)
            wrong = {name: r for name, r in results.items() if not r.correct}
            assert not wrong, (kind, level, seed, wrong)


def test_check_never_raises_on_random_junk():
    exercise = generate("classification", 3, "hard")
    junk = [
        "",
        "0",
        "-0",
        "1e308",
        "1e-308",
        "💥",
        "\x00",
        "1,2,3",
        "½",
        "٣",
        "0b1",
        "NaN%",
        "%75",
        "7 5",
        ",",
        ".",
        "+",
        "1.2.3",
        None,
        -1,
        2**63,
        1.5e308,
        [],
        {},
        (),
    ]
    for value in junk:
        results = check(exercise, {spec.name: value for spec in exercise.fields})
        assert set(results) == {spec.name for spec in exercise.fields}
        for result in results.values():
            assert isinstance(result.message, str) and result.message


def test_results_carry_expected_given_and_tolerance():
    result = check(small_exercise(), {"recall": "74.8%"})["recall"]

    assert result.correct
    assert result.expected == 0.75
    assert result.given == pytest.approx(0.748)
    assert result.tolerance == 0.005
    assert result.message == "correct"


def test_rng_rejects_unknown_levels_and_non_integer_seeds():
    with pytest.raises(ValueError, match="level"):
        rng_for("roc", 1, "expert")
    with pytest.raises(TypeError):
        rng_for("roc", "1", "easy")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rng_for("roc", True, "easy")


def test_an_exercise_round_trips_through_json():
    exercise = generate("dicom", 11, "hard")

    again = Exercise.from_dict(json.loads(json.dumps(exercise.to_dict())))

    assert again == exercise
    assert again.fields[0].tolerance == exercise.fields[0].tolerance
    assert not math.isnan(again.expected["hu_1"])
