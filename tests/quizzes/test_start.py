"""Starting a quiz draws its questions and choice order once and stores them."""

import random
import re

import pytest
from django.test import Client

from questions.catalog.sync import content_sync
from questions.models import Attempt, Topic
from questions.quizzes.services import QuizError, attempt_start


def test_a_set_attempt_keeps_the_set_order_and_its_time_limit(set_attempt):
    positions = list(set_attempt.items.values_list("position", "question__ext_id"))
    assert positions == [(1, "metrics-single"), (2, "metrics-numeric"), (3, "dicom-open")]
    assert set_attempt.time_limit_seconds == 10 * 60
    assert set_attempt.max_score == 3


def test_choice_order_is_drawn_once_and_stored(set_attempt):
    item = set_attempt.items.get(position=1)
    assert sorted(item.choice_order) == [0, 1, 2]
    again = Attempt.objects.get(pk=set_attempt.pk).items.get(position=1)
    assert again.choice_order == item.choice_order


def test_a_reload_shows_the_same_attempt(alice):
    def drawn(html: str) -> list[str]:
        # Question titles and choice ids, in page order.
        return re.findall(r'id="q-\d+-title">.*?</h2>|id="c-[0-9a-f]{12}"', html, re.DOTALL)

    first = drawn(alice.get(alice.attempt_url).content.decode())
    assert len(first) == 3 + 3  # three questions, three choices on the single-choice one
    assert drawn(alice.get(alice.attempt_url).content.decode()) == first


def test_a_topic_quiz_draws_from_the_topic_and_difficulty(loaded, owner):
    topic = Topic.objects.get(slug="metrics")
    attempt = attempt_start(
        owner=owner, kind="topic", topic=topic, difficulty="hard", count=5, rng=random.Random(1)
    )
    assert list(attempt.items.values_list("question__ext_id", flat=True)) == ["metrics-numeric"]
    assert attempt.time_limit_seconds == 120  # one numeric question: 2 minutes


def test_a_topic_without_questions_of_that_difficulty_is_refused(loaded, owner):
    (loaded / "questions/dicom/dicom-truefalse.md").unlink()
    assert content_sync(loaded).ok
    with pytest.raises(QuizError, match="No easy questions on DICOM and data handling"):
        attempt_start(
            owner=owner, kind="topic", topic=Topic.objects.get(slug="dicom"), difficulty="easy"
        )


def add_terms(root, count: int) -> None:
    for n in range(count):
        (root / f"glossary/extra-{n}.md").write_text(
            f"---\nid: extra-{n}\nterm: Extra term {n}\ntopic: metrics\n"
            f"definition: The extra definition number {n}.\n---\nBody.\n"
        )
    assert content_sync(root).ok


def test_a_glossary_quiz_matches_definitions_to_terms(loaded, owner):
    add_terms(loaded, 3)
    attempt = attempt_start(owner=owner, kind="glossary", count=4, rng=random.Random(3))
    items = list(attempt.items.all())
    assert len(items) == 4
    for item in items:
        term = item.term
        assert term.definition in item.prompt_html
        right = [c for c in item.choices if c["correct"]]
        assert [c["text_html"] for c in right] == [term.term]
        assert len(item.choices) == 4


def test_glossary_distractors_prefer_see_also_terms(loaded, owner):
    from questions.quizzes.draw import TermInfo, pick_distractors

    target = TermInfo("recall", "Recall", "d", "metrics", "Metrics", ("precision",))
    others = [
        TermInfo("precision", "Precision", "d", "metrics", "Metrics"),
        TermInfo("hu", "HU", "d", "dicom", "DICOM"),
        TermInfo("f1", "F1", "d", "metrics", "Metrics"),
        TermInfo("pacs", "PACS", "d", "dicom", "DICOM"),
    ]
    chosen = pick_distractors(random.Random(0), target, [target, *others])
    assert chosen[0].id == "precision"  # the see-also term first
    assert chosen[1].id == "f1"  # then the same topic
    assert len(chosen) == 3


def test_a_glossary_quiz_needs_four_terms(loaded, owner):
    with pytest.raises(QuizError, match="at least four terms"):
        attempt_start(owner=owner, kind="glossary")


def test_the_start_form_explains_bad_input(loaded, client):
    response = client.post("/quizzes/start/", {"kind": "topic", "count": "500"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a topic." in html and "at most 50 questions" in html
    response = client.post("/quizzes/start/", {"kind": "set", "question_set": "nope"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_topic_quiz_smaller_than_asked_says_so_before_the_clock_starts(loaded):
    client = Client()
    asked = {"kind": "topic", "topic": "metrics", "difficulty": "hard", "count": 8}
    page = client.post("/quizzes/start/", asked)
    html = page.content.decode()
    assert page.status_code == 200 and not Attempt.objects.exists()
    assert "Only 1 hard question in Evaluation metrics" in html
    assert "You asked for 8: the quiz would have 1, 2 minutes." in html
    started = client.post("/quizzes/start/", {**asked, "count": 1, "confirmed": "1"})
    attempt = Attempt.objects.get()
    assert started["Location"] == attempt.get_absolute_url()
    assert attempt.items.count() == 1 and attempt.time_limit_seconds == 120


def test_the_time_follows_the_question_type(loaded, owner):
    topic = Topic.objects.get(slug="dicom")  # true/false, short, open
    attempt = attempt_start(owner=owner, kind="topic", topic=topic, count=3)
    assert attempt.time_limit_seconds == 45 + 90 + 300
    page = Client().get("/quizzes/").content.decode()
    assert "an open question 5 min" in page
