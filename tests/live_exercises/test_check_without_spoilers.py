"""Checking an exercise marks each field without giving the answer away; the worked solution
comes when asked for, after a second wrong check, or with every field right."""

import json
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


# --- the API follows the page's rule ---------------------------------------------------

API = "/api/exercises/classification/7/check/"


def _api(client, answers, **extra):
    body = {"level": "easy", "answers": answers, **extra}
    return client.post(API, json.dumps(body), content_type="application/json")


def _api_answers(exercise) -> dict:
    """The page's form values as the API takes them: numbers, null when undefined."""
    return {
        name: (None if value == "" else value) for name, value in right_answers(exercise).items()
    }


def test_the_apis_first_wrong_check_marks_fields_without_the_answers(client, db, exercise):
    response = _api(client, _api_answers(exercise) | {"tp": 999})
    data = response.json()
    assert response.status_code == 200
    assert data["solution_shown"] is False and data["recorded"] is True
    assert data["score"] == (len(exercise.fields) - 1) / len(exercise.fields)
    assert data["results"]["tp"] == {
        "correct": False,
        "close": False,
        "given": 999.0,
        "tolerance": 0.0,
        "message": "incorrect",
    }
    assert all("expected" not in result for result in data["results"].values())
    assert data["solution_html"] == [] and data["solution_markdown"] == ""
    assert "figure" not in data["urls"] and data["urls"]["page"].endswith("?level=easy")
    assert str(int(exercise.expected["tp"])) not in json.dumps(data["results"]["tp"])


def test_the_apis_second_wrong_check_sends_the_solution(client, db, exercise):
    _api(client, _api_answers(exercise) | {"tp": 999})
    data = _api(client, _api_answers(exercise) | {"tp": 999}).json()
    assert data["solution_shown"] is True
    assert data["results"]["tp"]["expected"] == exercise.expected["tp"]
    assert f"expected {int(exercise.expected['tp'])}" in data["results"]["tp"]["message"]
    assert data["solution_html"] == list(solution_html("classification", 7, "easy"))
    assert data["solution_markdown"] and "figure" in data["urls"]


def test_the_api_reveals_when_asked_and_records_the_answers_as_given(client, db, exercise):
    data = _api(client, _api_answers(exercise) | {"tp": 999}, reveal=True).json()
    assert data["solution_shown"] is True and data["recorded"] is True
    assert data["results"]["tp"]["expected"] == exercise.expected["tp"]
    assert data["solution_html"]
    assert ExerciseResult.objects.get().score == data["score"]


@pytest.mark.parametrize("reveal", ["yes", 1, None, []])
def test_the_api_refuses_a_reveal_that_is_not_true_or_false(client, db, exercise, reveal):
    response = _api(client, _api_answers(exercise), reveal=reveal)
    assert response.status_code == 400
    assert response.json()["detail"] == "'reveal' must be true or false."
    assert not ExerciseResult.objects.exists()


def test_the_schema_documents_reveal_and_what_a_check_holds_back(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)["components"]["schemas"]
    assert "reveal" in schema["CheckRequestRequest"]["properties"]
    result = schema["CheckResult"]
    assert {"solution_shown", "recorded"} <= set(result["required"])
    assert "expected" not in schema["FieldResult"]["required"]
    assert "solution_shown" in schema["FieldResult"]["properties"]["expected"]["description"]
