"""Failed log-ins are counted per account and per address; at the limit, wait."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD

NOW = datetime(2026, 11, 23, 12, 0, 30, tzinfo=UTC)


def log_in(username, password, address="127.0.0.1"):
    return Client().post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def logged_in(response) -> bool:
    return response.status_code == 302


def test_it_locks_the_account_after_the_limit_whatever_the_case(alice):
    with time_machine.travel(NOW, tick=False) as traveller:
        for n, username in enumerate(("alice", "Alice", "ALICE", " alice", "aLiCe")):
            response = log_in(username, "wrong", address=f"10.0.0.{n}")
        assert "Too many failed log-ins for this account." in response.content.decode()

        refused = log_in("alice", PASSWORD, address="10.9.9.9")
        assert not logged_in(refused)
        assert (
            "Too many failed log-ins for this account. "
            "Try again after 12:16 UTC (in 15 minutes)." in refused.content.decode()
        )

        traveller.shift(timedelta(minutes=10))
        refused = log_in("alice", PASSWORD, address="10.9.9.9")
        assert not logged_in(refused)
        assert "Try again after 12:16 UTC (in 5 minutes)." in refused.content.decode()

        traveller.shift(timedelta(minutes=5, seconds=1))
        assert logged_in(log_in("alice", PASSWORD, address="10.9.9.9"))


def test_it_locks_an_address_whatever_the_username(alice, charlie):
    with time_machine.travel(NOW, tick=False) as traveller:
        for n in range(5):
            log_in(f"guess{n}", "wrong", address="10.0.0.1")

        refused = log_in("alice", PASSWORD, address="10.0.0.1")
        assert not logged_in(refused)
        assert (
            "Too many failed log-ins for your address. Try again after 12:16 UTC"
            in refused.content.decode()
        )
        # Another address is not affected, nor is the account from elsewhere.
        assert logged_in(log_in("charlie", PASSWORD, address="10.0.0.2"))
        assert logged_in(log_in("alice", PASSWORD, address="10.0.0.2"))

        traveller.shift(timedelta(seconds=901))
        assert logged_in(log_in("alice", PASSWORD, address="10.0.0.1"))


def test_failures_below_the_limit_do_not_lock(alice):
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            assert not logged_in(log_in("alice", "wrong"))
        assert logged_in(log_in("alice", PASSWORD))


def test_a_successful_log_in_clears_the_accounts_count(alice):
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            log_in("alice", "wrong", address="10.0.0.1")
        assert logged_in(log_in("alice", PASSWORD, address="10.0.0.2"))
        for _ in range(4):
            log_in("alice", "wrong", address="10.0.0.3")
        assert logged_in(log_in("alice", PASSWORD, address="10.0.0.4"))


def test_failures_older_than_the_window_are_forgotten(alice):
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(4):
            log_in("alice", "wrong")
        traveller.shift(timedelta(seconds=901))
        for _ in range(4):
            log_in("alice", "wrong")
        assert logged_in(log_in("alice", PASSWORD))


def test_unknown_usernames_are_counted_too(db):
    with time_machine.travel(NOW, tick=False):
        for n in range(5):
            log_in("nobody", "wrong", address=f"10.0.1.{n}")
        User.objects.create_user("nobody", password=PASSWORD)
        assert not logged_in(log_in("nobody", PASSWORD, address="10.0.2.1"))


def test_limit_and_window_come_from_settings(alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 60
    with time_machine.travel(NOW, tick=False) as traveller:
        log_in("alice", "wrong")
        response = log_in("alice", "wrong")
        assert "Try again after 12:02 UTC (in 1 minute)." in response.content.decode()
        traveller.shift(timedelta(seconds=61))
        assert logged_in(log_in("alice", PASSWORD))
