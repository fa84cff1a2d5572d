"""The review queue as Anki shows it: the prompt, "Show answer", then Again / Hard / Good /
Easy, each labelled with the wait FSRS gives it; a rating without a reveal is refused."""

import json
import re
from datetime import UTC, datetime, timedelta

import fsrs
import pytest
import time_machine

from questions.models import ReviewCard
from questions.progress.intervals import interval_label

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("wait", "label"),
    [
        (timedelta(seconds=10), "1 min"),
        (timedelta(minutes=10), "10 min"),
        (timedelta(minutes=59), "59 min"),
        (timedelta(hours=5, minutes=20), "5 h"),
        (timedelta(days=2, hours=3), "2 d"),
        (timedelta(days=45), "1.5 mo"),
        (timedelta(days=400), "1.1 y"),
    ],
)
def test_a_wait_reads_as_anki_writes_it(wait, label):
    assert interval_label(wait) == label


def buttons(html: str) -> dict[str, str]:
    found = re.findall(
        r'value="(\w+)"[^>]*>\s*<span class="rating-name">\w+</span>\s*'
        r'<span class="rating-wait">([^<]+)</span>',
        html,
    )
    return dict(found)


def test_each_rating_shows_the_wait_fsrs_gives_it(loaded, client):
    with time_machine.travel(NOW, tick=False):
        client.post("/glossary/recall/hard/")
    card = ReviewCard.objects.get()
    later = NOW + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        html = client.get("/me/review/").content.decode()
        assert "Show answer" in html and buttons(html) == {}  # ratings come after the reveal
        assert card.term.definition not in html
        client.post(f"/me/review/{card.pk}/reveal/")
        html = client.get("/me/review/").content.decode()
    assert card.term.definition in html
    # fsrs's own scheduler, asked here, for the card as stored
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    stored = fsrs.Card.from_dict(ReviewCard.objects.get().card)
    expected = {}
    for name, rating in [
        ("again", fsrs.Rating.Again),
        ("hard", fsrs.Rating.Hard),
        ("good", fsrs.Rating.Good),
        ("easy", fsrs.Rating.Easy),
    ]:
        due = scheduler.review_card(stored, rating, review_datetime=later)[0].due
        expected[name] = interval_label(due - later)
    assert buttons(html) == expected
    assert expected["again"] == "1 min" and expected["easy"].endswith(" d")  # as FSRS 6 has it


def test_a_rating_without_the_reveal_is_refused(loaded, client):
    with time_machine.travel(NOW, tick=False):
        client.post("/glossary/recall/hard/")
    card = ReviewCard.objects.get()
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        refused = client.post(f"/me/review/{card.pk}/", {"rating": "easy"}, follow=True)
        assert "Show the answer first" in refused.content.decode()
        api = client.post(
            f"/api/me/review/{card.pk}/",
            json.dumps({"rating": "easy"}),
            content_type="application/json",
        )
        assert api.status_code == 409 and "Show the answer first" in api.json()["detail"]
        card.refresh_from_db()
        assert card.reviews == 0 and card.due == NOW + timedelta(minutes=1)
        revealed = client.post(f"/api/me/review/{card.pk}/reveal/").json()
        assert revealed["revealed"] and card.term.definition in revealed["answer_html"]
        assert [o["rating"] for o in revealed["outcomes"]] == ["again", "hard", "good", "easy"]
        graded = client.post(f"/me/review/{card.pk}/", {"rating": "good"}, follow=True)
        assert "Recall: next review in " in graded.content.decode()
        # The reveal was used up by that rating: the next one needs another.
        card.refresh_from_db()
        assert card.reviews == 1 and card.revealed_at is None


def test_reviewed_counts_reviews_not_the_answer_that_made_the_card(loaded, client):
    with time_machine.travel(NOW, tick=False):
        client.post("/questions/metrics-numeric/", {"answer": "0.1"})  # wrong: a card
    card = ReviewCard.objects.get()
    assert card.reviews == 0
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert "reviewed 0 times" in client.get("/me/review/").content.decode()
        client.post(f"/me/review/{card.pk}/reveal/")
        client.post(f"/me/review/{card.pk}/", {"rating": "again"})
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert "reviewed 1 time" in client.get("/me/review/").content.decode()
        client.post("/questions/metrics-numeric/", {"answer": "0.75"})  # answered again: a review
    card.refresh_from_db()
    assert card.reviews == 2


def test_marking_a_term_hard_says_when_it_is_due(loaded, client):
    with time_machine.travel(NOW, tick=False):
        response = client.post("/glossary/recall/hard/", follow=True)
    assert (
        "Recall is in your review queue. It is due in 1 min, at 09:01 UTC."
        in response.content.decode()
    )


def test_with_nothing_due_the_upcoming_items_are_listed_with_their_dates(loaded, client):
    with time_machine.travel(NOW, tick=False):
        client.post("/glossary/recall/hard/")
        client.post("/questions/metrics-numeric/", {"answer": "0.1"})
        html = client.get("/me/review/").content.decode()
    assert "Nothing is due now" in html and "Coming up" in html
    assert "Recall" in html and "Mon 23 Nov, 09:01 UTC" in html
