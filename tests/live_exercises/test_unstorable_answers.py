"""An exercise answer no database can keep (a NUL: PostgreSQL refuses it in text and jsonb)
is refused with a sentence naming the field, and nothing is recorded; never a 500. Run this
file on PostgreSQL too."""

import json

from questions.models import ExerciseResult

PAGE = "/exercises/classification/1/?level=easy"


def test_a_nul_in_a_typed_answer_is_refused_on_the_page(db, client):
    response = client.post(PAGE, {"tp": "3\x00", "fp": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "TP (lesion present, predicted present): the answer holds a character that cannot" in (
        page
    )
    assert 'value="1"' in page  # the other answers stay typed in
    assert not ExerciseResult.objects.exists()
    assert client.post(PAGE, {"tp": "3", "fp": "1"}).status_code == 200
    assert ExerciseResult.objects.count() == 1


def _api_check(client, **answers):
    fields = [f["name"] for f in client.get("/api/exercises/nifti/1/?level=easy").json()["fields"]]
    return client.post(
        "/api/exercises/nifti/1/check/",
        json.dumps({"level": "easy", "answers": dict.fromkeys(fields) | answers}),
        content_type="application/json",
    )


def test_a_nul_or_an_object_in_a_text_answer_is_refused_by_the_api(db, client):
    response = _api_check(client, axcodes="RA\u0000S")
    assert response.status_code == 400
    assert "Axis codes of i, j, k: the answer holds a character" in response.json()["detail"]
    response = _api_check(client, axcodes={"R": "\u0000"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Axis codes of i, j, k: give a number, yes or no, or text."
    assert not ExerciseResult.objects.exists()
    assert _api_check(client, axcodes="RAS").status_code == 200


def test_a_very_long_answer_is_cut_before_it_is_stored(db, client):
    client.post(PAGE, {"tp": "3", "fp": "x" * 100_000})
    assert ExerciseResult.objects.get().answers["fp"] == "x" * 100
