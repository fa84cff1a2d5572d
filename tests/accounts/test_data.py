"""'Your data': the page, and a download of everything about the user and nobody else."""

import itertools
import json
import re

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import questions.models
from questions.accounts.export import user_data_export
from questions.models import Attempt, AttemptItem, ExerciseResult

from .conftest import make_history


def download(user) -> tuple:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("accounts:data_download"))
    return response, json.loads(response.content)


def test_both_pages_need_a_logged_in_user(client, db):
    for name in ("accounts:data", "accounts:data_download"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_download_is_an_attachment_named_for_the_user(loaded, alice):
    response, data = download(alice)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == ('attachment; filename="imagingprep-data-alice.json"')
    assert data["account"]["username"] == "alice"
    assert data["account"]["email"] == "alice@example.com"
    assert data["account"]["date_joined"].startswith(str(alice.date_joined.year))


def test_it_holds_every_attempt_and_result_of_the_user_and_nothing_else(loaded, alice, charlie):
    make_history(alice)
    make_history(charlie)
    _, data = download(alice)

    mine = {str(pk) for pk in Attempt.objects.filter(user=alice).values_list("pk", flat=True)}
    assert {a["id"] for a in data["attempts"]} == mine
    items = sum(len(a["items"]) for a in data["attempts"])
    assert items == AttemptItem.objects.filter(attempt__user=alice).count()
    assert len(data["exercise_results"]) == ExerciseResult.objects.filter(user=alice).count() == 1

    quiz = next(a for a in data["attempts"] if a["kind"] == "set")
    first = quiz["items"][0]
    item = AttemptItem.objects.get(attempt_id=quiz["id"], position=1)
    # The answer as the candidate gave it: the choice's opaque id, not its index in the file.
    assert first["question"] == "metrics-single" and first["answer"] == item.choice_id(0)
    assert first["answered_at"] and first["correct"] is not None
    glossary = next(a for a in data["attempts"] if a["kind"] == "glossary")
    assert all(item["generated_title"] and item["term"] for item in glossary["items"])

    for key, model_name in (("progress_events", "ProgressEvent"), ("review_cards", "ReviewCard")):
        model = getattr(questions.models, model_name, None)
        if model is None:
            continue
        assert len(data[key]) == model.objects.filter(user=alice).count() > 0
        assert {row["user"] for row in data[key]} == {alice.pk}

    text = json.dumps(data)
    charlie_ids = Attempt.objects.filter(user=charlie).values_list("pk", flat=True)
    assert not any(str(pk) in text for pk in charlie_ids)
    assert "charlie" not in text


def test_progress_rows_carry_every_field_of_their_model(loaded, alice):
    make_history(alice)
    data = user_data_export(alice)
    for key, model_name in (("progress_events", "ProgressEvent"), ("review_cards", "ReviewCard")):
        model = getattr(questions.models, model_name, None)
        if model is not None:
            fields = {field.name for field in model._meta.concrete_fields}
            assert all(set(row) == fields for row in data[key])
    json.dumps(data)  # plain JSON, no encoder needed


def test_the_export_query_count_does_not_grow_with_history(loaded, alice):
    make_history(alice)
    with CaptureQueriesContext(connection) as few:
        user_data_export(alice)
    for _ in range(3):
        make_history(alice)
    with CaptureQueriesContext(connection) as many:
        user_data_export(alice)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_page_counts_the_data_and_offers_download_and_deletion(loaded, alice):
    make_history(alice)
    client = Client()
    client.force_login(alice)
    html = client.get(reverse("accounts:data")).content.decode()
    assert "2 quiz attempts" in html and "1 checked exercise" in html
    assert reverse("accounts:data_download") in html
    assert f'action="{reverse("accounts:delete")}"' in html
    assert '<label for="id_password">' in html and "csrfmiddlewaretoken" in html
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))  # no level skipped


def test_the_page_query_count_does_not_grow_with_history(loaded, alice):
    client = Client()
    client.force_login(alice)
    make_history(alice)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("accounts:data")).status_code == 200
    for _ in range(3):
        make_history(alice)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("accounts:data")).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_holds_the_flags_goal_and_today_sessions_but_not_the_staff_note(loaded, alice):
    from questions.models import QuestionFlag, TodayItem

    client = Client()
    client.force_login(alice)
    client.post("/questions/metrics-single/flag/", {"reason": "other", "comment": "my words"})
    QuestionFlag.objects.update(staff_note="internal: ignore this one")
    client.post("/today/goal/", {"items": "5"})
    client.post("/today/start/")
    exercise = TodayItem.objects.get(source="exercise")
    data = user_data_export(alice)
    assert [(f["question"], f["reason"], f["comment"]) for f in data["question_flags"]] == [
        ("metrics-single", "other", "my words")
    ]
    assert "internal" not in json.dumps(data)
    assert data["daily_goal"]["items"] == 5
    (session,) = data["today_sessions"]
    assert session["goal"] == 5 and len(session["items"]) == 5
    assert session["items"][0]["position"] == 1 and session["items"][0]["answered_at"] is None
    last = session["items"][-1]
    # Not answered yet: the seed, which unlocks the public exercise page's solution, stays.
    assert last["exercise"] == {"kind": exercise.exercise_kind, "level": exercise.exercise_level}
    assert str(exercise.exercise_seed) not in json.dumps(data)
    _, charlies = download(User.objects.create_user("charlie2", password="pw-charlie-123"))
    assert charlies["question_flags"] == [] and charlies["today_sessions"] == []
    assert charlies["daily_goal"] is None
