"""The API token page creates and replaces a DRF token that authenticates the API."""

from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from questions.owners import Owner
from questions.quizzes.services import attempt_start


def api_attempts(key: str):
    return Client().get("/api/attempts/", HTTP_AUTHORIZATION=f"Token {key}")


def test_it_needs_a_logged_in_user(client, db):
    response = client.get(reverse("accounts:token"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(reverse("accounts:token")).status_code == 302
    assert not Token.objects.exists()


def test_a_created_token_authenticates_the_api_as_its_user(client, loaded, alice, charlie):
    mine = attempt_start(owner=Owner(alice), kind="quick")
    attempt_start(owner=Owner(charlie), kind="quick")
    client.force_login(alice)
    page = client.get(reverse("accounts:token"))
    assert "You have no token yet." in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")

    response = client.post(reverse("accounts:token"))
    assert response["Location"] == reverse("accounts:token")
    key = Token.objects.get(user=alice).key
    assert key in client.get(reverse("accounts:token")).content.decode()

    api = api_attempts(key)
    assert api.status_code == 200
    assert [row["id"] for row in api.json()["results"]] == [str(mine.pk)]


def test_replacing_the_token_revokes_the_old_one(client, alice):
    client.force_login(alice)
    client.post(reverse("accounts:token"))
    old = Token.objects.get(user=alice).key
    response = client.post(reverse("accounts:token"), follow=True)
    assert "the old one no longer works" in response.content.decode()
    new = Token.objects.get(user=alice).key
    assert new != old
    assert api_attempts(old).status_code in (401, 403)
    assert api_attempts(new).status_code == 200
