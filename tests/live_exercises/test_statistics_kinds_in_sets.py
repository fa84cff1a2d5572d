"""The interval, calibration, detection and boundary exercises work inside sets and quizzes."""

import random

import pytest

from questions.catalog.sync import content_sync
from questions.content.tree import read_tree
from questions.models import QuestionSet
from questions.owners import Owner
from questions.quizzes.services import attempt_answer, attempt_finish, attempt_start

KINDS = ["intervals", "calibration", "detection", "boundary"]


def with_exercise(root, kind: str) -> None:
    path = root / "sets/starter.md"
    path.write_text(
        path.read_text().replace(
            "questions: [metrics-single, metrics-numeric, dicom-open]",
            f"questions:\n  - metrics-single\n  - exercise: {kind}\n    level: hard\n",
        )
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_set_entry_naming_the_kind_validates(content_dir, kind):
    with_exercise(content_dir, kind)

    assert not read_tree(content_dir).problems


@pytest.mark.parametrize("kind", KINDS)
def test_an_attempt_with_the_kind_is_answered_and_scored(loaded, kind):
    with_exercise(loaded, kind)
    assert content_sync(loaded).ok
    attempt = attempt_start(
        owner=Owner(None, "token-alice"),
        kind="set",
        question_set=QuestionSet.objects.get(ext_id="starter"),
        rng=random.Random(7),
    )
    item = attempt.items.get(position=2)
    assert item.is_exercise and item.exercise_kind == kind
    exercise = item.exercise
    response = {}
    for field in exercise.fields:
        value = exercise.expected[field.name]
        if value is None:
            response[field.name] = ""
        elif field.kind == "yesno":
            response[field.name] = "yes" if value else "no"
        else:
            response[field.name] = f"{value:.{field.decimals}f}"
    attempt_answer(attempt=attempt, position=2, response=response)
    attempt = attempt_finish(attempt=attempt)
    item.refresh_from_db()
    assert item.score == 1 and item.correct is True


@pytest.mark.parametrize("kind", KINDS)
def test_the_page_and_the_api_serve_the_kind(db, client, kind):
    page = client.get(f"/exercises/{kind}/5/?level=hard")
    assert page.status_code == 200
    api = client.get(f"/api/exercises/{kind}/5/?level=hard")
    assert api.status_code == 200 and api.json()["kind"] == kind


@pytest.mark.parametrize(
    ("kind", "topic"),
    [
        ("intervals", "statistics"),
        ("calibration", "calibration"),
        ("detection", "detection"),
        ("boundary", "segmentation"),
    ],
)
def test_progress_files_each_kind_under_an_existing_topic(kind, topic):
    from pathlib import Path

    import yaml

    from questions.progress.services import EXERCISE_TOPICS

    topics = Path(__file__).resolve().parents[2] / "content" / "topics.yaml"
    slugs = {entry["slug"] for entry in yaml.safe_load(topics.read_text())}
    assert EXERCISE_TOPICS[kind] == topic and topic in slugs
