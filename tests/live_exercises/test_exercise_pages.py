"""Exercise pages and API: same seed, same data; every field marked; bad input is a 400."""

import json

import pytest
from django.utils.html import escape

from questions.exercises import KINDS
from questions.exercises.lookup import exercise_for
from questions.models import ExerciseResult


def right_answers(exercise) -> dict:
    return {
        f.name: exercise.expected_text[f.name]
        if f.kind == "text"
        else ""
        if value is None
        else (("yes" if value else "no") if f.kind == "yesno" else value)
        for f in exercise.fields
        for value in [exercise.expected.get(f.name)]
    }


def test_the_list_offers_every_kind_at_every_level(client, db):
    html = client.get("/exercises/").content.decode()
    for kind in KINDS.values():
        assert escape(kind.title) in html
        assert f"/exercises/{kind.name}/new/?level=hard" in html


def test_new_gives_a_shareable_seed(client, db):
    response = client.get("/exercises/roc/new/?level=easy")
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/exercises/roc/") and "level=easy" in response["Location"]
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_renders_its_data_and_checks_right_answers(client, db, kind):
    url = f"/exercises/{kind}/1234/?level=medium"
    html = client.get(url).content.decode()
    exercise = exercise_for(kind, 1234, "medium")
    for field in exercise.fields:
        assert f'name="{field.name}"' in html
    response = client.post(url, right_answers(exercise))
    html = response.content.decode()
    assert f"{len(exercise.fields)} of {len(exercise.fields)} right." in html
    assert "Worked solution" in html
    result = ExerciseResult.objects.get()
    assert (result.kind, result.seed, result.level, result.score) == (kind, 1234, "medium", 1.0)


def test_a_wrong_value_is_marked_with_the_expected_one_on_the_second_wrong_check(client, db):
    # The first check only says wrong (tests/live_exercises/test_check_without_spoilers.py).
    exercise = exercise_for("classification", 7, "easy")
    answers = right_answers(exercise) | {"tp": "999"}
    client.post("/exercises/classification/7/?level=easy", answers)
    html = client.post("/exercises/classification/7/?level=easy", answers).content.decode()
    assert f"{len(exercise.fields) - 1} of {len(exercise.fields)} right." in html
    assert f"incorrect: expected {int(exercise.expected['tp'])}" in html


def test_the_solution_is_not_in_the_page_before_checking(client, db):
    exercise = exercise_for("agreement", 3, "easy")
    html = client.get("/exercises/agreement/3/?level=easy").content.decode()
    assert "Worked solution" not in html
    assert f"{exercise.expected['kappa']:.3f}" not in html


BAD_URLS = [
    "/exercises/nope/1/",
    "/exercises/roc/-1/",
    "/exercises/roc/x/",
    "/exercises/roc/99999999999/",
    "/exercises/roc/1/?level=extreme",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_exercise_urls_are_404_not_500(client, db, url):
    assert client.get(url).status_code == 404


def test_the_api_gives_the_same_data_for_the_same_seed(client, db):
    first = client.get("/api/exercises/segmentation/99/?level=hard").json()
    second = client.get("/api/exercises/segmentation/99/?level=hard").json()
    assert first == second
    assert first["data"]["shape"] == [len(first["data"]["ground_truth"])] * 2
    assert [f["name"] for f in first["fields"]] == ["dice", "iou", "pixel_accuracy"]
    assert first["urls"]["figure"].endswith("/exercises/segmentation/99/figure/?level=hard")


def test_the_api_checks_answers_and_returns_the_solution(client, db):
    exercise = exercise_for("class_weights", 5, "hard")
    response = client.post(
        "/api/exercises/class_weights/5/check/",
        json.dumps({"level": "hard", "answers": right_answers(exercise)}),
        content_type="application/json",
    )
    data = response.json()
    assert response.status_code == 200 and data["score"] == 1.0
    assert all(r["correct"] for r in data["results"].values())
    assert data["solution_html"] and "<math" in "".join(data["solution_html"])


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("nope/1", {"level": "easy", "answers": {}}, "Unknown exercise kind 'nope'"),
        ("roc/-4", {"level": "easy", "answers": {}}, "The seed must be from 0 to"),
        ("roc/4", {"level": "nightmare", "answers": {}}, "The level must be one of"),
        ("roc/4", {"level": "easy"}, "Send {'level'"),
        ("roc/4", {"level": "easy", "answers": {"auc": "high"}}, "Some answers cannot be checked."),
    ],
)
def test_the_api_refuses_bad_input_with_a_message(client, db, path, body, message):
    response = client.post(
        f"/api/exercises/{path}/check/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_a_non_numeric_or_missing_field_is_named(client, db):
    response = client.post(
        "/api/exercises/roc/4/check/",
        json.dumps({"level": "easy", "answers": {"auc": "high", "bogus": 1}}),
        content_type="application/json",
    )
    errors = response.json()["errors"]
    assert "not a number" in errors["auc"] and errors["bogus"] == "unknown field"
    assert errors["sensitivity"].startswith("missing")


def test_the_dicom_file_downloads_and_opens_with_pydicom(client, db):
    import io

    from pydicom import dcmread

    response = client.get("/exercises/dicom/21/exercise.dcm?level=medium")
    assert response.status_code == 200 and response["Content-Type"] == "application/dicom"
    assert 'filename="exercise-21-medium.dcm"' in response["Content-Disposition"]
    ds = dcmread(io.BytesIO(response.content))
    exercise = exercise_for("dicom", 21, "medium")
    assert float(ds.RescaleIntercept) == exercise.data["rescale_intercept"]
    pixel = exercise.data["pixels"][0]
    assert ds.pixel_array[pixel["row"], pixel["column"]] == pixel["stored"]


def test_the_figure_is_served_as_svg_with_a_cache_header(client, db):
    response = client.get("/exercises/roc/8/figure/?level=easy")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content[:500]
    assert "max-age" in response["Cache-Control"]
    png = client.get("/exercises/roc/8/figure/?level=easy&format=png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
