"""Answers, exercises and quizzes are recorded; misses enter the FSRS review queue."""

from datetime import timedelta

import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from questions.models import ProgressEvent, Question, ReviewCard
from questions.owners import Owner
from questions.progress.services import question_answered, shown_token, time_spent
from tests.quiz_flow import press_start


def test_a_practice_answer_is_recorded_with_time_spent(loaded, client):
    page = client.get("/questions/metrics-numeric/").content.decode()
    shown = page.split('name="shown" value="')[1].split('"')[0]
    with time_machine.travel(timezone.now() + timedelta(seconds=42), tick=False):
        client.post("/questions/metrics-numeric/", {"answer": "0.75", "shown": shown})
    event = ProgressEvent.objects.get()
    assert (event.source, event.correct, event.score) == ("practice", True, 1.0)
    assert event.topic.slug == "metrics" and 41 <= event.time_spent_seconds <= 43
    assert not ReviewCard.objects.exists()  # a right answer to an unseen item: no card


def test_the_shown_stamp_is_signed_once_a_second_and_says_when(settings):
    """Pages shown in the same second share one stamp (signed once); the next second, or
    another key, gets a stamp of its own, and each measures from its own second."""
    with time_machine.travel("2026-03-01 10:00:00.1Z", tick=False) as clock:
        first = shown_token()
        clock.shift(0.5)
        assert shown_token() == first
        clock.shift(0.5)
        second = shown_token()
        assert second != first
        settings.SECRET_KEY = "another-key-for-this-test-only-0123456789abcdef"
        rekeyed = shown_token()
        assert rekeyed != second and time_spent(second) is None  # the old key's is refused
        clock.shift(30)
        assert time_spent(rekeyed) == 30


def test_a_wrong_answer_enters_the_review_queue(loaded, client):
    client.post("/questions/metrics-numeric/", {"answer": "0.9"})
    card = ReviewCard.objects.get()
    assert card.question.ext_id == "metrics-numeric" and card.last_rating == 1  # Again


def test_fsrs_brings_a_wrong_item_back_sooner_than_a_right_one(loaded):
    owner = Owner(None, "token-alice")
    wrong = Question.objects.get(ext_id="metrics-numeric")
    right = Question.objects.get(ext_id="metrics-single")
    now = timezone.now()
    for question in (wrong, right):
        question_answered(
            owner=owner, question=question, source="quiz", correct=False, score=0, now=now
        )
    later = now + timedelta(days=1)
    question_answered(owner=owner, question=wrong, source="quiz", correct=False, score=0, now=later)
    question_answered(owner=owner, question=right, source="quiz", correct=True, score=1, now=later)
    due = dict(ReviewCard.objects.values_list("question__ext_id", "due"))
    assert due["metrics-numeric"] < due["metrics-single"]
    assert due["metrics-single"] > later


def test_a_finished_quiz_records_each_answered_item(loaded, client):
    url = client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})["Location"]
    press_start(client, url)
    client.post(f"{url}answers/2/", {"answer": "0.75"})
    client.post(f"{url}finish/")
    client.post(f"{url}finish/")  # a second finish records nothing more
    assert list(ProgressEvent.objects.values_list("source", "question__ext_id", "correct")) == [
        ("quiz", "metrics-numeric", True)
    ]
    client.post(f"{url}assess/3/", {"rating": "no"})
    assert ProgressEvent.objects.count() == 2
    assert ReviewCard.objects.get().question.ext_id == "dicom-open"


def test_a_checked_exercise_counts_for_its_topic(loaded, client):
    client.post("/exercises/roc/3/?level=easy", {"auc": "0.5"})
    event = ProgressEvent.objects.get()
    assert event.source == "exercise" and event.topic.slug == "metrics"
    assert 0 <= event.score < 1


def test_log_in_merges_anonymous_history_without_duplicates(loaded):
    alice = User.objects.create_user("alice", password="pw-alice-123")
    earlier = Client()
    earlier.force_login(alice)
    earlier.post("/questions/metrics-numeric/", {"answer": "0.1"})  # the account's own card
    browser = Client()
    browser.post("/questions/metrics-numeric/", {"answer": "0.2"})  # anonymous: same question
    browser.post("/questions/dicom-short/", {"answer": "nope"})
    browser.post("/exercises/roc/4/?level=easy", {"auc": "0.5"})
    browser.login(username="alice", password="pw-alice-123")
    assert ProgressEvent.objects.filter(user=alice).count() == 4  # nothing lost
    assert ProgressEvent.objects.filter(user__isnull=True).count() == 0
    cards = ReviewCard.objects.filter(user=alice)
    assert sorted(cards.values_list("question__ext_id", flat=True)) == [
        "dicom-short",
        "metrics-numeric",
    ]  # one card per question
    assert not ReviewCard.objects.filter(user__isnull=True).exists()
