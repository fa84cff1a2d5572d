"""The review's "Show only my mistakes" filter, and "Retry the ones I missed"."""

import random

import pytest
from django.test import Client

from questions.models import Attempt, QuestionSet
from questions.owners import Owner
from questions.quizzes.services import (
    QuizError,
    attempt_answer,
    attempt_finish,
    attempt_retry,
    attempt_self_assess,
    attempt_start,
)
from tests.quiz_flow import press_start


def _finished_with_one_right(client: Client) -> Attempt:
    """Starter set: 1 right (single choice), 2 wrong (numeric), 3 left blank (open)."""
    attempt = Attempt.objects.get()
    single = attempt.items.get(position=1)
    right = next(i for i, c in enumerate(single.choices) if c["correct"])
    client.post(f"{client.attempt_url}answers/1/", {"choice": single.choice_id(right)})
    client.post(f"{client.attempt_url}answers/2/", {"answer": "0.5"})
    client.post(f"{client.attempt_url}finish/")
    attempt.refresh_from_db()
    return attempt


def test_the_mistakes_filter_shows_only_what_did_not_earn_full_marks(alice):
    attempt = _finished_with_one_right(alice)
    everything = alice.get(alice.attempt_url).content.decode()
    assert "Show only my mistakes (2)" in everything
    assert everything.count('class="quiz-item review') == 3
    only = alice.get(f"{alice.attempt_url}?show=mistakes").content.decode()
    assert "Showing only your mistakes: 2 of 3" in only
    assert only.count('class="quiz-item review') == 2
    assert 'id="q-1"' not in only and 'id="q-2"' in only and 'id="q-3"' in only
    assert f'href="/attempts/{attempt.pk}/">Show all 3</a>' in only


def test_retry_starts_a_new_attempt_of_exactly_the_missed_questions(alice):
    attempt = _finished_with_one_right(alice)
    response = alice.post(f"{alice.attempt_url}retry/")
    retry = Attempt.objects.exclude(pk=attempt.pk).get()
    assert response.url == retry.get_absolute_url()
    assert retry.kind == "retry" and retry.title == "Retry: Starter set"
    assert list(retry.items.values_list("position", "question__ext_id")) == [
        (1, "metrics-numeric"),
        (2, "dicom-open"),
    ]
    assert not retry.items.filter(answer__isnull=False).exists()
    assert retry.max_score == 2
    # It waits at its start page, timed at the original pace (2 of 3 of 10 minutes).
    assert retry.deadline is None and retry.limit_seconds == 400
    assert "Start the quiz (6 min 40 s)" in alice.get(response.url).content.decode()
    assert (retry.anon_token, retry.user) == (attempt.anon_token, None)
    press_start(alice, retry)
    alice.post(f"{response.url}answers/1/", {"answer": "0.75"})
    alice.post(f"{response.url}finish/")
    retry.refresh_from_db()
    assert retry.score == 1  # the same scoring rules


def test_pressing_retry_again_returns_the_open_retry_until_it_is_finished(alice):
    attempt = _finished_with_one_right(alice)
    first = alice.post(f"{alice.attempt_url}retry/")["Location"]
    again = alice.post(f"{alice.attempt_url}retry/")["Location"]  # a double click, a 2nd tab
    assert again == first and Attempt.objects.filter(kind="retry").count() == 1
    retry = Attempt.objects.get(kind="retry")
    assert retry.retry_of == attempt
    press_start(alice, retry)
    assert alice.post(f"{alice.attempt_url}retry/")["Location"] == first  # running: the same
    alice.post(f"{first}finish/")
    later = alice.post(f"{alice.attempt_url}retry/")["Location"]  # finished: a fresh one
    assert later != first and Attempt.objects.filter(kind="retry", retry_of=attempt).count() == 2


def test_a_perfect_or_running_attempt_has_nothing_to_retry(loaded):
    owner = Owner(None, "token-alice")
    attempt = attempt_start(owner=owner, kind="set", question_set=_starter())
    with pytest.raises(QuizError, match="finished quiz"):
        attempt_retry(attempt=attempt)
    single = attempt.items.get(position=1)
    right = next(i for i, c in enumerate(single.choices) if c["correct"])
    attempt_answer(attempt=attempt, position=1, response=single.choice_id(right))
    attempt_answer(attempt=attempt, position=2, response="0.75")
    attempt_answer(attempt=attempt, position=3, response="Window and resample.")
    attempt = attempt_finish(attempt=attempt)
    attempt_self_assess(attempt=attempt, position=3, rating="fully")
    with pytest.raises(QuizError, match="every question earned full marks"):
        attempt_retry(attempt=attempt)


def test_an_unrated_open_answer_is_not_a_mistake_yet(loaded):
    owner = Owner(None, "token-alice")
    attempt = attempt_start(owner=owner, kind="set", question_set=_starter())
    attempt_answer(attempt=attempt, position=3, response="Window and resample.")
    attempt = attempt_finish(attempt=attempt)
    retry = attempt_retry(attempt=attempt)
    assert list(retry.items.values_list("question__ext_id", flat=True)) == [
        "metrics-single",
        "metrics-numeric",
    ]


def test_a_retried_exercise_draws_new_data_and_a_glossary_item_keeps_its_term(loaded):
    from tests.live_exercises.test_exercises_in_sets import add_exercise_entry

    add_exercise_entry(loaded)
    owner = Owner(None, "token-alice")
    attempt = attempt_finish(
        attempt=attempt_start(owner=owner, kind="set", question_set=_starter())
    )
    exercise = attempt.items.exclude(exercise_kind="").get()
    retry = attempt_retry(attempt=attempt, rng=random.Random(5))
    again = retry.items.exclude(exercise_kind="").get()
    assert (again.exercise_kind, again.exercise_level) == (
        exercise.exercise_kind,
        exercise.exercise_level,
    )
    assert again.exercise_seed != exercise.exercise_seed


def test_a_glossary_retry_keeps_the_terms_missed(loaded):
    from .test_start import add_terms

    add_terms(loaded, 3)
    owner = Owner(None, "token-alice")
    attempt = attempt_finish(
        attempt=attempt_start(owner=owner, kind="glossary", count=2, rng=random.Random(2))
    )
    retry = attempt_retry(attempt=attempt, rng=random.Random(3))
    old = list(attempt.items.order_by("position"))
    new = list(retry.items.order_by("position"))
    assert [i.term_id for i in new] == [i.term_id for i in old]
    assert [i.generated for i in new] == [i.generated for i in old]
    assert retry.limit_seconds == max(60, attempt.time_limit_seconds)


def test_only_the_owner_can_retry(alice):
    attempt = _finished_with_one_right(alice)
    assert Client().post(f"/attempts/{attempt.pk}/retry/").status_code == 404
    assert Client().get(f"/attempts/{attempt.pk}/?show=mistakes").status_code == 404
    assert Attempt.objects.count() == 1


def test_retry_seconds_keep_the_pace_with_a_minute_at_least():
    from questions.quizzes.services import retry_seconds

    attempt = Attempt(limit_seconds=600)
    assert retry_seconds(attempt, 1, 3) == 200
    assert retry_seconds(attempt, 1, 30) == 60
    assert retry_seconds(attempt, 3, 3) == 600
    assert retry_seconds(attempt, 2, 3) == 400


def _starter() -> QuestionSet:
    return QuestionSet.objects.get(ext_id="starter")
