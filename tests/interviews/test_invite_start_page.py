"""An invite leads to the same start page as any quiz: the clock starts on Start."""

from django.test import Client

from questions.interviews import invites
from questions.models import Attempt
from tests.quiz_flow import press_start


def test_an_invite_lands_on_the_start_page_and_reopening_returns_there(screening):
    invite = invites.invite_create(interview_set=screening)
    candidate = Client()
    named = candidate.post(invite.get_absolute_url(), {"name": "Dana"})
    attempt = Attempt.objects.get()
    assert named.url == attempt.get_absolute_url() and attempt.deadline is None
    page = candidate.get(named.url).content.decode()
    assert "Start the quiz (20 minutes)" in page
    assert "the interviewer reads and grades them" in page
    assert "the answers are not shown afterwards" in page
    assert candidate.get(invite.get_absolute_url()).url == attempt.get_absolute_url()
    press_start(candidate, attempt)
    attempt.refresh_from_db()
    assert attempt.is_started


def test_a_logged_in_candidates_ready_attempt_is_theirs_alone(screening, bob):
    client = Client()
    client.force_login(bob)
    invite = invites.invite_create(interview_set=screening)
    client.post(invite.get_absolute_url(), {"name": "Bob"})
    attempt = Attempt.objects.get()
    assert Client().post(f"/attempts/{attempt.pk}/start/").status_code == 404
    attempt.refresh_from_db()
    assert attempt.deadline is None


def test_an_invite_withdrawn_before_start_cannot_start(screening):
    invite = invites.invite_create(interview_set=screening)
    candidate = Client()
    candidate.post(invite.get_absolute_url(), {"name": "Dana"})
    attempt = Attempt.objects.get()
    invites.invite_revoke(invite=invite)
    page = candidate.post(f"/attempts/{attempt.pk}/start/", follow=True).content.decode()
    assert "This invite has been withdrawn by the interviewer." in page
    attempt.refresh_from_db()
    assert attempt.deadline is None
