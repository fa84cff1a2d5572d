"""Retrying the missed questions of an invite's attempt is the candidate's own practice."""

from django.test import Client

from questions.interviews import invites
from questions.models import Attempt
from tests.quiz_flow import press_start


def test_an_interview_retry_is_the_candidates_own_practice(screening):
    screening.show_answers = True
    screening.save()
    invite = invites.invite_create(interview_set=screening)
    candidate = Client()
    candidate.post(invite.get_absolute_url(), {"name": "Dana"})
    attempt = Attempt.objects.get()
    press_start(candidate, attempt)
    candidate.post(f"/attempts/{attempt.pk}/finish/")
    response = candidate.post(f"/attempts/{attempt.pk}/retry/")
    retry = Attempt.objects.exclude(pk=attempt.pk).get()
    assert response.url == retry.get_absolute_url()
    assert (retry.interview_set, retry.invite, retry.kind) == (None, None, "retry")
    assert screening.attempts.count() == 1  # the interviewer's results are unchanged


def test_kept_back_answers_cannot_be_retried(screening):
    invite = invites.invite_create(interview_set=screening)
    candidate = Client()
    candidate.post(invite.get_absolute_url(), {"name": "Dana"})
    attempt = Attempt.objects.get()
    press_start(candidate, attempt)
    candidate.post(f"/attempts/{attempt.pk}/finish/")
    # Which questions were missed would tell the candidate the keys the interviewer kept.
    candidate.post(f"/attempts/{attempt.pk}/retry/")
    assert Attempt.objects.count() == 1
