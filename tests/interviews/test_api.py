import pytest
import time_machine
from django.test import Client
from rest_framework.authtoken.models import Token

from questions.interviews import invites
from questions.models import Attempt, InterviewSet
from tests.quiz_flow import press_start

from .conftest import client_for


def test_crud_of_sets_and_entries(loaded, alice_client):
    created = alice_client.post(
        "/api/sets/",
        {"title": "API set", "description": "For scripts.", "time_limit_minutes": 15},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    set_id = created.json()["id"]
    entries = f"/api/sets/{set_id}/entries/"
    for body in (
        {"question": "metrics-single"},
        {"exercise_kind": "dicom", "exercise_level": "hard", "exercise_seed": 0},
        {"random_count": 2, "random_topic": "dicom", "random_difficulty": "easy"},
    ):
        response = alice_client.post(entries, body, content_type="application/json")
        assert response.status_code == 201, response.json()
    listed = alice_client.get(entries).json()["results"]
    assert [e["kind"] for e in listed] == ["question", "exercise", "random"]
    assert listed[1]["exercise_seed"] == 0
    moved = alice_client.patch(
        f"{entries}{listed[2]['id']}/", {"position": 1}, content_type="application/json"
    )
    assert moved.json()["position"] == 1
    detail = alice_client.get(f"/api/sets/{set_id}/").json()
    assert [e["kind"] for e in detail["entries"]] == ["random", "question", "exercise"]
    assert alice_client.delete(f"{entries}{listed[0]['id']}/").status_code == 204
    assert [e["position"] for e in alice_client.get(entries).json()["results"]] == [1, 2]
    updated = alice_client.patch(
        f"/api/sets/{set_id}/", {"show_answers": True}, content_type="application/json"
    )
    assert updated.json()["show_answers"] is True
    assert alice_client.delete(f"/api/sets/{set_id}/").status_code == 204
    assert not InterviewSet.objects.exists()


@pytest.mark.parametrize(
    "body, message",
    [
        ({}, "Give exactly one of"),
        ({"question": "metrics-single", "exercise_kind": "roc"}, "Give exactly one of"),
        ({"question": "no-such-question"}, "No question with id 'no-such-question' in the bank."),
        ({"random_count": 1, "random_topic": "astrology"}, "No topic 'astrology'"),
        ({"random_count": 2}, "A random draw needs a topic."),
        ({"exercise_kind": "telepathy"}, "is not a valid choice"),
    ],
)
def test_bad_entries_are_400_with_the_reason(screening, alice_client, body, message):
    response = alice_client.post(
        f"/api/sets/{screening.pk}/entries/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert message in str(response.json())


def test_invites_and_results(screening, alice_client):
    response = alice_client.post(
        f"/api/sets/{screening.pk}/invites/",
        {"label": "API", "max_attempts": 2},
        content_type="application/json",
    )
    assert response.status_code == 201
    invite = response.json()
    assert invite["url"] == f"http://testserver/invite/{invite['token']}/"
    candidate = Client()
    candidate.post(f"/invite/{invite['token']}/", {"name": "Eve"})
    attempt = Attempt.objects.get()
    press_start(candidate, attempt)
    candidate.post(f"/attempts/{attempt.pk}/finish/")
    results = alice_client.get(f"/api/sets/{screening.pk}/results/").json()
    assert [c["candidate_name"] for c in results["results"]] == ["Eve"]
    assert results["results"][0]["open_answers_to_grade"] == 0  # left blank: nothing to grade
    assert len(results["questions"]) == 4
    assert (
        alice_client.get(f"/api/sets/{screening.pk}/invites/").json()["results"][0]["attempts_used"]
        == 1
    )


@pytest.mark.parametrize("expires_at", ["2001-01-01T10:00:00Z", "2026-03-01T09:59:59Z"])
@time_machine.travel("2026-03-01 10:00Z", tick=False)
def test_an_invite_cannot_be_created_already_expired(screening, alice_client, expires_at):
    """The same rule as the page's form: a link born expired is of no use to anyone."""
    response = alice_client.post(
        f"/api/sets/{screening.pk}/invites/",
        {"label": "API", "expires_at": expires_at},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"expires_at": ["Choose a time in the future."]}
    assert not screening.invites.exists()


def test_token_authentication_works_for_scripts(screening, alice):
    token = Token.objects.create(user=alice)
    response = Client().get("/api/sets/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [s["title"] for s in response.json()["results"]] == ["Imaging ML screen"]


def test_non_interviewers_are_refused(screening, bob):
    assert client_for(bob).get("/api/sets/").status_code == 403
    assert Client().get("/api/sets/").status_code == 403
    assert client_for(bob).get(f"/api/sets/{screening.pk}/").status_code == 403


def test_another_interviewer_lists_none_of_alices_sets(screening, charlie):
    assert client_for(charlie).get("/api/sets/").json()["results"] == []


def test_staff_can_open_any_set(screening, charlie):
    charlie.is_staff = True
    charlie.save()
    assert client_for(charlie).get(f"/api/sets/{screening.pk}/").status_code == 200
    invites.invite_create(interview_set=screening)
    assert client_for(charlie).get(f"/api/sets/{screening.pk}/invites/").status_code == 200
