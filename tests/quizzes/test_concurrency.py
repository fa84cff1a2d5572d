"""Two finishes at once score once; two answers at once keep exactly one. PostgreSQL only:
SQLite's in-memory test database cannot be shared between threads (CI runs both)."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections

from questions.catalog.sync import content_sync
from questions.models import Attempt, AttemptItem, QuestionSet
from questions.quizzes import services as service

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: run with DATABASE_URL=postgres://"
)


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # reported by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def attempt(transactional_db, content_dir):
    assert content_sync(content_dir).ok
    return service.attempt_start(
        owner=service.Owner(None, "token-alice"),
        kind="set",
        question_set=QuestionSet.objects.get(ext_id="starter"),
    )


def test_two_finishes_at_once_score_once(attempt):
    service.attempt_answer(attempt=attempt, position=2, response="0.75")
    real_score = service._score
    scored = []

    def counting(item):
        scored.append(item.pk)
        return real_score(item)

    with mock.patch.object(service, "_score", counting):
        errors = run_together(*[lambda: service.attempt_finish(attempt=attempt)] * 2)
    assert errors == []
    assert len(scored) == 3  # each of the three items once, not twice
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.is_finished and attempt.score == 1


def test_two_answers_to_one_question_at_once_keep_exactly_one(attempt):
    errors = run_together(
        lambda: service.attempt_answer(attempt=attempt, position=2, response="0.5"),
        lambda: service.attempt_answer(attempt=attempt, position=2, response="0.75"),
    )
    assert errors == []
    rows = AttemptItem.objects.filter(attempt=attempt, position=2)
    assert rows.count() == 1 and rows.get().answer in (0.5, 0.75)


def test_answers_racing_a_finish_never_deadlock(transactional_db, content_dir):
    """One finish and two answers at once, 200 times: every call ends cleanly (an answer that
    arrives after the finish is refused with AttemptClosed) and every finish lands."""
    assert content_sync(content_dir).ok
    starter = QuestionSet.objects.get(ext_id="starter")
    owner = service.Owner(None, "token-racer")
    failures = []
    for _ in range(200):
        attempt = service.attempt_start(owner=owner, kind="set", question_set=starter)
        choice = attempt.items.get(position=1).choice_id(0)
        errors = run_together(
            lambda attempt=attempt: service.attempt_finish(attempt=attempt),
            lambda attempt=attempt: service.attempt_answer(
                attempt=attempt, position=2, response="0.75"
            ),
            lambda attempt=attempt, choice=choice: service.attempt_answer(
                attempt=attempt, position=1, response=choice
            ),
        )
        failures += [e for e in errors if not isinstance(e, service.AttemptClosed)]
        assert Attempt.objects.get(pk=attempt.pk).is_finished
    assert failures == []
