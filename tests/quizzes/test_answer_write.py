"""Saving an answer in two statements (services._answer_directly: an unlocked read, then an
UPDATE that checks the attempt again) answers exactly as the locked path (BEGIN, SELECT …
FOR UPDATE, UPDATE, COMMIT) does, and never saves into an attempt that finished in between.
Run this file on PostgreSQL too: the read's columns are converted differently there."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from questions.interviews import sets
from questions.models import Attempt, AttemptItem, QuestionSet
from questions.owners import Owner
from questions.quizzes import services as service
from tests.quizzes.test_start import add_terms


class Rollback(Exception):
    pass


def responses(item: AttemptItem) -> list[Any]:
    """Valid and invalid answers of every shape, for any item."""
    ids = [item.choice_id(index) for index in range(len(item.choices))]
    return [
        *ids[:1],
        ids[:2],
        "not an id",
        ["not an id"],
        "0,75",
        "0.75",
        76,
        True,
        "true",
        "  some text  ",
        "",
        [],
        {"axcodes": "RAS"},
        {"axcodes": "RA\x00S"},
        {"unknown": 1},
    ]


def outcomes(attempt: Attempt, owner: Owner, locked: bool, monkeypatch: Any) -> list[Any]:
    """What each answer to each item (and to missing ones, and as someone else) returns and
    saves, each rolled back."""
    if locked:  # the two-statement path declines: the locked path serves every answer
        monkeypatch.setattr(service, "_answer_statements", lambda connection: None)
    stranger = Owner(None, "token-stranger")
    cases = [
        (who, item.position, response)
        for item in attempt.items.select_related("question")
        for response in responses(item)
        for who in (owner, stranger)
    ]
    cases += [(owner, 99, "x"), (owner, 2**70, "x"), (Owner(None, ""), 1, "x")]
    found = []
    for who, position, response in cases:
        try:
            with transaction.atomic():
                try:
                    item = service.owned_attempt_answer(
                        owner=who, attempt_id=attempt.pk, position=position, response=response
                    )
                except Exception as error:
                    found.append((type(error).__name__, str(error)))
                    raise Rollback from None
                saved = AttemptItem.objects.filter(attempt=attempt).order_by("position")
                found.append(
                    (
                        item.position,
                        item.answer,
                        item.answer_text,
                        item.answered_at,
                        item.answer_for_client,
                        list(saved.values_list("position", "answer", "answer_text")),
                    )
                )
                raise Rollback
        except Rollback:
            pass
    monkeypatch.undo()
    return found


@pytest.fixture
def alice(loaded) -> User:
    add_terms(loaded, 3)  # enough for a glossary quiz
    return User.objects.create_user("alice", password="pw-alice-123")


@pytest.fixture
def frozen(time_machine: Any) -> None:
    """One instant for both paths' answers (the same answered_at) and for the start."""
    time_machine.move_to("2026-11-30 12:00:00.5", tick=False)


@pytest.fixture
def attempts(frozen, alice) -> list[tuple[Attempt, Owner]]:
    """Every kind of item: bank questions of each type, generated glossary items, an
    exercise; owned by a user and by an anonymous visitor."""
    mine, anonymous = Owner(alice, ""), Owner(None, "token-anon")
    interview_set = sets.set_create(owner=alice, title="S", description="d", time_limit_minutes=5)
    sets.entry_add(
        interview_set=interview_set, exercise_kind="nifti", exercise_level="easy", exercise_seed=5
    )
    return [
        (service.attempt_start(owner=mine, kind="quick"), mine),
        (service.attempt_start(owner=anonymous, kind="glossary", count=4), anonymous),
        (
            service.attempt_start(
                owner=mine, kind="interview", interview_set=interview_set, begin=True
            ),
            mine,
        ),
        (
            service.attempt_start(
                owner=anonymous,
                kind="set",
                question_set=QuestionSet.objects.get(ext_id="starter"),
            ),
            anonymous,
        ),
    ]


def test_it_answers_and_saves_as_the_locked_path(attempts, monkeypatch):
    types = set()
    for attempt, owner in attempts:
        types |= {item.type for item in attempt.items.select_related("question")}
        direct = outcomes(attempt, owner, locked=False, monkeypatch=monkeypatch)
        locked = outcomes(attempt, owner, locked=True, monkeypatch=monkeypatch)
        assert direct == locked
        assert any(isinstance(found[0], int) for found in direct)  # some were saved
    assert types >= {"single", "multiple", "numeric", "truefalse", "short", "open", "exercise"}


def test_a_finish_between_the_read_and_the_write_refuses_the_answer(
    set_attempt, owner, monkeypatch
):
    """The write checks the attempt again: an attempt finished after the read (as a
    concurrent finish would, between the two statements) keeps no answer."""
    real = service.normalize_response

    def finished_meanwhile(item: AttemptItem, response: Any) -> Any:
        service.attempt_finish(attempt=set_attempt)  # runs between the read and the write
        return real(item, response)

    monkeypatch.setattr(service, "normalize_response", finished_meanwhile)
    with pytest.raises(service.AttemptClosed):
        service.owned_attempt_answer(
            owner=owner, attempt_id=set_attempt.pk, position=2, response="0.75"
        )
    assert Attempt.objects.get(pk=set_attempt.pk).is_finished
    assert AttemptItem.objects.get(attempt=set_attempt, position=2).answer is None


def test_an_answer_makes_two_statements_and_no_transaction(set_attempt, owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        service.owned_attempt_answer(
            owner=owner, attempt_id=set_attempt.pk, position=2, response="0.75"
        )
    sql = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == 2 and sql[0].startswith("SELECT") and sql[1].startswith("UPDATE"), sql
    assert AttemptItem.objects.get(attempt=set_attempt, position=2).answer == 0.75


def test_statements_kept_per_connection_go_with_their_connection(db):
    """What is built per database connection (the answer's statements, the token's user)
    lives as long as the connection's wrapper, not longer: a threaded server (runserver,
    one thread per request) gets a new wrapper per thread, and keeping each one alive (the
    statements' converters point back at it) leaked one per request."""
    import gc
    import threading
    import weakref

    from django.db import connections

    from questions.api import answer

    gone = []

    def in_a_thread() -> None:
        connection = connections["default"]
        service._answer_statements(connection)
        answer._token_user(connection)
        gone.append(weakref.ref(connection))

    for _ in range(3):
        thread = threading.Thread(target=in_a_thread)
        thread.start()
        thread.join()
    gc.collect()
    assert len(gone) == 3 and [ref() for ref in gone] == [None, None, None]
