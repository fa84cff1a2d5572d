"""Site-wide checks share Alice's world: the interviewer fixtures, her objects, and a way
to fill in every URL pattern of the site with them."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from questions.interviews import invites, sets
from questions.models import Attempt, Question
from questions.owners import Owner
from questions.progress.review_queue import RATINGS, review_record
from tests.interviews.conftest import alice, alice_client, charlie, screening  # noqa: F401
from tests.quiz_flow import press_start

# Text only Alice's pages may show.
SECRETS = ["Alice-only screening 7f3a", "Dana Q. Candidate", "alice-private-answer-91", "alice@"]


def url_patterns(resolver=None, prefix=""):
    """(namespaced name, pattern) for every URL of the site but Django's admin."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: staff only, its own permission checks.
            namespace = pattern.namespace or ""
            yield from url_patterns(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.name}", pattern


@pytest.fixture
def world(screening, alice, alice_client):  # noqa: F811 (fixtures imported above)
    """Alice's things: her set (with a candidate's attempt and an invite), her own quiz
    attempt with a private open answer, and a review card that is due."""
    sets.set_update(interview_set=screening, title=SECRETS[0])
    invite = invites.invite_create(interview_set=screening)
    dana = Client()
    dana.post(invite.get_absolute_url(), {"name": SECRETS[1]})
    candidate_attempt = screening.attempts.get()
    press_start(dana, candidate_attempt)
    started = alice_client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
    own_attempt = Attempt.objects.filter(user=alice, interview_set=None).get()
    assert started["Location"].endswith(f"/attempts/{own_attempt.pk}/")
    press_start(alice_client, own_attempt)
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
        "set": screening,
        "invite": invite,
        "candidate_attempt": candidate_attempt,
        "own_attempt": own_attempt,
        "card": card,
        "alice": alice,
    }


def url_kwargs(name: str, params: list[str], world: dict) -> dict:
    """Arguments for a pattern: Alice's objects for ids, public content for the rest."""
    attempt = world["candidate_attempt"] if name.startswith("interviews:") else world["own_attempt"]
    values = {
        "attempt_id": attempt.pk,
        "card_id": world["card"].pk,
        "set_id": world["set"].pk,
        "pk": world["set"].pk,
        "entry_id": world["set"].entries.first().pk,
        "invite_id": world["invite"].pk,
        "item_id": world["candidate_attempt"].items.get(position=2).pk,  # the open answer
        "kind": "classification",
        "seed": "7",
        "term_id": "precision",
        "question_id": "metrics-single",
        "curated_id": "starter",
        "slug": "metrics" if name == "questions:anki_topic" else "starter",
        "fmt": "md",
        "position": 1,
        "token": world["invite"].token,
        "uidb64": urlsafe_base64_encode(force_bytes(world["alice"].pk)),
    }
    if name == "accounts:password_reset_confirm":
        values["token"] = default_token_generator.make_token(world["alice"])
    return {p: values[p] for p in params}
