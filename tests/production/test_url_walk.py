"""Every URL pattern of the site, walked by Charlie, who must never reach Alice's things.

Alice owns a quiz attempt, a review card, an interviewer's set with an entry and an invite,
and a candidate's attempt on that set. Every pattern that takes the id of such an object
must answer Charlie 404 (or 405 for a method it does not serve) and change nothing; every
other page Charlie can open must not show any of Alice's data. A new URL pattern fails
this test until it is classified below.
"""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from questions import interview_invites as invites
from questions import interview_sets as sets
from questions.attempts import Owner
from questions.models import Attempt, Question, ReviewCard
from questions.reviews import RATINGS, review_record
from tests.interviews.conftest import client_for

# Parameters naming an object that belongs to someone.
OWNED = {"attempt_id", "card_id", "set_id", "pk", "entry_id", "invite_id"}
# Parameters naming public content, or a capability that is the secret itself.
PUBLIC = {"kind", "seed", "term_id", "question_id", "curated_id", "fmt", "position", "token",
          "uidb64"}  # fmt: skip
SECRETS = ["Alice-only screening 7f3a", "Dana Q. Candidate", "alice-private-answer-91", "alice@"]


def _patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: staff only, its own permission checks.
            namespace = pattern.namespace or ""
            yield from _patterns(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.name}", pattern


@pytest.fixture
def world(screening, alice, alice_client):
    sets.set_update(interview_set=screening, title=SECRETS[0])
    invite = invites.invite_create(interview_set=screening)
    dana = Client()
    dana.post(invite.get_absolute_url(), {"name": SECRETS[1]})
    candidate_attempt = screening.attempts.get()
    started = alice_client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
    own_attempt = Attempt.objects.filter(user=alice, interview_set=None).get()
    assert started["Location"].endswith(f"/attempts/{own_attempt.pk}/")
    open_item = own_attempt.items.get(question__type="open")
    alice_client.post(
        f"/attempts/{own_attempt.pk}/answers/{open_item.position}/", {"answer": SECRETS[2]}
    )
    card = review_record(
        owner=Owner(user=alice, anon_token=""),
        question=Question.objects.get(ext_id="metrics-single"),
        rating=RATINGS["again"],
    )
    card.__class__.objects.filter(pk=card.pk).update(due="2000-01-01T00:00Z")
    return {
        "set": screening, "invite": invite, "candidate_attempt": candidate_attempt,
        "own_attempt": own_attempt, "card": card, "alice": alice,
    }  # fmt: skip


def _kwargs(name: str, params: list[str], world: dict) -> dict:
    attempt = world["candidate_attempt"] if name.startswith("interviews:") else world["own_attempt"]
    values = {
        "attempt_id": attempt.pk, "card_id": world["card"].pk, "set_id": world["set"].pk,
        "pk": world["set"].pk, "entry_id": world["set"].entries.first().pk,
        "invite_id": world["invite"].pk, "kind": "classification", "seed": "7",
        "term_id": "precision", "question_id": "metrics-single", "curated_id": "starter",
        "fmt": "md", "position": 1, "token": world["invite"].token,
        "uidb64": urlsafe_base64_encode(force_bytes(world["alice"].pk)),
    }  # fmt: skip
    if name == "accounts:password_reset_confirm":
        values["token"] = default_token_generator.make_token(world["alice"])
    if name == "questions:exercise_dicom":
        values["seed"] = "7"
    return {p: values[p] for p in params}


def test_every_url_keeps_alices_things_from_charlie(world, charlie):
    charlie_client = client_for(charlie)
    owned, opened = [], []
    for name, pattern in _patterns():
        params = list(pattern.pattern.converters)
        unknown = set(params) - OWNED - PUBLIC
        assert not unknown, f"{name}: classify the new URL parameter(s) {unknown} in this test"
        url = reverse(name, kwargs=_kwargs(name, params, world))
        if set(params) & OWNED:
            answers = {
                method: getattr(charlie_client, method)(url, {}).status_code
                for method in ("get", "post", "put", "patch", "delete")
            }
            assert set(answers.values()) <= {404, 405} and 404 in answers.values(), (name, answers)
            owned.append(name)
        else:
            response = charlie_client.get(url)
            assert response.status_code < 500, (name, response.status_code)
            body = b"".join(response) if response.streaming else response.content
            # The invite link is the capability: whoever holds it sees the set's title.
            shown = SECRETS[1:] if name == "invites:open" else SECRETS
            for secret in shown:
                assert secret.encode() not in body, (name, url, secret)
            opened.append(name)
    # The walk really covered the owned objects of every area.
    assert {"questions:attempt", "api:attempt", "progress:review_grade", "api:my_review_grade",
            "interviews:set", "interviews:result_grade", "api:set", "api:set_entry",
            "api:set_results"} <= set(owned)  # fmt: skip
    assert (len(owned), len(opened)) == (27, 50), "a URL was added or removed: recount"
    # Nothing of Alice's changed.
    world["set"].refresh_from_db()
    assert world["set"].title == SECRETS[0] and world["set"].entries.count() == 4
    assert world["set"].invites.get().revoked_at is None
    own = Attempt.objects.get(pk=world["own_attempt"].pk)
    assert own.finished_at is None
    assert own.items.get(question__type="open").answer == SECRETS[2]
    assert ReviewCard.objects.get(pk=world["card"].pk).reviews == world["card"].reviews
