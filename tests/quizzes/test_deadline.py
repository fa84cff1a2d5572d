"""The server's clock decides: late answers are refused, overdue attempts finish on access."""

from datetime import timedelta

import pytest
import time_machine

from questions.models import Attempt
from questions.quizzes.services import AttemptClosed, attempt_answer, attempt_refresh


def at(attempt, seconds_after_deadline: float):
    return time_machine.travel(
        attempt.deadline + timedelta(seconds=seconds_after_deadline), tick=False
    )


def test_an_answer_within_the_grace_period_is_saved(set_attempt, settings):
    with at(set_attempt, settings.QUIZ_GRACE_SECONDS):
        item = attempt_answer(attempt=set_attempt, position=2, response="0.75")
    assert item.answer == 0.75


def test_an_answer_one_second_after_deadline_and_grace_is_refused(set_attempt, settings):
    first = set_attempt.items.get(position=1)
    attempt_answer(attempt=set_attempt, position=1, response=first.choice_id(0))
    with (
        at(set_attempt, settings.QUIZ_GRACE_SECONDS + 1),
        pytest.raises(AttemptClosed, match="Time is up"),
    ):
        attempt_answer(attempt=set_attempt, position=2, response="0.75")
    attempt = Attempt.objects.get(pk=set_attempt.pk)
    assert attempt.is_finished and attempt.ended_by == "expired"
    assert attempt.items.get(position=2).answer is None
    assert attempt.items.get(position=1).answer is not None  # what was saved is scored


def test_an_expired_attempt_found_later_is_finished(set_attempt):
    with at(set_attempt, 3600):
        attempt = attempt_refresh(set_attempt)
    assert attempt.is_finished and attempt.ended_by == "expired"
    assert attempt.finished_at > attempt.deadline
    assert attempt.time_taken_seconds == 600  # capped at the limit


def test_the_page_of_an_abandoned_attempt_shows_the_review(alice):
    attempt = Attempt.objects.get()
    with at(attempt, 86400):
        html = alice.get(alice.attempt_url).content.decode()
    assert "Time ran out" in html and ": review" in html


def test_the_api_reports_the_true_remaining_time(alice):
    attempt = Attempt.objects.get()
    with time_machine.travel(attempt.started_at + timedelta(seconds=125), tick=False):
        data = alice.get(f"/api/attempts/{attempt.pk}/").json()
    assert data["status"] == "running" and data["remaining_seconds"] == 600 - 125


def test_a_late_answer_through_the_page_gets_a_clear_message(alice, settings):
    attempt = Attempt.objects.get()
    with at(attempt, settings.QUIZ_GRACE_SECONDS + 1):
        response = alice.post(
            f"/attempts/{attempt.pk}/answers/1/",
            {"choice": attempt.items.get(position=1).choice_id(0)},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 409
    assert response.json() == {
        "saved": False,
        "finished": True,
        "message": "Time is up: this answer arrived after the deadline and was not saved. "
        "Your quiz was finished with the answers saved before then.",
    }


def test_an_answer_to_an_attempt_deleted_meanwhile_is_a_404_not_a_500(alice, monkeypatch):
    """The account (and its attempts) deleted between the page's ownership check and the
    write, as "Delete my account" in another tab does."""
    from questions.quizzes import services, views

    attempt = Attempt.objects.get()
    choice = attempt.items.get(position=1).choice_id(0)
    write = services.attempt_answer

    def deleted_first(**kwargs):
        Attempt.objects.filter(pk=attempt.pk).delete()
        return write(**kwargs)

    monkeypatch.setattr(views.service, "attempt_answer", deleted_first)
    response = alice.post(
        f"/attempts/{attempt.pk}/answers/1/", {"choice": choice}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 404
