"""Deleting an account while another tab of the same person writes a row of theirs (an
answer recorded, a card rated). PostgreSQL only (as tests/quizzes/test_concurrency.py).

The deletion lists the user's rows, deletes them table by table and the user last; a row
another request commits in between names the user when the deletion commits, and the
foreign key refuses the commit: "Delete my account" answered 500 and nothing was deleted.
The deletion now looks again, by its owner or by staff in the admin: the second time it
finds that row too."""

import threading
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models.sql.subqueries import DeleteQuery

from questions.accounts.services import account_delete
from questions.catalog.sync import content_sync
from questions.models import ProgressEvent, Question
from questions.owners import Owner
from questions.progress.services import question_answered
from tests.quizzes.test_concurrency import run_together

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: run with DATABASE_URL=postgres://"
)


def _admin_bulk_delete(pk: int) -> None:
    """What the admin's "Delete selected users" runs."""
    from django.contrib import admin

    admin.site._registry[User].delete_queryset(None, User.objects.filter(pk=pk))


@pytest.mark.parametrize("delete", ["account_delete", "the admin's bulk delete"])
def test_an_answer_recorded_while_the_account_is_deleted_goes_with_it(
    transactional_db, content_dir, delete
):
    assert content_sync(content_dir).ok
    alice = User.objects.create_user("alice")
    question = Question.objects.get(ext_id="metrics-numeric")
    rows_gone, answer_recorded = threading.Event(), threading.Event()
    delete_batch = DeleteQuery.delete_batch

    def paused(query, pk_list, using):
        if query.model is User and not rows_gone.is_set():  # the first try only
            rows_gone.set()  # every row of theirs deleted, the user's own next
            assert answer_recorded.wait(30)
        return delete_batch(query, pk_list, using)

    def answer_in_another_tab():
        assert rows_gone.wait(30)
        with transaction.atomic():
            question_answered(
                owner=Owner(User(pk=alice.pk)),
                question=question,
                source="practice",
                correct=True,
                score=1.0,
            )
        answer_recorded.set()

    with mock.patch.object(DeleteQuery, "delete_batch", paused):
        errors = run_together(
            (
                (lambda: account_delete(user=User.objects.get(pk=alice.pk)))
                if delete == "account_delete"
                else (lambda: _admin_bulk_delete(alice.pk))
            ),
            answer_in_another_tab,
        )
    assert errors == []
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not ProgressEvent.objects.exists()


def test_the_admins_delete_page_looks_again_too(transactional_db, content_dir):
    """The admin's own delete page runs delete_model inside its own transaction: the
    deferred foreign key is checked at that transaction's commit, not at the service's."""
    from django.test import Client
    from django.urls import reverse

    assert content_sync(content_dir).ok
    staff = User.objects.create_superuser("staff", password="pw-staff-123")
    alice = User.objects.create_user("alice")
    question = Question.objects.get(ext_id="metrics-numeric")
    rows_gone, answer_recorded = threading.Event(), threading.Event()
    delete_batch = DeleteQuery.delete_batch
    statuses = []

    def paused(query, pk_list, using):
        if query.model is User and not rows_gone.is_set():  # the first try only
            rows_gone.set()
            assert answer_recorded.wait(30)
        return delete_batch(query, pk_list, using)

    def delete_in_the_admin():
        client = Client()
        client.force_login(staff)
        url = reverse("admin:auth_user_delete", args=[alice.pk])
        statuses.append(client.post(url, {"post": "yes"}).status_code)

    def answer_in_another_tab():
        assert rows_gone.wait(30)
        with transaction.atomic():
            question_answered(
                owner=Owner(User(pk=alice.pk)),
                question=question,
                source="practice",
                correct=True,
                score=1.0,
            )
        answer_recorded.set()

    with mock.patch.object(DeleteQuery, "delete_batch", paused):
        errors = run_together(delete_in_the_admin, answer_in_another_tab)
    assert errors == []
    assert statuses == [302]
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not ProgressEvent.objects.exists()
