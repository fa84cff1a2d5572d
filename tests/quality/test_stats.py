"""Site-wide item statistics (questions/quality/stats.py) from attempts in the database."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions.models import QuestionFlag
from questions.quality.stats import question_rows, site_item_stats

from .conftest import finished_attempt

# Rows: candidates; columns: metrics-single, metrics-multiple, dicom-short, an exercise.
MARKS = np.array(
    [
        [1.0, 0.5, 1.0, 0.75],
        [0.0, 0.5, 0.0, 0.25],
        [1.0, 1.0, 1.0, 1.0],
        [0.0, 0.0, 1.0, 0.5],
        [1.0, 0.5, 0.0, 0.0],
        [1.0, 1.0, 1.0, 0.5],
    ]
)
IDS = ["metrics-single", "metrics-multiple", "dicom-short"]


def _take(bank, marks=MARKS):
    for row in marks:
        finished_attempt(
            {**{bank[i]: float(s) for i, s in zip(IDS, row, strict=False)}, "roc": float(row[3])}
        )


def test_it_matches_numpy_over_finished_attempts_with_exercises_in_the_rest(bank):
    _take(bank)
    # Left out: an unfinished attempt, and an open answer still waiting for its rating.
    finished_attempt({bank["metrics-single"]: 0.0, bank["dicom-short"]: 1.0}, finished=False)
    finished_attempt({bank["metrics-single"]: 1.0, bank["dicom-open"]: None})

    stats = site_item_stats()

    for j, ext_id in enumerate(IDS):
        x = MARKS[:, j]
        rest = (MARKS.sum(axis=1) - x) / 3
        item = stats[bank[ext_id].pk]
        if ext_id == "metrics-single":  # plus the attempt where it was the only marked item
            assert item.attempts == 7
            assert item.facility == pytest.approx((x.sum() + 1) / 7)
        else:
            assert item.attempts == 6
            assert item.facility == pytest.approx(x.mean())
            assert item.sd == pytest.approx(np.std(x, ddof=1))
        assert item.discrimination == pytest.approx(np.corrcoef(x, rest)[0, 1])
    assert bank["dicom-open"].pk not in stats  # never marked
    assert all(isinstance(key, int) for key in stats)  # exercises feed the rest only


def test_rows_list_questions_with_enough_attempts_or_open_flags_worst_first(bank):
    _take(bank)
    trap = np.array([[0.0], [1.0], [0.0], [1.0], [0.0], [0.0]])  # right for the weak ones
    for row, extra in zip(MARKS, trap, strict=True):
        finished_attempt({bank["metrics-numeric"]: float(extra[0]), "roc": float(row[0])})
    QuestionFlag.objects.create(
        question=bank["dicom-truefalse"], reason="typo", comment="teh", anon_token="t"
    )

    rows = question_rows()

    titles = [row.question.ext_id for row in rows]
    # One problem each (a negative discrimination, an open flag) before the rest.
    assert set(titles[:2]) == {"metrics-numeric", "dicom-truefalse"}
    assert not any(row.needs_attention for row in rows[2:])
    numeric = rows[titles.index("metrics-numeric")]
    assert numeric.stats.discrimination == pytest.approx(-1.0)
    assert "dicom-truefalse" in titles  # no attempt, but flagged
    flagged = rows[titles.index("dicom-truefalse")]
    assert flagged.stats is None and flagged.open_flags == 1
    assert flagged.latest[0].comment == "teh" and flagged.latest[0].reason == "Typo"
    assert "dicom-open" not in titles


def test_filters_by_topic_and_by_warnings_or_flags(bank):
    _take(bank)
    QuestionFlag.objects.create(question=bank["dicom-truefalse"], reason="unclear", anon_token="t")

    dicom = {row.question.ext_id for row in question_rows(topic=bank["dicom-short"].topic)}
    assert dicom == {"dicom-short", "dicom-truefalse"}
    flagged = question_rows(flagged_only=True)
    assert flagged and all(row.warnings or row.open_flags for row in flagged)
    assert len(question_rows(min_attempts=7)) == 1  # only the flagged one


def test_it_costs_the_same_queries_for_many_attempts(bank):
    _take(bank)
    with CaptureQueriesContext(connection) as few:
        question_rows()
    for _ in range(5):
        _take(bank)
    with CaptureQueriesContext(connection) as many:
        question_rows()
    assert len(many) == len(few) <= 3
