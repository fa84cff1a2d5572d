"""A quiz waits at its start page: what it holds, how long, how it is scored, and Start.
The clock starts when the candidate presses Start, not when the page is drawn or read."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from questions.models import Attempt
from tests.quiz_flow import press_start

DRAWN = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _drawn(client: Client) -> Attempt:
    response = client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
    assert response.status_code == 302
    return Attempt.objects.get()


def test_the_start_page_says_what_comes_and_shows_no_question(loaded):
    client = Client()
    attempt = _drawn(client)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert "3 questions</strong>: 1 single choice, 1 number to work out, 1 open question" in page
    assert "Time limit: <strong>10 minutes</strong>" in page
    assert "No negative marking" in page and "0, ½ or 1" in page
    assert "Select all that apply" not in page  # only the rules of the types it holds
    assert 'name="layout"' in page and "Start the quiz (10 minutes)" in page
    for item in attempt.items.select_related("question"):
        assert item.title not in page and item.prompt_html not in page


def test_reading_the_start_page_does_not_start_the_clock(loaded):
    client = Client()
    with time_machine.travel(DRAWN, tick=False):
        attempt = _drawn(client)
    with time_machine.travel(DRAWN + timedelta(hours=2), tick=False):
        assert client.get(attempt.get_absolute_url()).status_code == 200
        attempt.refresh_from_db()
        assert attempt.deadline is None and not attempt.is_finished
    started = DRAWN + timedelta(hours=3)
    with time_machine.travel(started, tick=False):
        press_start(client, attempt)
        attempt.refresh_from_db()
    assert attempt.started_at == started
    assert attempt.deadline == started + timedelta(minutes=10)
    with time_machine.travel(started + timedelta(minutes=4), tick=False):
        page = client.get(attempt.get_absolute_url()).content.decode()
    assert ">6:00<" in page  # ten minutes from Start, not from the draw


def test_pressing_start_again_never_restarts_the_clock(loaded):
    client = Client()
    attempt = _drawn(client)
    with time_machine.travel(DRAWN, tick=False):
        press_start(client, attempt)
    with time_machine.travel(DRAWN + timedelta(minutes=9), tick=False):
        press_start(client, attempt, layout="one")
    attempt.refresh_from_db()
    assert attempt.deadline == DRAWN + timedelta(minutes=10)
    assert attempt.one_at_a_time is False  # the layout is switched elsewhere, not by Start


def test_nothing_can_be_answered_or_finished_before_start(loaded):
    client = Client()
    attempt = _drawn(client)
    choice = attempt.items.get(position=1).choice_id(0)
    page = client.post(
        f"/attempts/{attempt.pk}/answers/1/", {"choice": choice}, HTTP_ACCEPT="application/json"
    )
    assert page.status_code == 400 and "press Start" in page.json()["message"]
    api = client.put(
        f"/api/attempts/{attempt.pk}/answers/1/",
        {"answer": choice},
        content_type="application/json",
    )
    assert api.status_code == 409 and "press Start" in api.json()["detail"]
    assert client.post(f"/api/attempts/{attempt.pk}/finish/").status_code == 409
    assert client.post(f"/attempts/{attempt.pk}/finish/").url == attempt.get_absolute_url()
    attempt.refresh_from_db()
    assert not attempt.is_finished and not attempt.items.filter(answer__isnull=False).exists()


def test_the_api_shows_a_ready_attempt_without_its_questions(loaded):
    client = Client()
    attempt = _drawn(client)
    data = client.get(f"/api/attempts/{attempt.pk}/").json()
    assert (data["status"], data["items"], data["deadline"]) == ("ready", [], None)
    assert data["remaining_seconds"] == 600


def test_the_data_export_names_no_question_of_a_quiz_not_started(loaded, django_user_model):
    from questions.accounts.export import user_data_export

    dana = django_user_model.objects.create_user("dana")
    client = Client()
    client.force_login(dana)
    attempt = _drawn(client)
    exported = user_data_export(dana)["attempts"]
    assert exported[0]["items"] == [] and "start page" in exported[0]["kept_back"]
    text = str(exported)
    for ext_id in attempt.items.values_list("question__ext_id", flat=True):
        assert ext_id not in text
    press_start(client, attempt)
    assert len(user_data_export(dana)["attempts"][0]["items"]) == 3
