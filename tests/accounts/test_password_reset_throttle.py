"""Password-reset requests are limited per email and per address, and a known email gets the
same answer after the same work as an unknown one."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from questions.accounts import views

NOW = datetime(2026, 11, 23, 12, 0, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def reset_limits(settings):
    settings.PASSWORD_RESET_EMAIL_LIMIT = 3
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 10
    settings.PASSWORD_RESET_WINDOW_SECONDS = 3600
    settings.TRUSTED_PROXY_HOPS = 0


def ask(email, address="127.0.0.1"):
    return Client().post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_one_account_gets_a_few_mails_not_hundreds(alice):
    with time_machine.travel(NOW, tick=False):
        answers = [ask("alice@example.com", address=f"203.0.113.{n}") for n in range(20)]
    assert len(mail.outbox) == 3
    assert [a.status_code for a in answers] == [302] * 3 + [429] * 17
    assert (
        "Too many password-reset requests for this email address. "
        "Try again after 13:01 UTC (in 60 minutes)." in answers[-1].content.decode()
    )


def test_one_address_cannot_ask_for_many_accounts(alice):
    with time_machine.travel(NOW, tick=False):
        answers = [ask(f"person{n}@example.com", address="203.0.113.5") for n in range(10)]
        refused = ask("alice@example.com", address="203.0.113.5")
        assert [a.status_code for a in answers] == [302] * 10
        assert refused.status_code == 429
        assert "Too many password-reset requests for your address." in refused.content.decode()
        assert mail.outbox == []
        assert ask("alice@example.com", address="203.0.113.6").status_code == 302
    assert len(mail.outbox) == 1


def test_an_unknown_email_is_refused_like_a_known_one(alice):
    with time_machine.travel(NOW, tick=False):
        for email in ("alice@example.com", "who@example.com"):
            answers = [ask(email, address=f"198.51.100.{n}") for n in range(4)]
            assert [a.status_code for a in answers] == [302, 302, 302, 429]


def _work(email, monkeypatch) -> tuple:
    """What the view does before its response is sent, and the response itself."""
    import django.contrib.auth.tokens as tokens

    hashes, rendered = [], []
    real_hmac = tokens.salted_hmac
    monkeypatch.setattr(
        tokens, "salted_hmac", lambda *a, **k: hashes.append(1) or real_hmac(*a, **k)
    )
    request = RequestFactory().post(
        reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR="192.0.2.1"
    )
    request._dont_enforce_csrf_checks = True
    mails_before = len(mail.outbox)

    def count(**kwargs):
        rendered.append(kwargs["template"].name)

    template_rendered.connect(count)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = views.password_reset(request)
        work = (
            response.status_code,
            response["Location"],
            response.content,
            len(queries),
            len(hashes),
            len(rendered),
            len(mail.outbox) - mails_before,
        )
        response.close()  # what the server does once the response has gone
    finally:
        template_rendered.disconnect(count)
    return work, len(mail.outbox) - mails_before


def test_known_and_unknown_emails_get_the_same_answer_after_the_same_work(alice, monkeypatch):
    known, known_mails = _work("alice@example.com", monkeypatch)
    unknown, unknown_mails = _work("who@example.com", monkeypatch)
    assert known == unknown
    assert known[3:] == (0, 0, 0, 0)  # no query, hash, template or mail before the answer
    # Once the answer has gone, the known address gets its mail and the unknown none.
    assert (known_mails, unknown_mails) == (1, 0)
