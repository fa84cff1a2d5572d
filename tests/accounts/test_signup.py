"""Sign-up creates the account, logs in, and hands over the visitor's earlier quizzes."""

from django.contrib.auth.models import User
from django.urls import reverse

from questions.models import Attempt, ExerciseResult
from questions.owners import SESSION_KEY

from .conftest import PASSWORD


def sign_up(client, **data):
    form = {"username": "alice", "email": "", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("accounts:signup"), {**form, **data})


def test_the_page_has_labelled_inputs_and_a_csrf_token(client, db):
    html = client.get(reverse("accounts:signup")).content.decode()
    for name in ("username", "email", "password1", "password2"):
        assert f'<label for="id_{name}">' in html
    assert "csrfmiddlewaretoken" in html
    assert "(optional)" in html  # the email
    assert html.count("<h1>") == 1


def test_it_creates_the_account_and_logs_in(client, db):
    response = sign_up(client, email="alice@example.com")
    assert response.status_code == 302 and response["Location"] == "/"
    alice = User.objects.get(username="alice")
    assert alice.email == "alice@example.com" and alice.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_email_is_optional(client, db):
    assert sign_up(client).status_code == 302
    assert User.objects.get(username="alice").email == ""


def test_quizzes_started_before_signing_up_belong_to_the_new_account(client, loaded):
    started = client.post("/quizzes/start/", {"kind": "quick"})
    assert started.status_code == 302
    token = client.session[SESSION_KEY]
    ExerciseResult.objects.create(
        anon_token=token,
        kind="roc",
        seed=1,
        level="easy",
        answers={},
        correct_fields=0,
        total_fields=1,
        score=0.0,
    )

    assert sign_up(client).status_code == 302

    alice = User.objects.get(username="alice")
    attempt = Attempt.objects.get()
    assert attempt.user == alice and attempt.anon_token == ""
    assert ExerciseResult.objects.get().user == alice
    assert client.get(started["Location"]).status_code == 200


def test_it_shows_what_is_wrong_and_creates_nothing(client, db):
    response = sign_up(client, password2="something else entirely")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The two password fields didn’t match." in html
    assert 'aria-invalid="true"' in html and 'id="id_password2_error"' in html
    assert not User.objects.exists()


def test_it_refuses_a_username_that_differs_only_in_case(client, alice):
    response = sign_up(client, username="ALICE")
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.count() == 1
