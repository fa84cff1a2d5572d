"""An interviewer deletes a set, or their account with its sets, while a candidate starts
it from an invite link. PostgreSQL only (as tests/quizzes/test_concurrency.py: SQLite's
in-memory database is not shared).

Deleting the set first lists the candidates' attempts to unlink, then deletes the invites:
an attempt started in between would still name a deleted invite, and the deletion would
fail at its commit (a 500 on "Delete"). Both take the set's row first, so one waits for the
other: a start that came first is unlinked with the rest; one that came second is told the
set is gone."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models.signals import pre_delete

from questions.catalog.sync import content_sync
from questions.interviews import invites, sets
from questions.models import Attempt, InterviewSet, Question
from questions.owners import Owner
from questions.quizzes import services as attempts
from tests.quizzes.test_concurrency import Pause, run_together

from .conftest import _user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: run with DATABASE_URL=postgres://"
)


@pytest.fixture
def invite(transactional_db, content_dir):
    assert content_sync(content_dir).ok
    alice = _user("alice", interviewer=True)
    interview_set = sets.set_create(
        owner=alice, title="Race", description="", time_limit_minutes=10
    )
    sets.entry_add(interview_set=interview_set, question=Question.objects.get(ext_id="dicom-open"))
    return invites.invite_create(interview_set=interview_set)


def _start(invite) -> Attempt:
    return invites.invite_start(invite=invite, owner=Owner(None, "t"), candidate_name="Ana")


def _delete_set(invite) -> None:
    sets.set_delete(interview_set=InterviewSet.objects.get(pk=invite.interview_set_id))


def _delete_account(invite) -> None:
    """The interviewer deletes their account: their sets go with it (Django's cascade,
    after apps.py's pre_delete has locked them)."""
    User.objects.get(username="alice").delete()


@contextmanager
def _set_deletion_paused(pause: Pause):
    delete = InterviewSet.delete

    def held(self, *args, **kwargs):
        pause.here()  # sets_delete has locked the set's row
        return delete(self, *args, **kwargs)

    with mock.patch.object(InterviewSet, "delete", held):
        yield


@contextmanager
def _account_deletion_paused(pause: Pause):
    def held(**kwargs):
        pause.here()  # after apps.py's receiver, which locked the account's sets

    pre_delete.connect(held, sender=User, dispatch_uid="held")
    try:
        yield
    finally:
        pre_delete.disconnect(sender=User, dispatch_uid="held")


DELETIONS = {
    "the set": (_delete_set, _set_deletion_paused),
    "the interviewer's account": (_delete_account, _account_deletion_paused),
}


@pytest.mark.parametrize("deleted", DELETIONS)
def test_a_deletion_while_a_candidate_starts_unlinks_the_new_attempt(invite, deleted):
    """The start came first and holds the set and the invite; the deletion waits for it,
    then unlinks the new attempt with the others."""
    delete, _ = DELETIONS[deleted]
    pause, start = Pause(), attempts.attempt_start

    def held(**kwargs):
        pause.here()  # the set and the invite locked, the attempt not yet made
        return start(**kwargs)

    with mock.patch.object(attempts, "attempt_start", held):
        errors = run_together(
            lambda: _start(invite),
            pause.then(lambda: delete(invite)),
            pause.release_once_blocked("the deletion never waited for the start", "%FOR UPDATE%"),
        )
    assert errors == []
    assert not InterviewSet.objects.exists()
    attempt = Attempt.objects.get()  # the candidate's answers stay theirs, unlinked
    assert (attempt.interview_set_id, attempt.invite_id, attempt.candidate_name) == (
        None,
        None,
        "Ana",
    )


@pytest.mark.parametrize("deleted", DELETIONS)
def test_a_candidate_starting_a_set_being_deleted_is_told_it_is_gone(invite, deleted):
    delete, paused = DELETIONS[deleted]
    pause, refusals = Pause(), []

    def start():
        try:
            _start(invite)
        except invites.InviteRefused as refusal:
            refusals.append(str(refusal))

    with paused(pause):
        errors = run_together(
            lambda: delete(invite),
            pause.then(start),
            pause.release_once_blocked("the start never waited for the deletion", "%FOR UPDATE%"),
        )
    assert errors == []
    assert refusals == [invites.GONE]
    assert not Attempt.objects.exists() and not InterviewSet.objects.exists()
