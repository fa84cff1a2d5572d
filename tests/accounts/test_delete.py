"""Deleting an account takes the password, and removes the user and all their rows."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

import questions.models
from questions.models import Attempt, AttemptItem, ExerciseResult

from .conftest import PASSWORD, make_history

OWNED = [
    getattr(questions.models, name, None)
    for name in ("Attempt", "ExerciseResult", "ProgressEvent", "ReviewCard")
]
OWNED = [model for model in OWNED if model is not None]


def rows(user) -> dict:
    counts = {model.__name__: model.objects.filter(user=user).count() for model in OWNED}
    counts["AttemptItem"] = AttemptItem.objects.filter(attempt__user=user).count()
    counts["Token"] = Token.objects.filter(user=user).count()
    return counts


@pytest.fixture
def alice_client(loaded, alice, charlie):
    make_history(alice)
    make_history(charlie)
    Token.objects.create(user=alice)
    Token.objects.create(user=charlie)
    client = Client()
    client.force_login(alice)
    return client


def test_it_deletes_the_user_and_everything_they_own(alice_client, alice, charlie):
    before = rows(alice)
    assert all(before.values()), before
    charlie_before = rows(charlie)

    response = alice_client.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert rows(alice) == dict.fromkeys(before, 0)
    assert not Attempt.objects.filter(anon_token="").exclude(user=charlie).exists()
    assert rows(charlie) == charlie_before
    assert "_auth_user_id" not in alice_client.session
    page = alice_client.get(response["Location"]).content.decode()
    assert "Your account and all its data were deleted." in page


def test_it_needs_the_right_password(alice_client, alice):
    before = rows(alice)
    response = alice_client.post(reverse("accounts:delete"), {"password": "not it"})
    assert response.status_code == 400
    assert "That is not your password: your account was not deleted." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists() and rows(alice) == before
    assert alice_client.session["_auth_user_id"] == str(alice.pk)

    assert alice_client.post(reverse("accounts:delete"), {}).status_code == 400
    assert User.objects.filter(pk=alice.pk).exists()


def test_it_is_post_only_and_for_logged_in_users(alice_client, client, alice):
    assert alice_client.get(reverse("accounts:delete")).status_code == 405
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert User.objects.filter(pk=alice.pk).exists()
    assert ExerciseResult.objects.filter(user=alice).exists()
