"""Only the attempt's owner can read or change it: everyone else gets 404."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from questions.models import Attempt


@pytest.fixture
def charlie(db):
    """Another visitor, who must not see Alice's attempt."""
    return Client()


def attempt_urls(attempt_id):
    # A real choice of this attempt: the 404 must come from ownership, not from a bad id.
    choice = Attempt.objects.get(pk=attempt_id).items.get(position=1).choice_id(0)
    return [
        ("get", f"/attempts/{attempt_id}/", {}),
        ("post", f"/attempts/{attempt_id}/answers/1/", {"choice": choice}),
        ("post", f"/attempts/{attempt_id}/finish/", {}),
        ("get", f"/attempts/{attempt_id}/finish/", {}),
        ("post", f"/attempts/{attempt_id}/start/", {"layout": "one"}),
        ("post", f"/attempts/{attempt_id}/layout/", {"layout": "one"}),
        ("post", f"/attempts/{attempt_id}/retry/", {}),
        ("post", f"/attempts/{attempt_id}/assess/3/", {"rating": "fully"}),
        ("get", f"/api/attempts/{attempt_id}/", {}),
        ("put", f"/api/attempts/{attempt_id}/answers/1/", {"answer": choice}),
        ("post", f"/api/attempts/{attempt_id}/finish/", {}),
    ]


def test_another_visitor_gets_404_everywhere(alice, charlie):
    attempt = Attempt.objects.get()
    for method, url, data in attempt_urls(attempt.pk):
        if method == "get":
            response = charlie.get(url)
        elif "/api/" in url:
            response = getattr(charlie, method)(
                url, json.dumps(data), content_type="application/json"
            )
        else:
            response = getattr(charlie, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    attempt.refresh_from_db()
    assert not attempt.is_finished and not attempt.one_at_a_time
    assert not attempt.items.filter(answer__isnull=False).exists()
    assert Attempt.objects.count() == 1


def test_another_logged_in_user_gets_404(alice, charlie):
    alice_user = User.objects.create_user("alice", password="pw-alice-123")
    alice.force_login(alice_user)  # claims the anonymous attempt
    attempt = Attempt.objects.get()
    assert attempt.user == alice_user
    charlie.force_login(User.objects.create_user("charlie", password="pw-charlie-123"))
    assert charlie.get(f"/attempts/{attempt.pk}/").status_code == 404
    assert charlie.get(f"/api/attempts/{attempt.pk}/").status_code == 404
    assert alice.get(f"/attempts/{attempt.pk}/").status_code == 200


def test_anonymous_attempts_move_to_the_account_on_log_in(alice):
    attempt = Attempt.objects.get()
    user = User.objects.create_user("alice", password="pw-alice-123")
    alice.login(username="alice", password="pw-alice-123")
    attempt.refresh_from_db()
    assert attempt.user == user and attempt.anon_token == ""
    assert alice.get("/attempts/").content.decode().count(str(attempt.pk)) == 1


def test_the_attempt_list_shows_only_my_attempts(alice, charlie):
    charlie.post("/quizzes/start/", {"kind": "quick"})
    assert Attempt.objects.count() == 2
    data = alice.get("/api/attempts/").json()
    assert data["count"] == 1 and data["results"][0]["title"] == "Starter set"


def test_a_malformed_attempt_id_is_404(alice):
    assert alice.get("/attempts/not-a-uuid/").status_code == 404
    assert alice.get("/api/attempts/00000000-0000-0000-0000-000000000000/").status_code == 404
