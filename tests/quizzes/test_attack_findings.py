"""Regressions from an attack on the fair-assessment work: each test is one finding."""

from __future__ import annotations

import json
import time

import pytest
from django.contrib.auth.models import User
from django.test import Client

from questions.catalog.sync import content_sync
from questions.models import Attempt, Question, choice_ids
from questions.numbers import NumberError, read_number
from questions.quizzes.grading import grade
from tests.quiz_flow import press_start


def _started(client: Client) -> Attempt:
    client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
    attempt = Attempt.objects.latest("started_at")
    press_start(client, attempt)
    attempt.refresh_from_db()
    return attempt


def test_the_data_export_of_a_running_attempt_holds_ids_not_file_indexes(loaded):
    alice = User.objects.create_user("alice")
    client = Client()
    client.force_login(alice)
    attempt = _started(client)
    item = attempt.items.get(position=1)
    for index in range(len(item.choices)):
        chosen = item.choice_id(index)
        client.put(
            f"/api/attempts/{attempt.pk}/answers/1/",
            json.dumps({"answer": chosen}),
            content_type="application/json",
        )
        exported = client.get("/accounts/data/download/").json()
        [running] = exported["attempts"]
        assert running["items"][0]["answer"] == chosen  # the id, never `index`
        assert running["score"] is None and "still running" in running["kept_back"]


def test_multiple_choice_ids_are_looked_up_in_constant_time_and_bounded(loaded):
    item = Question.objects.get(ext_id="metrics-multiple")
    scope, count = "attempt:x:1", len(item.choices)
    ids = choice_ids.ids_of(scope, count)
    assert sorted(ids.values()) == list(range(count))
    # Every lookup computes every id, so the time cannot depend on the file position.
    calls = []
    original = choice_ids.choice_id

    def counting(scope: str, index: int, secret: str | None = None) -> str:
        calls.append(index)
        return original(scope, index, secret)

    choice_ids.choice_id = counting  # type: ignore[assignment]
    try:
        for chosen in ids:
            calls.clear()
            choice_ids.index_of(scope, count, chosen)
            assert sorted(calls) == list(range(count))
    finally:
        choice_ids.choice_id = original  # type: ignore[assignment]


def test_a_huge_list_of_ids_is_refused_at_once(loaded):
    client = Client()
    client.post("/quizzes/start/", {"kind": "topic", "topic": "metrics", "count": 3})
    attempt = Attempt.objects.get()
    press_start(client, attempt)
    item = next(i for i in attempt.items.all() if i.type == "multiple")
    started = time.perf_counter()
    response = client.put(
        f"/api/attempts/{attempt.pk}/answers/{item.position}/",
        json.dumps({"answer": [item.choice_id(0)] * 40000}),
        content_type="application/json",
    )
    assert response.status_code == 400 and time.perf_counter() - started < 1.0


@pytest.mark.parametrize("typed", ["17.2%", "17.2 %", "17,2%", "17.2"])
def test_a_percent_answer_to_a_question_in_percent_is_read_as_points(typed):
    key = {"value": 17.2, "tolerance": 0.05, "relative_tolerance": None, "unit": "%"}
    assert grade("numeric", key, [], typed).correct


@pytest.mark.parametrize("typed", ["١,٠٠٠", "१,०००", "٣,٥٠٠"])
def test_digits_of_other_scripts_cannot_slip_past_the_thousands_rule(typed):
    with pytest.raises(NumberError):
        read_number(typed)


def test_full_width_digits_follow_the_same_rule():
    assert read_number("０,７５") == 0.75
    with pytest.raises(NumberError, match="thousands separator"):
        read_number("１,０００")


def test_removing_a_choice_from_the_bank_leaves_attempts_readable(loaded):
    client = Client()
    attempt = _started(client)
    item = attempt.items.get(position=1)
    removed = item.choice_order[0]
    client.post(f"/attempts/{attempt.pk}/answers/1/", {"choice": item.choice_id(removed)})
    path = loaded / "questions/metrics/metrics-single.md"
    text = path.read_text()
    choice = item.question.choices[-1]
    # Drop the file's last choice (a wrong one in the fixture), then reload the bank.
    start = text.rindex("  - text:")
    end = text.index("---", start)
    path.write_text(text[:start] + text[end:])
    assert content_sync(loaded).ok
    assert len(Question.objects.get(ext_id="metrics-single").choices) == len(item.choices) - 1
    assert client.get(attempt.get_absolute_url()).status_code == 200
    assert client.get(f"/api/attempts/{attempt.pk}/").status_code == 200
    assert client.post(f"/attempts/{attempt.pk}/finish/").status_code == 302
    assert client.get(attempt.get_absolute_url()).status_code == 200
    assert choice  # the removed choice existed
