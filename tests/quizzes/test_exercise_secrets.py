"""Inside a quiz or an interview, nothing names the exercise's seed: the page, the API and the
downloaded .dcm file say nothing that would unlock the public checker's answers."""

from __future__ import annotations

import io
import re

import pydicom
from django.test import Client

from questions.catalog.sync import content_sync
from questions.exercises.dicom_file import build_dicom
from questions.interviews import invites, sets
from questions.models import Attempt, QuestionSet
from tests.quiz_flow import press_start


def _dicom_set(root, seed_line: str = "") -> None:
    path = root / "sets/starter.md"
    path.write_text(
        path.read_text().replace(
            "questions: [metrics-single, metrics-numeric, dicom-open]",
            f"questions:\n  - exercise: dicom\n    level: hard\n{seed_line}",
        )
    )
    assert content_sync(root).ok


def _start(client: Client) -> Attempt:
    client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
    attempt = Attempt.objects.latest("started_at")
    press_start(client, attempt)
    attempt.refresh_from_db()
    return attempt


def test_the_running_page_links_the_attempts_own_file_not_the_seed(loaded):
    _dicom_set(loaded)
    candidate = Client()
    attempt = _start(candidate)
    item = attempt.items.get(position=1)
    html = candidate.get(attempt.get_absolute_url()).content.decode()
    assert "/exercises/dicom/" not in html and str(item.exercise_seed) not in html
    file_url = f"/attempts/{attempt.pk}/files/1/exercise.dcm"
    assert file_url in html
    api = candidate.get(f"/api/attempts/{attempt.pk}/").json()
    assert str(item.exercise_seed) not in str(api) and api["items"][0]["exercise"]["file_url"] == (
        file_url
    )
    response = candidate.get(file_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/dicom"
    assert Client().get(file_url).status_code == 404  # someone else's attempt


def test_the_attempts_file_carries_nothing_derived_from_the_seed(loaded):
    _dicom_set(loaded)
    candidate = Client()
    attempt = _start(candidate)
    item = attempt.items.get(position=1)
    private = pydicom.dcmread(
        io.BytesIO(candidate.get(f"/attempts/{attempt.pk}/files/1/exercise.dcm").content)
    )
    public = pydicom.dcmread(io.BytesIO(build_dicom(item.exercise)))  # what the seed's page serves
    seed = str(item.exercise_seed)
    for element in private.iterall():
        assert seed not in str(element.value), element
    listed = {a["keyword"] for a in item.exercise.data["attributes"]}  # the exercise's own
    # A value the exercise lists is shown on the page anyway; every other one is the item's.
    identifiers = {
        "PatientID",
        "StudyInstanceUID",
        "SeriesInstanceUID",
        "SOPInstanceUID",
        "FrameOfReferenceUID",
    }
    for keyword in identifiers - listed:
        assert private.get(keyword) != public.get(keyword), keyword
    assert private.file_meta.MediaStorageSOPInstanceUID == private.SOPInstanceUID
    assert (private.pixel_array == public.pixel_array).mean() > 0.95  # the same image


def test_a_fixed_seed_gives_every_candidate_the_same_private_data(loaded, django_user_model):
    alice = django_user_model.objects.create_user("alice")
    curated = QuestionSet.objects.get(ext_id="starter")
    screening = sets.set_from_curated(question_set=curated, owner=alice)
    sets.entry_add(
        interview_set=screening,
        exercise_kind="classification",
        exercise_level="easy",
        exercise_seed=1234,
    )
    invite = invites.invite_create(interview_set=screening, max_attempts=2)
    seeds = set()
    for name in ("Ana", "Ben"):
        candidate = Client()
        candidate.post(invite.get_absolute_url(), {"name": name})
        attempt = Attempt.objects.get(candidate_name=name)
        item = attempt.items.get(exercise_kind="classification")
        seeds.add(item.exercise_seed)
        html = candidate.get(attempt.get_absolute_url()).content.decode()
        assert not re.search(r"\b1234\b", html)
    assert len(seeds) == 1 and seeds != {1234}  # the same data for both, not seed 1234's


def test_quiz_seeds_lie_beyond_the_public_range(loaded):
    """Whatever a page shows is a function of the seed: from 2^52 seeds it cannot be found
    back by trying them, and a seed that leaked would not open the public checker."""
    from questions.exercises import MAX_SEED
    from questions.quizzes.services import PRIVATE_SEEDS

    _dicom_set(loaded)
    seeds = {_start(Client()).items.get(position=1).exercise_seed for _ in range(8)}
    assert PRIVATE_SEEDS == 2**52 and len(seeds) == 8
    assert any(seed > MAX_SEED for seed in seeds)


def test_the_review_shows_the_figure_from_the_attempt_not_the_seed(loaded):
    _dicom_set(loaded)
    candidate = Client()
    attempt = _start(candidate)
    candidate.post(f"/attempts/{attempt.pk}/finish/")
    html = candidate.get(attempt.get_absolute_url()).content.decode()
    figure = f"/attempts/{attempt.pk}/figures/1/"
    assert figure in html and "/exercises/dicom/" not in html
    response = candidate.get(figure)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert Client().get(figure).status_code == 404  # someone else


def test_a_running_attempt_has_no_figure(loaded):
    _dicom_set(loaded)
    candidate = Client()
    attempt = _start(candidate)
    assert candidate.get(f"/attempts/{attempt.pk}/figures/1/").status_code == 404
