"""Once the worked solution of an exercise has been shown to a visitor, their later checks
of that exercise (kind, seed, level) are still marked but never recorded: copying the
answers from the solution is no success for progress or mastery. Page and API alike."""

import json

import pytest
from django.test import Client

from questions.exercises.lookup import exercise_for
from questions.models import ExerciseResult, ProgressEvent

from .test_exercise_pages import right_answers

URL = "/exercises/classification/7/?level=easy"
API = "/api/exercises/classification/7/check/"


@pytest.fixture
def exercise():
    return exercise_for("classification", 7, "easy")


def wrong_answers(exercise) -> dict:
    return right_answers(exercise) | {"tp": "999"}


def _recorded() -> list[float]:
    assert ExerciseResult.objects.count() == ProgressEvent.objects.count()
    return [r.score for r in ExerciseResult.objects.order_by("created_at", "pk")]


def _api(client, answers, **extra):
    body = {"level": "easy", "answers": answers, **extra}
    return client.post(API, json.dumps(body), content_type="application/json")


def test_a_right_check_after_show_solution_is_marked_but_not_counted(client, db, exercise):
    """The cheat: Show solution (a give-up, 0), then check the answers just read there."""
    client.post(URL, {"reveal": "1"})
    html = client.post(URL, right_answers(exercise)).content.decode()
    assert f"{len(exercise.fields)} of {len(exercise.fields)} right." in html
    assert "Checked after the solution was shown" in html
    assert _recorded() == [0]
    assert not ProgressEvent.objects.filter(correct=True).exists()


def test_a_reveal_after_a_wrong_check_stops_later_checks_counting(client, db, exercise):
    client.post(URL, wrong_answers(exercise))
    client.post(URL, wrong_answers(exercise) | {"reveal": "1"})
    html = client.post(URL, right_answers(exercise)).content.decode()
    assert "Checked after the solution was shown" in html
    fields = len(exercise.fields)
    assert _recorded() == [pytest.approx((fields - 1) / fields)]  # the first check only


def test_checks_after_the_second_wrong_one_are_not_counted(client, db, exercise):
    client.post(URL, wrong_answers(exercise))
    client.post(URL, wrong_answers(exercise))  # shows the solution
    client.post(URL, right_answers(exercise))
    assert len(_recorded()) == 2 and max(_recorded()) < 1


def test_a_right_answer_counts_once(client, db, exercise):
    client.post(URL, right_answers(exercise))
    html = client.post(URL, right_answers(exercise)).content.decode()
    assert "Checked after the solution was shown" in html
    assert _recorded() == [1]


def test_a_reveal_on_the_page_stops_api_checks_counting_and_back(client, db, exercise):
    client.post(URL, {"reveal": "1"})
    data = _api(client, right_answers(exercise)).json()
    assert data["score"] == 1 and data["recorded"] is False and data["solution_shown"]
    assert _recorded() == [0]


def test_another_exercise_and_another_visitor_still_count(client, db, exercise, django_user_model):
    client.post(URL, {"reveal": "1"})
    other = exercise_for("classification", 8, "easy")
    client.post("/exercises/classification/8/?level=easy", right_answers(other))
    charlie = Client()  # not this visitor's session (logging in would take its record over)
    charlie.force_login(django_user_model.objects.create_user("charlie", password="pw-c-12345"))
    charlie.post(URL, right_answers(exercise))
    assert sorted(_recorded()) == [0, 1, 1]
