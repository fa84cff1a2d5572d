"""A visitor who only reads stores nothing: no session row until something is written.
Otherwise every cookie-less request (a crawler, an attacker's loop) adds a row for weeks."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from .conftest import url_kwargs, url_patterns

READS = [
    "/",
    "/questions/",
    "/glossary/",
    "/glossary/precision/",
    "/exercises/",
    "/me/",
    "/me/review/",
    "/me/history.svg",
    "/me/progress.csv",
    "/api/exercises/",
    "/api/me/progress/",
    "/api/me/history/",
    "/api/me/review/",
]


@pytest.mark.parametrize("path", READS)
def test_reading_without_a_cookie_stores_no_session(loaded, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert Session.objects.count() == 0 and "sessionid" not in response.cookies


def test_the_first_write_starts_the_session_and_the_reads_see_it(loaded):
    visitor = Client()
    assert visitor.get("/me/").status_code == 200
    visitor.post("/glossary/precision/hard/")
    assert Session.objects.count() == 1
    assert "Precision" in visitor.get("/me/review/").content.decode()


def test_no_page_of_the_site_stores_a_session_for_a_cookieless_read(world):
    """Every URL pattern, read by a visitor without a cookie (Alice's world fills in ids)."""
    writers = []
    for name, pattern in url_patterns():
        url = reverse(name, kwargs=url_kwargs(name, list(pattern.pattern.converters), world))
        before = Session.objects.count()
        Client().get(url)
        if Session.objects.count() != before:
            writers.append(name)
    # Django's own: the reset link's token moves into the session before the form is shown.
    assert writers == ["accounts:password_reset_confirm"]
