"""The interviewer's pages aggregate in the database: more candidates, same queries."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from questions.interviews import invites
from questions.models import Attempt


def _candidates(screening, count: int) -> None:
    invite = invites.invite_create(interview_set=screening)
    for n in range(count):
        client = Client()
        client.post(invite.get_absolute_url(), {"name": f"Candidate {n}"})
        attempt = Attempt.objects.latest("started_at")
        client.post(reverse("questions:attempt_finish", args=[attempt.pk]))


def _counts(client, urls):
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries.captured_queries)
    return counts


def test_set_pages_do_not_grow_with_candidates(screening, alice_client):
    urls = [
        reverse("interviews:list"),
        reverse("interviews:set", args=[screening.pk]),
        reverse("interviews:invites", args=[screening.pk]),
        reverse("interviews:results", args=[screening.pk]),
        reverse("interviews:results_csv", args=[screening.pk]),
        f"/api/sets/{screening.pk}/results/",
        f"/api/sets/{screening.pk}/",
    ]

    _candidates(screening, 2)
    few = _counts(alice_client, urls)
    _candidates(screening, 8)
    many = _counts(alice_client, urls)
    assert many == few
    assert max(few.values()) <= 15, few
