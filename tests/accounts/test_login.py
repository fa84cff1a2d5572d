"""Log in with Django's view (and the claim of anonymous quizzes); log out by POST only."""

from django.test import Client
from django.urls import reverse

from questions.models import Attempt

from .conftest import PASSWORD


def test_the_page_has_labelled_inputs_and_a_csrf_token(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert "csrfmiddlewaretoken" in html
    assert reverse("accounts:password_reset") in html


def test_it_logs_in_and_redirects(client, alice):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_it_follows_a_safe_next_only(alice):
    url = reverse("accounts:login")
    data = {"username": "alice", "password": PASSWORD}
    assert Client().post(url, {**data, "next": "/quizzes/"})["Location"] == "/quizzes/"
    assert Client().post(url, {**data, "next": "https://evil.example/"})["Location"] == "/"


def test_a_wrong_password_says_so(client, alice):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_quizzes_started_before_logging_in_move_to_the_account(client, loaded, alice):
    assert client.post("/quizzes/start/", {"kind": "quick"}).status_code == 302
    client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert Attempt.objects.get().user == alice


def test_logout_is_post_only(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(alice.pk)

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "You are logged out." in client.get(response["Location"]).content.decode()
