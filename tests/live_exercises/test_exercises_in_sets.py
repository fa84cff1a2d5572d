"""A set entry may be a live exercise: every attempt draws its own seed and stores it."""

import random

from questions.catalog.sync import content_sync
from questions.content.tree import read_tree
from questions.models import QuestionSet
from questions.owners import Owner
from questions.quizzes.services import attempt_answer, attempt_finish, attempt_start
from tests.quiz_flow import press_start


def add_exercise_entry(root):
    path = root / "sets/starter.md"
    path.write_text(
        path.read_text().replace(
            "questions: [metrics-single, metrics-numeric, dicom-open]",
            "questions:\n  - metrics-single\n  - exercise: leakage\n    level: easy\n",
        )
    )
    assert content_sync(root).ok


def test_the_set_format_accepts_exercise_entries_and_checks_them(content_dir):
    path = content_dir / "sets/starter.md"
    path.write_text(
        path.read_text().replace(
            "questions: [metrics-single, metrics-numeric, dicom-open]",
            "questions:\n  - metrics-single\n  - exercise: telepathy\n",
        )
    )
    problems = [str(p) for p in read_tree(content_dir).problems]
    assert any("starter.md:7: entry 2: exercise must be one of" in p for p in problems), problems


def test_each_attempt_gets_its_own_stored_seed(loaded):
    add_exercise_entry(loaded)
    question_set = QuestionSet.objects.get(ext_id="starter")
    owner = Owner(None, "token-alice")
    first = attempt_start(owner=owner, kind="set", question_set=question_set, rng=random.Random(1))
    second = attempt_start(owner=owner, kind="set", question_set=question_set, rng=random.Random(2))
    a, b = (attempt.items.get(position=2) for attempt in (first, second))
    assert a.is_exercise and a.exercise_kind == "leakage" and a.exercise_level == "easy"
    assert a.exercise_seed != b.exercise_seed
    assert a.exercise.seed == a.exercise_seed  # the data regenerates from the stored seed


def test_an_exercise_item_is_scored_by_the_share_of_right_fields(loaded):
    add_exercise_entry(loaded)
    attempt = attempt_start(
        owner=Owner(None, "token-alice"),
        kind="set",
        question_set=QuestionSet.objects.get(ext_id="starter"),
    )
    item = attempt.items.get(position=2)
    expected = item.exercise.expected
    attempt_answer(
        attempt=attempt,
        position=2,
        response={
            "leaked_patients": str(int(expected["leaked_patients"])),
            "leaked_test_images": "999",
        },
    )
    attempt = attempt_finish(attempt=attempt)
    item.refresh_from_db()
    assert item.score == 0.5 and item.correct is False
    assert attempt.score == 0.5


def test_the_running_page_shows_the_exercise_and_the_review_marks_it(loaded, client):
    add_exercise_entry(loaded)
    url = client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})["Location"]
    press_start(client, url)
    html = client.get(url).content.decode()
    assert "The split, image by image" in html and 'name="leaked_patients"' in html
    client.post(f"{url}answers/2/", {"leaked_patients": "1", "leaked_test_images": "2"})
    html = client.post(f"{url}finish/", follow=True).content.decode()
    assert (
        "Worked solution" in html
        and "leaked_test_images" not in html.split("Worked solution")[1][:0]
    )


def test_the_api_shows_exercise_data_but_no_seed_or_answers_while_running(loaded, client):
    import json

    add_exercise_entry(loaded)
    created = client.post("/api/attempts/", {"set": "starter"}, content_type="application/json")
    item = created.json()["items"][1]
    assert item["type"] == "exercise" and item["exercise"]["kind"] == "leakage"
    assert "seed" not in item["exercise"] and "results" not in item["exercise"]
    assert "expected" not in created.content.decode()
    url = f"/api/attempts/{created.json()['id']}/"
    response = client.put(
        f"{url}answers/2/",
        json.dumps({"answer": {"leaked_patients": "x"}}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "not a number" in response.json()["detail"]
    finished = client.post(f"{url}finish/").json()["items"][1]["exercise"]
    assert finished["seed"] >= 0 and set(finished["results"]) == {
        "leaked_patients",
        "leaked_test_images",
    }
