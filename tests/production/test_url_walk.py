"""Every URL pattern of the site, walked by Charlie, who must never reach Alice's things.

Alice owns a quiz attempt, a review card, an interviewer's set with an entry and an invite,
and a candidate's attempt on that set. Every pattern that takes the id of such an object
must answer Charlie 404 (or 405 for a method it does not serve) and change nothing; every
other page Charlie can open must not show any of Alice's data. A new URL pattern fails
this test until it is classified below.
"""

from django.urls import reverse

from questions.models import Attempt, ReviewCard
from tests.interviews.conftest import client_for

from .conftest import SECRETS, url_kwargs, url_patterns

# Parameters naming an object that belongs to someone.
OWNED = {"attempt_id", "card_id", "set_id", "pk", "entry_id", "invite_id", "item_id"}
# Parameters naming public content, or a capability that is the secret itself.
PUBLIC = {
    "kind",
    "seed",
    "term_id",
    "question_id",
    "curated_id",
    "fmt",
    "position",
    "token",
    "uidb64",
    "slug",  # a topic or curated set, public content
}


def test_every_url_keeps_alices_things_from_charlie(world, charlie):
    charlie_client = client_for(charlie)
    owned, opened = [], []
    for name, pattern in url_patterns():
        params = list(pattern.pattern.converters)
        unknown = set(params) - OWNED - PUBLIC
        assert not unknown, f"{name}: classify the new URL parameter(s) {unknown} in this test"
        url = reverse(name, kwargs=url_kwargs(name, params, world))
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
    assert {
        "questions:attempt",
        "questions:attempt_begin",
        "questions:attempt_layout",
        "questions:attempt_retry",
        "api:attempt",
        "progress:review_grade",
        "progress:review_reveal",
        "api:my_review_grade",
        "api:my_review_reveal",
        "interviews:set",
        "interviews:result_grade",
        "interviews:grading",
        "interviews:grading_save",
        "api:set",
        "api:set_entry",
        "api:set_results",
        "quality:flag_item",
    } <= set(owned)
    assert (len(owned), len(opened)) == (41, 68), "a URL was added or removed: recount"
    # Nothing of Alice's changed.
    world["set"].refresh_from_db()
    assert world["set"].title == SECRETS[0] and world["set"].entries.count() == 4
    assert world["set"].invites.get().revoked_at is None
    own = Attempt.objects.get(pk=world["own_attempt"].pk)
    assert own.finished_at is None
    assert own.items.get(question__type="open").answer == SECRETS[2]
    assert ReviewCard.objects.get(pk=world["card"].pk).reviews == world["card"].reviews
