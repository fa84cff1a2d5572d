"""An interviewer deletes a set while a candidate starts it from an invite link. PostgreSQL
only (as tests/quizzes/test_concurrency.py: SQLite's in-memory database is not shared).

Deleting the set first lists the candidates' attempts to unlink, then deletes the invites:
an attempt started in between would still name a deleted invite, and the deletion would
fail at its commit (a 500 on "Delete"). Both take the set's row first, so one waits for the
other: a start that came first is unlinked with the rest; one that came second is told the
set is gone."""

import threading
from unittest import mock

import pytest
from django.db import connection

from questions.catalog.sync import content_sync
from questions.interviews import invites, sets
from questions.models import Attempt, InterviewSet, Question
from questions.owners import Owner
from questions.quizzes import services as attempts
from tests.quizzes.test_concurrency import run_together, wait_for_an_update_on_a_lock

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


def test_a_set_deleted_while_a_candidate_starts_it_is_deleted_with_the_new_attempt(invite):
    starting, start_may_go_on = threading.Event(), threading.Event()
    start = attempts.attempt_start

    def held(**kwargs):
        starting.set()  # the invite checked and locked, the attempt not yet made
        assert start_may_go_on.wait(30)
        return start(**kwargs)

    def release_once_the_deletion_waits():
        assert starting.wait(30)
        wait_for_an_update_on_a_lock("the deletion never waited for the start", "%FOR UPDATE%")
        start_may_go_on.set()

    def delete():
        assert starting.wait(30)
        sets.set_delete(interview_set=InterviewSet.objects.get(pk=invite.interview_set_id))

    with mock.patch.object(attempts, "attempt_start", held):
        errors = run_together(
            lambda: invites.invite_start(
                invite=invite, owner=Owner(None, "t"), candidate_name="Ana"
            ),
            delete,
            release_once_the_deletion_waits,
        )
    assert errors == []
    assert not InterviewSet.objects.exists()
    attempt = Attempt.objects.get()  # the candidate's answers stay theirs, unlinked
    assert (attempt.interview_set_id, attempt.invite_id, attempt.candidate_name) == (
        None,
        None,
        "Ana",
    )


def test_a_candidate_starting_a_set_being_deleted_is_told_it_is_gone(invite):
    deleting, deletion_may_go_on = threading.Event(), threading.Event()
    delete = InterviewSet.delete

    def held(self, *args, **kwargs):
        deleting.set()  # the set's row is locked
        assert deletion_may_go_on.wait(30)
        return delete(self, *args, **kwargs)

    refusals = []

    def start():
        assert deleting.wait(30)
        try:
            invites.invite_start(invite=invite, owner=Owner(None, "t"), candidate_name="Ana")
        except invites.InviteRefused as refusal:
            refusals.append(str(refusal))

    def release_once_the_start_waits():
        assert deleting.wait(30)
        wait_for_an_update_on_a_lock("the start never waited for the deletion", "%FOR UPDATE%")
        deletion_may_go_on.set()

    with mock.patch.object(InterviewSet, "delete", held):
        errors = run_together(
            lambda: sets.set_delete(
                interview_set=InterviewSet.objects.get(pk=invite.interview_set_id)
            ),
            start,
            release_once_the_start_waits,
        )
    assert errors == []
    assert refusals == [invites.GONE]
    assert not Attempt.objects.exists() and not InterviewSet.objects.exists()


def test_an_interviewer_deleting_their_account_while_a_candidate_starts_a_set(invite):
    """The interviewer deletes their account (their sets go with it) while a candidate
    starts one of the sets: the start came first and holds the set and the invite. Were the
    deletion not to wait for it, it would delete the invite the new attempt names and fail
    at its commit (a 500 on deleting the account). It locks the sets after the attempts
    (apps.py: pre_delete), then unlinks the candidate's attempt with the others."""
    from django.contrib.auth.models import User

    starting, start_may_go_on = threading.Event(), threading.Event()
    start = attempts.attempt_start

    def held(**kwargs):
        starting.set()  # the set and the invite locked, the attempt not yet made
        assert start_may_go_on.wait(30)
        return start(**kwargs)

    def release_once_the_deletion_waits():
        assert starting.wait(30)
        wait_for_an_update_on_a_lock("the deletion never waited for the start", "%")
        start_may_go_on.set()

    def delete_account():
        assert starting.wait(30)
        User.objects.get(username="alice").delete()

    with mock.patch.object(attempts, "attempt_start", held):
        errors = run_together(
            lambda: invites.invite_start(
                invite=invite, owner=Owner(None, "t"), candidate_name="Ana"
            ),
            delete_account,
            release_once_the_deletion_waits,
        )
    assert errors == []
    assert not User.objects.filter(username="alice").exists()
    assert not InterviewSet.objects.exists()
    attempt = Attempt.objects.get()
    assert (attempt.interview_set_id, attempt.invite_id, attempt.candidate_name) == (
        None,
        None,
        "Ana",
    )


def test_a_candidate_starting_a_set_of_an_account_being_deleted_is_told_it_is_gone(invite):
    from django.contrib.auth.models import User
    from django.db.models.signals import pre_delete

    deleting, deletion_may_go_on = threading.Event(), threading.Event()

    def held(**kwargs):  # after apps.py's receiver, which locked the account's sets
        deleting.set()
        assert deletion_may_go_on.wait(30)

    refusals = []

    def start():
        assert deleting.wait(30)
        try:
            invites.invite_start(invite=invite, owner=Owner(None, "t"), candidate_name="Ana")
        except invites.InviteRefused as refusal:
            refusals.append(str(refusal))

    def release_once_the_start_waits():
        assert deleting.wait(30)
        wait_for_an_update_on_a_lock("the start never waited for the deletion", "%FOR UPDATE%")
        deletion_may_go_on.set()

    pre_delete.connect(held, sender=User, dispatch_uid="held")
    try:
        errors = run_together(
            lambda: User.objects.get(username="alice").delete(), start, release_once_the_start_waits
        )
    finally:
        pre_delete.disconnect(sender=User, dispatch_uid="held")
    assert errors == []
    assert refusals == [invites.GONE]
    assert not Attempt.objects.exists() and not InterviewSet.objects.exists()
