"""Regressions from an attack on interview results and fixed seeds."""

from __future__ import annotations

from django.test import Client

from questions.interviews import invites, sets
from questions.models import Attempt
from questions.owners import Owner
from tests.quiz_flow import press_start


def test_a_fixed_seed_differs_between_sets(screening, alice):
    other = sets.set_duplicate(interview_set=screening, owner=alice)
    seeds = []
    for interview_set in (screening, other):
        invite = invites.invite_create(interview_set=interview_set)
        attempt = invites.invite_start(
            invite=invite, owner=Owner(None, f"c-{interview_set.pk}"), candidate_name="C"
        )
        seeds.append(attempt.items.get(exercise_kind="class_weights").exercise_seed)
    assert seeds[0] != seeds[1]


def test_a_blank_open_answer_is_not_awaiting_grading(screening, alice_client):
    invite = invites.invite_create(interview_set=screening)
    candidate = Client()
    candidate.post(invite.get_absolute_url(), {"name": "Skipper"})
    attempt = Attempt.objects.get(candidate_name="Skipper")
    press_start(candidate, attempt)
    candidate.post(f"/attempts/{attempt.pk}/finish/")
    api = alice_client.get(f"/api/sets/{screening.pk}/results/").json()
    [row] = api["results"]
    assert row["open_answers_to_grade"] == 0 and row["provisional"] is False
    attempt.refresh_from_db()
    assert attempt.items.get(position=2).score == 0.0
