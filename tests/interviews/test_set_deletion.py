"""Deleting a set, by its interviewer on the site or by staff in the admin (one, or several
with the "Delete selected" action): the set, its entries and invites go; the candidates'
attempts stay theirs, unlinked; the set's invite link then finds no invite (404), and a
start already under way when the set went is told the link was withdrawn (410)."""

from unittest import mock

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from questions.interviews import invites
from questions.models import Attempt, InterviewSet, Invite
from questions.owners import Owner
from questions.quizzes.services import attempt_begin, attempt_finish

from .conftest import client_for


def _taken(interview_set) -> tuple[Invite, Attempt]:
    invite = invites.invite_create(interview_set=interview_set)
    attempt = invites.invite_start(invite=invite, owner=Owner(None, "t"), candidate_name="Ana")
    return invite, attempt_finish(attempt=attempt_begin(attempt=attempt))


def _unlinked(attempt: Attempt) -> bool:
    attempt.refresh_from_db()
    return (attempt.interview_set_id, attempt.invite_id, attempt.candidate_name) == (
        None,
        None,
        "Ana",
    )


def test_the_interviewer_deletes_a_set_and_a_start_under_way_is_refused(screening, alice):
    invite, attempt = _taken(screening)
    response = client_for(alice).post(reverse("interviews:delete", args=[screening.pk]))
    assert response.status_code == 302
    assert not InterviewSet.objects.exists() and not Invite.objects.exists()
    assert _unlinked(attempt)
    try:
        invites.invite_start(invite=invite, owner=Owner(None, "u"), candidate_name="Bo")
    except invites.InviteRefused as refusal:
        assert str(refusal) == invites.GONE
    else:
        raise AssertionError("a deleted set's invite started an attempt")


def test_staff_delete_one_set_or_several_in_the_admin(screening, alice):
    _, attempt = _taken(screening)
    staff = client_for(User.objects.create_superuser("root", password="root-pw-1"))
    response = staff.post(f"/admin/questions/interviewset/{screening.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not InterviewSet.objects.exists() and _unlinked(attempt)

    copies = [
        InterviewSet.objects.create(owner=alice, title=f"S{n}", time_limit_minutes=5)
        for n in range(3)
    ]
    response = staff.post(
        "/admin/questions/interviewset/",
        {"action": "delete_selected", "_selected_action": [s.pk for s in copies], "post": "yes"},
    )
    assert response.status_code == 302
    assert not InterviewSet.objects.exists()


def test_a_candidate_whose_start_meets_the_deletion_is_told_once_what_to_do(screening):
    """The page had the invite; the set went before the start locked it. The page says the
    link was withdrawn, with the one advice its refusals carry, not a second copy of it."""
    invite = invites.invite_create(interview_set=screening)
    url = reverse("invites:open", args=[invite.token])
    start = invites.invite_start

    def deleted_meanwhile(**kwargs):
        InterviewSet.objects.all().delete()
        return start(**kwargs)

    with mock.patch.object(invites, "invite_start", deleted_meanwhile):
        response = Client().post(url, {"name": "Ana"})
    page = response.content.decode()
    assert response.status_code == 410 and invites.GONE in page
    assert page.count("for a new one") == 1
    assert Client().get(url).status_code == 404  # once gone, the link is no invite at all
