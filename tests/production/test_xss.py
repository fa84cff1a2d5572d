"""Script injection, end to end: payloads in every field a contributor, an interviewer or a
candidate writes reach the pages inert."""

import json
from html.parser import HTMLParser

import pytest
from django.test import Client

from questions.catalog.sync import content_sync
from questions.interviews import invites, sets
from tests.choices import practice_choice
from tests.content.test_rendering import XSS_PAYLOADS


class _Elements(HTMLParser):
    """Every element and attribute the browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "object", "embed", "style", "frame", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and (
                value.startswith(("javascript:", "data:text", "vbscript:"))
                or (name == "action" and value.startswith("http"))
            ):
                self.found.append(f"<{tag} {name}={value[:30]}>")
            if tag == "script" and name == "src" and not value.startswith("/static/"):
                self.found.append(f"<script src={value[:30]}>")
        if tag == "script" and not any(name == "src" for name, _ in attrs):
            self.found.append("<script> inline")


def _assert_inert(html: str, where: str) -> None:
    parser = _Elements()
    parser.feed(html)
    assert parser.found == [], (where, parser.found)


@pytest.fixture
def hostile_content(db, content_dir):
    payloads = "\n\n".join(XSS_PAYLOADS)
    one_line = json.dumps(" ".join(XSS_PAYLOADS))  # YAML reads JSON strings
    short = json.dumps(" ".join(XSS_PAYLOADS[:6]))  # titles are at most 300 characters
    (content_dir / "questions" / "metrics" / "metrics-hostile.md").write_text(
        f"""---
id: metrics-hostile
title: {short}
type: single
difficulty: easy
tags: [screening]
choices:
  - text: {one_line}
    correct: true
    feedback: {one_line}
  - text: Plain
    correct: false
    feedback: {one_line}
---
## Question

{payloads}

## Explanation

{payloads}
"""
    )
    (content_dir / "glossary" / "hostile-term.md").write_text(
        f"""---
id: hostile-term
term: Hostile term
topic: metrics
definition: {one_line}
---
{payloads}
"""
    )
    report = content_sync(content_dir)
    assert report.ok, report.problems
    return content_dir


def test_content_payloads_are_inert_on_every_page(hostile_content, client):
    pages = [
        "/questions/metrics-hostile/",
        "/glossary/hostile-term/",
        "/glossary/",
        "/questions/",
        "/questions/?q=hostile",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_inert(response.content.decode(), url)
    answered = client.post(
        "/questions/metrics-hostile/", {"choice": practice_choice(client, "metrics-hostile", 0)}
    )
    _assert_inert(answered.content.decode(), "answered question")


def test_interviewer_and_candidate_text_is_inert(hostile_content, alice, alice_client):
    payload = " ".join(XSS_PAYLOADS)
    interview_set = sets.set_create(
        owner=alice,
        title=payload[:200],
        description=payload,
        time_limit_minutes=10,
        show_answers=True,
    )
    from questions.models import Question

    sets.entry_add(
        interview_set=interview_set, question=Question.objects.get(ext_id="metrics-hostile")
    )
    invite = invites.invite_create(interview_set=interview_set, label=payload[:100])
    candidate = Client()
    opened = candidate.get(invite.get_absolute_url())
    _assert_inert(opened.content.decode(), "invite page")
    started = candidate.post(invite.get_absolute_url(), {"name": payload[:100]})
    running = candidate.get(started["Location"])
    _assert_inert(running.content.decode(), "running attempt")
    for url in (
        f"/sets/{interview_set.pk}/",
        f"/sets/{interview_set.pk}/invites/",
        f"/sets/{interview_set.pk}/results/",
        "/sets/",
    ):
        response = alice_client.get(url)
        assert response.status_code == 200, url
        _assert_inert(response.content.decode(), url)
