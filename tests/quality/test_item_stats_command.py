"""`manage.py item_stats` prints the site-wide statistics as a table."""

import io

import pytest
from django.core.management import CommandError, call_command

from questions.models import QuestionFlag

from .conftest import finished_attempt


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("item_stats", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def taken(bank):
    # metrics-single: 1, 0, 1, 0, 1, 1; metrics-numeric the opposite; dicom-short follows
    # metrics-single; everyone gets dicom-truefalse right.
    for right in (1.0, 0.0, 1.0, 0.0, 1.0, 1.0):
        finished_attempt(
            {
                bank["metrics-single"]: right,
                bank["metrics-numeric"]: 1.0 - right,
                bank["dicom-short"]: right,
                bank["dicom-truefalse"]: 1.0,
            }
        )
    return bank


def test_it_prints_a_table_worst_first(taken):
    lines = _run().splitlines()

    assert lines[0].split() == [
        "id",
        "title",
        "attempts",
        "facility",
        "sd",
        "discrimination",
        "flags",
        "warnings",
    ]
    assert set(lines[1]) == {"-", " "}
    first = lines[2]
    assert first.startswith("metrics-numeric")
    # Facility 2/6 = 33 %; sample SD of (0,1,0,1,0,0) = sqrt(4/3 / 5) = 51.6 %; and the rest
    # (mean of the other three) moves exactly against it: r = -1.
    assert " 6 " in first and " 33% " in first and " 52% " in first and " -1.00 " in first
    assert first.endswith("Negative discrimination: stronger candidates scored lower")
    truefalse = next(line for line in lines if line.startswith("dicom-truefalse"))
    assert "100%" in truefalse and "— (everyone scored the same on this question)" in truefalse
    assert "Very easy: facility above 90%" in truefalse
    assert lines[-1].startswith("4 questions, 2 with a warning or open flags.")


def test_it_filters_by_topic_attempts_and_flags(taken):
    QuestionFlag.objects.create(question=taken["dicom-open"], reason="unclear", anon_token="t")
    dicom = _run("--topic", "dicom")
    assert "dicom-short" in dicom and "dicom-open" in dicom and "metrics-" not in dicom
    flagged = _run("--flagged-only")
    ids = {line.split()[0] for line in flagged.splitlines()[2:] if line.strip()}
    assert {"metrics-numeric", "dicom-truefalse", "dicom-open"} <= ids
    assert "dicom-short" not in ids and "metrics-single" not in ids
    assert "— (no finished attempt yet)" in flagged
    assert "dicom-short" not in _run("--min-attempts", "7")


def test_it_says_so_when_nothing_qualifies(loaded):
    assert _run() == "No question has 5 finished attempts or an open flag yet.\n"


def test_it_refuses_bad_options_with_a_clear_message(loaded):
    with pytest.raises(CommandError, match=r"No topic .nope.\. Topics: "):
        _run("--topic", "nope")
    with pytest.raises(CommandError, match="at least 2"):
        _run("--min-attempts", "1")
    with pytest.raises(CommandError, match="whole number"):
        _run("--min-attempts", "many")
