"""PUT /api/attempts/{id}/answers/{n}/ checks ownership in the query that locks the attempt:
everyone but the owner gets the same 404, whatever else is wrong with the request, and
nothing is saved."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token

from questions.models import Attempt, QuestionSet
from questions.owners import Owner
from questions.quizzes.services import attempt_finish, attempt_start


@pytest.fixture
def alices_attempt(loaded):
    alice = User.objects.create_user("alice", password=None)
    question_set = QuestionSet.objects.get(ext_id="starter")
    return attempt_start(owner=Owner(alice, ""), kind="set", question_set=question_set)


def token_client(username: str) -> Client:
    key = Token.objects.create(user=User.objects.create_user(username, password=None)).key
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def put(client: Client, attempt: Attempt, position: int, body: object):
    return client.put(
        f"/api/attempts/{attempt.pk}/answers/{position}/",
        json.dumps(body),
        content_type="application/json",
    )


def test_charlie_gets_404_for_alices_attempt_whatever_he_sends(alices_attempt):
    charlie = token_client("charlie")
    choice = alices_attempt.items.get(position=1).choice_id(0)
    for position, body in [
        (1, {"answer": choice}),  # a good answer
        (1, {"nothing": 1}),  # a malformed body: still 404, not 400
        (99, {"answer": choice}),  # no such question: still 404
        (1, {"answer": "not an id"}),
    ]:
        response = put(charlie, alices_attempt, position, body)
        assert response.status_code == 404, (position, body, response.content)
        assert response.json() == {"detail": "No such quiz attempt."}
    assert not alices_attempt.items.filter(answer__isnull=False).exists()


def test_a_finished_attempt_is_404_to_others_and_409_to_its_owner(alices_attempt):
    attempt_finish(attempt=alices_attempt)
    choice = alices_attempt.items.get(position=1).choice_id(0)
    assert put(token_client("charlie"), alices_attempt, 1, {"answer": choice}).status_code == 404
    alice = Client()
    alice.force_login(User.objects.get(username="alice"))
    assert put(alice, alices_attempt, 1, {"answer": choice}).status_code == 409


def test_a_visitor_without_a_session_owns_nothing(alices_attempt):
    choice = alices_attempt.items.get(position=1).choice_id(0)
    assert put(Client(), alices_attempt, 1, {"answer": choice}).status_code == 404


def test_the_owner_saves_with_her_token(alices_attempt):
    key = Token.objects.create(user=User.objects.get(username="alice")).key
    alice = Client(HTTP_AUTHORIZATION=f"Token {key}")
    choice = alices_attempt.items.get(position=1).choice_id(0)
    response = put(alice, alices_attempt, 1, {"answer": choice})
    assert response.status_code == 200
    assert response.json() == {"position": 1, "answer": choice, "saved": True}
    assert put(alice, alices_attempt, 99, {"answer": choice}).status_code == 400
