"""Checking an exercise marks each field without giving the answer away; the worked solution
comes when asked for, after a second wrong check, or with every field right."""

import re

import pytest

from questions.exercises.lookup import exercise_for, solution_html
from questions.models import ExerciseResult

from .test_exercise_pages import right_answers

URL = "/exercises/classification/7/?level=easy"


@pytest.fixture
def exercise():
    return exercise_for("classification", 7, "easy")


def wrong_answers(exercise) -> dict:
    return right_answers(exercise) | {"tp": "999"}


def test_the_first_wrong_check_marks_fields_but_sends_no_solution(client, db, exercise):
    html = client.post(URL, wrong_answers(exercise)).content.decode()
    assert f"{len(exercise.fields) - 1} of {len(exercise.fields)} right." in html
    assert "✗ incorrect" in html
    assert "expected" not in html  # no field's message names its value
    assert "Worked solution" not in html
    assert solution_html("classification", 7, "easy")[0] not in html
    assert "/figure/" not in html  # the figure shows the confusion counts
    assert 'name="reveal"' in html


def test_the_second_wrong_check_of_the_same_exercise_shows_the_solution(client, db, exercise):
    client.post(URL, wrong_answers(exercise))
    html = client.post(URL, wrong_answers(exercise)).content.decode()
    assert "Worked solution" in html
    assert solution_html("classification", 7, "easy")[0] in html
    assert f"incorrect: expected {int(exercise.expected['tp'])}" in html
    assert 'name="reveal"' not in html


def test_a_wrong_check_of_another_exercise_does_not_count_towards_the_solution(
    client, db, exercise
):
    other = exercise_for("classification", 8, "easy")
    client.post("/exercises/classification/8/?level=easy", wrong_answers(other))
    html = client.post(URL, wrong_answers(exercise)).content.decode()
    assert "Worked solution" not in html


def test_another_visitors_wrong_checks_do_not_count(client, db, exercise, django_user_model):
    """Alice's wrong check is hers; Charlie's first check is still his first."""
    alice = django_user_model.objects.create_user("alice", password="pw-alice-123")
    client.force_login(alice)
    client.post(URL, wrong_answers(exercise))
    client.logout()
    html = client.post(URL, wrong_answers(exercise)).content.decode()
    assert "Worked solution" not in html


def test_show_solution_reveals_it_and_counts_the_answers_once(client, db, exercise):
    client.post(URL, wrong_answers(exercise))
    html = client.post(URL, wrong_answers(exercise) | {"reveal": "1"}).content.decode()
    assert "Worked solution" in html and "/figure/" in html
    assert ExerciseResult.objects.count() == 1
    assert "Not counted again" in html


def test_show_solution_before_any_check_records_the_answers_as_given(client, db, exercise):
    html = client.post(URL, {"reveal": "1"}).content.decode()
    assert "Worked solution" in html
    result = ExerciseResult.objects.get()
    assert result.score == 0


def test_all_right_shows_the_solution_at_once(client, db, exercise):
    html = client.post(URL, right_answers(exercise)).content.decode()
    assert "Worked solution" in html


def test_a_near_miss_is_marked_close(client, db):
    exercise = exercise_for("roc", 4, "easy")
    ratio = next(f for f in exercise.fields if f.tolerance and exercise.expected[f.name])
    near = exercise.expected[ratio.name] + 3 * ratio.tolerance
    answers = right_answers(exercise) | {ratio.name: f"{near:.4f}"}
    html = client.post("/exercises/roc/4/?level=easy", answers).content.decode()
    assert "≈ close, but not within the tolerance" in html
    assert re.search(r'class="field is-close"', html)
