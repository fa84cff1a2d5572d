"""Exercise files other than the DICOM slice: on the public page by seed, inside a quiz by
the attempt's item only, and in sets and quizzes like any exercise."""

from __future__ import annotations

import gzip

import nibabel
import pytest
from django.test import Client

from questions.catalog.sync import content_sync
from questions.exercises.downloads import DOWNLOADS
from questions.exercises.lookup import exercise_for
from questions.models import Attempt
from tests.quiz_flow import press_start

FILE_KINDS = sorted(set(DOWNLOADS) - {"dicom"})


def test_the_nifti_file_downloads_and_opens_with_nibabel(client, db):
    response = client.get("/exercises/nifti/21/file/?level=hard")

    assert response.status_code == 200 and response["Content-Type"] == "application/gzip"
    assert 'filename="nifti-21-hard.nii.gz"' in response["Content-Disposition"]
    image = nibabel.Nifti1Image.from_bytes(gzip.decompress(response.content))
    exercise = exercise_for("nifti", 21, "hard")
    assert "".join(nibabel.aff2axcodes(image.affine)) == exercise.expected_text["axcodes"]


def test_the_series_downloads_as_a_zip_of_dicom_files(client, db):
    import io
    import zipfile

    response = client.get("/exercises/dicom_geometry/21/file/?level=hard")

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'filename="dicom_geometry-21-hard.zip"' in response["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    exercise = exercise_for("dicom_geometry", 21, "hard")
    assert names == [s["file"] for s in exercise.data["slices"]]


def test_the_page_and_the_api_link_the_file(client, db):
    html = client.get("/exercises/nifti/21/?level=easy").content.decode()
    assert 'href="/exercises/nifti/21/file/?level=easy"' in html
    api = client.get("/api/exercises/nifti/21/?level=easy").json()
    assert api["urls"]["file"].endswith("/exercises/nifti/21/file/?level=easy")
    assert any(field["kind"] == "text" for field in api["fields"])


@pytest.mark.parametrize("url", ["/exercises/roc/21/file/", "/exercises/nifti/x/file/"])
def test_kinds_without_a_file_and_bad_seeds_are_404(client, db, url):
    assert client.get(url).status_code == 404


def test_the_api_checks_a_text_field_and_says_what_was_expected(client, db):
    exercise = exercise_for("nifti", 5, "medium")
    answers = {f.name: "0" for f in exercise.fields} | {"axcodes": "x y z"}

    def check(**extra):
        response = client.post(
            "/api/exercises/nifti/5/check/",
            {"level": "medium", "answers": answers, **extra},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return response.json()["results"]["axcodes"]

    first = check()  # marked, without the expected text
    assert first == {"correct": False, "close": False, "given": "XYZ", "tolerance": 0.0} | {
        "message": "incorrect"
    }
    result = check(reveal=True)
    assert result["expected"] == exercise.expected_text["axcodes"]
    assert result == result | {"correct": False, "given": "XYZ"}
    assert exercise.expected_text["axcodes"] in result["message"]


def _set_with(root, kind: str) -> None:
    path = root / "sets/starter.md"
    path.write_text(
        path.read_text().replace(
            "questions: [metrics-single, metrics-numeric, dicom-open]",
            f"questions:\n  - exercise: {kind}\n    level: hard\n",
        )
    )
    report = content_sync(root)
    assert report.ok, report.problems


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_a_set_entry_serves_the_attempts_own_file_and_scores(loaded, kind):
    _set_with(loaded, kind)
    candidate = Client()
    candidate.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
    attempt = Attempt.objects.latest("started_at")
    # The data is the question: no file before the candidate presses Start.
    assert candidate.get(f"/attempts/{attempt.pk}/files/1/").status_code == 404
    press_start(candidate, attempt)
    item = attempt.items.get(position=1)
    html = candidate.get(attempt.get_absolute_url()).content.decode()
    file_url = f"/attempts/{attempt.pk}/files/1/"
    assert f'href="{file_url}"' in html and f"/exercises/{kind}/" not in html
    response = candidate.get(file_url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOWNLOADS[kind].content_type
    assert f'filename="question-1{DOWNLOADS[kind].suffix}"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert Client().get(file_url).status_code == 404  # someone else's attempt
    api = candidate.get(f"/api/attempts/{attempt.pk}/").json()
    assert api["items"][0]["exercise"]["file_url"] == file_url

    exercise = item.exercise
    answers = {
        f.name: exercise.expected_text[f.name].lower()
        if f.kind == "text"
        else ("" if exercise.expected[f.name] is None else str(exercise.expected[f.name]))
        for f in exercise.fields
    }
    saved = candidate.put(
        f"/api/attempts/{attempt.pk}/answers/1/",
        {"answer": answers},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    candidate.post(f"/attempts/{attempt.pk}/finish/")
    item.refresh_from_db()
    assert item.correct and item.score == 1
