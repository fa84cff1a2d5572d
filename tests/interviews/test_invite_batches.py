"""Creating invites in batches: order on the page, one INSERT, a replayed form, Withdraw."""

import re
from datetime import timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from questions.interviews import invites


def _key(page_html: str) -> str:
    match = re.search(r'name="key" value="([A-Za-z0-9_-]+)"', page_html)
    assert match, "the form carries its one-time key"
    return match.group(1)


def _labels_in_page(html: str) -> list[str]:
    return re.findall(r'aria-label="Link of ([^"]+)"', html)


def test_the_newest_batch_comes_first_each_in_its_pasted_order(screening, alice_client):
    url = reverse("interviews:invites", args=[screening.pk])
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        alice_client.post(url, {"labels": "Zoe\nAmy\nMia"})
    alice_client.post(url, {"labels": "Yan\nBea"})
    assert _labels_in_page(alice_client.get(url).content.decode()) == [
        "Yan",
        "Bea",
        "Zoe",
        "Amy",
        "Mia",
    ]


def test_a_batch_is_one_insert_whatever_its_size(screening, alice_client):
    url = reverse("interviews:invites", args=[screening.pk])

    def inserts(lines: int) -> int:
        labels = "\n".join(f"Candidate {n}" for n in range(lines))
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.post(url, {"labels": labels}).status_code == 302
        return sum(q["sql"].startswith("INSERT") for q in queries.captured_queries)

    assert inserts(2) == inserts(60) == 1
    assert screening.invites.count() == 62
    assert len(set(screening.invites.values_list("token", flat=True))) == 62


def test_a_replayed_form_makes_no_second_batch(screening, alice_client):
    url = reverse("interviews:invites", args=[screening.pk])
    page = alice_client.get(url).content.decode()
    key = _key(page)
    assert "data-submit-once" in page and "submit_once.js" in page
    form = {"labels": "Ana\nBen", "key": key}
    alice_client.post(url, form)
    replay = alice_client.post(url, form, follow=True)
    assert screening.invites.count() == 2
    assert "This form was already sent" in replay.content.decode()
    # A fresh copy of the form has a new key and makes a new batch.
    fresh = _key(alice_client.get(url).content.decode())
    assert fresh != key
    alice_client.post(url, {"labels": "Ana\nBen", "key": fresh})
    assert screening.invites.count() == 4
    # The service finds the batch by its key too, whatever the labels sent again.
    assert invites.invites_create(interview_set=screening, labels=["Cy"], key=key).replayed
    damaged = alice_client.post(url, {"labels": "Dee", "key": "<script>"})
    assert damaged.status_code == 400 and "reload the page" in damaged.content.decode()
    assert screening.invites.count() == 4


def test_only_an_invite_that_can_still_start_offers_withdraw(screening, alice_client):
    url = reverse("interviews:invites", args=[screening.pk])
    invites.invite_create(interview_set=screening, label="live")
    used = invites.invite_create(interview_set=screening, label="used", max_attempts=1)
    Client().post(used.get_absolute_url(), {"name": "Ana"})
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        invites.invite_create(
            interview_set=screening,
            label="lapsed",
            expires_at=timezone.now() + timedelta(hours=1),
        )
    gone = invites.invite_create(interview_set=screening, label="gone")
    invites.invite_revoke(invite=gone)
    html = alice_client.get(url).content.decode()
    assert re.findall(r'aria-label="Withdraw ([^"]+)"', html) == ["live"]


def test_an_edited_copy_of_a_sent_form_keeps_its_lines_and_asks_again(screening, alice_client):
    """Back to the page after creating, the form is the same copy (same key): edited and
    sent, it must neither pass for the first batch nor silently make nothing."""
    url = reverse("interviews:invites", args=[screening.pk])
    key = _key(alice_client.get(url).content.decode())
    alice_client.post(url, {"labels": "Ana\nBen", "key": key})
    edited = alice_client.post(url, {"labels": "Ana\nBen\nCy", "key": key})
    html = edited.content.decode()
    assert edited.status_code == 409 and screening.invites.count() == 2
    assert "already created 2 invites" in html and "Ana\nBen\nCy" in html
    again = _key(html)
    assert again != key
    alice_client.post(url, {"labels": "Ana\nBen\nCy", "key": again})
    assert screening.invites.count() == 5
