"""Two grades of one open answer at once, both drawn over the ungraded answer: exactly one
is saved, the other is refused, and the score counts the one saved. PostgreSQL only (as
tests/quizzes/test_concurrency.py: SQLite's in-memory test database is not shared)."""

import pytest
from django.db import connection

from questions.catalog.sync import content_sync
from questions.interviews import invites, results, sets
from questions.models import Attempt, AttemptItem, Question
from questions.owners import Owner
from questions.quizzes import services as attempts
from tests.quizzes.test_concurrency import run_together

from .conftest import _user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: run with DATABASE_URL=postgres://"
)


def test_two_grades_at_once_save_exactly_one(transactional_db, content_dir):
    assert content_sync(content_dir).ok
    alice = _user("alice", interviewer=True)
    interview_set = sets.set_create(
        owner=alice, title="Race", description="", time_limit_minutes=10
    )
    sets.entry_add(interview_set=interview_set, question=Question.objects.get(ext_id="dicom-open"))
    invite = invites.invite_create(interview_set=interview_set)
    attempt = invites.invite_start(invite=invite, owner=Owner(None, "t"), candidate_name="Ana")
    attempt = attempts.attempt_begin(attempt=attempt)  # Start, on the quiz's start page
    attempts.attempt_answer(attempt=attempt, position=1, response="windows and rescales")
    attempts.attempt_finish(attempt=attempt)
    points = len(Question.objects.get(ext_id="dicom-open").rubric)

    def grade(mark: float):
        return lambda: results.attempt_grade_open(
            attempt=attempt, position=1, marks=[mark] * points, expect_version=""
        )

    for _ in range(20):
        AttemptItem.objects.filter(attempt=attempt).update(
            graded_at=None, rubric_marks=None, score=None
        )
        errors = run_together(grade(1.0), grade(0.0))
        assert len(errors) == 1 and isinstance(errors[0], results.GradeConflict), errors
        item = AttemptItem.objects.get(attempt=attempt)
        saved = item.rubric_marks[0]
        # The refused one is the other mark, and the score is the saved one's.
        assert errors[0].item.rubric_marks[0] == saved
        assert Attempt.objects.get(pk=attempt.pk).score == saved == item.score
