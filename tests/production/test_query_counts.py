"""Every main page and API route runs a fixed number of queries, whatever the amount of
data: the counts are pinned, measured with a little history and again with much more."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from questions.interviews import invites, sets
from questions.models import Attempt
from tests.quiz_flow import press_start

# url -> queries. A change here is a decision: say why in the commit. Every logged-in page
# lost a query when the user's interviewer role came with the user (accounts/backends.py).
PINNED = {
    # + the visitor's review cards and today's session, for the "Continue today's practice" button
    "/": 7,
    "/glossary/": 3,
    "/glossary/precision/": 5,
    "/questions/": 7,
    "/questions/metrics-single/": 5,
    "/exercises/": 2,
    "/exercises/classification/7/?level=easy": 2,
    "/dicom/": 2,
    "/quizzes/": 4,
    "/attempts/": 4,
    "{review}": 5,
    "/me/": 7,
    # the first due card and how many are due: one card at a time, as Anki shows them
    "/me/review/": 4,
    "/today/": 6,
    "/sets/": 4,
    "{set}": 11,
    "{results}": 6,
    "/api/attempts/": 5,
    "{api_attempt}": 4,
    "/api/me/progress/": 6,
    "/api/me/history/": 4,
    "/api/me/review/": 3,
    "/api/exercises/": 2,
    "/api/sets/": 5,
    "{api_set}": 4,
    "{api_entries}": 5,
    "{api_invites}": 5,
    "{api_results}": 6,
}


def _grow(alice_client: Client, screening, count: int) -> None:
    """`count` more finished quizzes for Alice, and `count` more candidates on her set."""
    invite = invites.invite_create(interview_set=screening)
    for n in range(count):
        sets.set_duplicate(interview_set=screening, owner=screening.owner)
        started = alice_client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
        attempt = Attempt.objects.filter(user__isnull=False).latest("started_at")
        press_start(alice_client, attempt)
        choice = attempt.items.get(position=1).choice_id(1)
        alice_client.post(started["Location"] + "answers/1/", {"choice": choice})
        alice_client.post(started["Location"] + "finish/")
        candidate = Client()
        candidate.post(invite.get_absolute_url(), {"name": f"Candidate {n}"})
        attempt = Attempt.objects.filter(interview_set=screening).latest("started_at")
        candidate.post(f"/attempts/{attempt.pk}/finish/")


def _measure(client: Client, urls: dict[str, str]) -> dict[str, int]:
    counts = {}
    for key, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[key] = len(queries.captured_queries)
    return counts


def test_query_counts_are_pinned_and_do_not_grow(screening, alice_client):
    _grow(alice_client, screening, 2)
    review = Attempt.objects.filter(user__username="alice", interview_set=None).first()
    s, r = f"/sets/{screening.pk}/", f"/attempts/{review.pk}/"
    ids = {
        "{review}": r,
        "{set}": s,
        "{results}": f"{s}results/",
        "{api_attempt}": f"/api{r}",
        "{api_set}": f"/api{s}",
        "{api_entries}": f"/api{s}entries/",
        "{api_invites}": f"/api{s}invites/",
        "{api_results}": f"/api{s}results/",
    }
    urls = {key: ids.get(key, key) for key in PINNED}
    few = _measure(alice_client, urls)
    _grow(alice_client, screening, 8)
    many = _measure(alice_client, urls)
    assert many == few, {k: (few[k], many[k]) for k in few if few[k] != many[k]}
    assert few == PINNED, "\n".join(
        f"{k}: pinned {PINNED[k]}, now {few[k]}" for k in few if few[k] != PINNED[k]
    )
