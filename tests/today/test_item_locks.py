"""Answering, revealing and rating lock only the Today item's own row: its question and term
are nullable, and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join (every
answer, reveal and rating was a 500 there). Run this file on PostgreSQL too."""

from datetime import UTC, datetime, timedelta

import time_machine

from questions.models import TodaySession

from .support import answer_current, current

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_every_kind_of_item_is_answered_revealed_and_rated(loaded, alice_client):
    with time_machine.travel(NOW, tick=False):
        alice_client.post("/glossary/recall/hard/")  # a term review is due in an hour
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert alice_client.post("/today/start/").status_code == 302
        session = TodaySession.objects.get()
        sources = {item.source for item in session.items.all()}
        assert sources == {"review", "new", "exercise"}
        while current(session) is not None:
            answer_current(alice_client, session, right=True)
    session.refresh_from_db()
    assert session.finished_at is not None
    assert not session.items.filter(answered_at=None).exists()
