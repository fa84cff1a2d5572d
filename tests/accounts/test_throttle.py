"""Password checks slow down per account and stop per client address (throttle.py).

Every way to check a password counts: the site's log-in, the admin's, the password change and
the account deletion."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from questions.accounts.throttle import password_check_start

from .conftest import PASSWORD

NOW = datetime(2026, 11, 23, 12, 0, 30, tzinfo=UTC)
NEW = "a brand new passphrase 42"
BALANCER = "10.0.0.2"


@pytest.fixture(autouse=True)
def throttle_settings(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FIRST_DELAY_SECONDS = 30
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900
    settings.LOGIN_FAILURE_MEMORY_SECONDS = 86400
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    settings.TRUSTED_PROXY_HOPS = 0


def log_in(username, password, address="127.0.0.1", url=None, **headers):
    return Client().post(
        url or reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def logged_in(response) -> bool:
    return response.status_code == 302


def text(response) -> str:
    return response.content.decode()


def test_after_the_limit_each_check_waits_longer(alice):
    with time_machine.travel(NOW, tick=False) as traveller:
        for n, username in enumerate(("alice", "Alice", "ALICE", " alice", "aLiCe")):
            response = log_in(username, "wrong", address=f"10.0.0.{n}")
        assert (
            "Too many failed log-ins for this account. Try again after 12:01 UTC (in 30 seconds)."
            in text(response)
        )
        # Even the right password waits: a refused check compares nothing.
        refused = log_in("alice", PASSWORD, address="10.9.9.9")
        assert not logged_in(refused)
        assert "(in 30 seconds)" in text(refused)

        traveller.shift(timedelta(seconds=31))
        # The next check is allowed; it fails, and the wait doubles.
        assert "Try again after 12:03 UTC (in 1 minute)." in text(log_in("alice", "wrong"))
        traveller.shift(timedelta(seconds=30))
        assert "(in 30 seconds)" in text(log_in("alice", PASSWORD))
        traveller.shift(timedelta(seconds=31))
        assert logged_in(log_in("alice", PASSWORD, address="10.9.9.9"))


def test_the_wait_doubles_up_to_the_window(alice):
    waits = []
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(5):
            log_in("alice", "wrong")
        for _ in range(8):
            response = log_in("alice", "wrong")
            assert "Too many failed log-ins for this account." in text(response)
            waits.append(text(response).split("(in ")[1].split(")")[0])
            traveller.shift(timedelta(minutes=15, seconds=1))
    assert waits == [
        "30 seconds",
        "1 minute",
        "2 minutes",
        "4 minutes",
        "8 minutes",
        "15 minutes",
        "15 minutes",
        "15 minutes",
    ]


def test_a_burst_of_guesses_keeps_the_owner_out_for_one_short_wait(alice):
    """Someone who knows a candidate's username cannot lock them out before an interview."""
    with time_machine.travel(NOW, tick=False) as traveller:
        for n in range(100):
            log_in("alice", f"guess {n}", address=f"203.0.113.{n}")
        traveller.shift(timedelta(seconds=31))
        assert logged_in(log_in("alice", PASSWORD, address="198.51.100.7"))


def test_parallel_checks_cannot_all_slip_in_before_the_first_failure(db):
    with time_machine.travel(NOW, tick=False):
        started = [password_check_start(username="alice", address="") for _ in range(10)]
    assert started[:5] == [None] * 5
    assert all(refusal is not None and refusal.kind == "account" for refusal in started[5:])


def test_a_correct_password_clears_the_accounts_count(alice):
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            log_in("alice", "wrong", address="10.0.0.1")
        assert logged_in(log_in("alice", PASSWORD, address="10.0.0.2"))
        for _ in range(4):
            log_in("alice", "wrong", address="10.0.0.3")
        assert logged_in(log_in("alice", PASSWORD, address="10.0.0.4"))


def test_failures_are_forgotten_after_the_memory(alice):
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(4):
            log_in("alice", "wrong")
        traveller.shift(timedelta(days=1, seconds=1))
        for _ in range(4):
            log_in("alice", "wrong")
        assert logged_in(log_in("alice", PASSWORD))


def test_unknown_usernames_are_counted_too(db):
    with time_machine.travel(NOW, tick=False):
        for n in range(5):
            log_in("nobody", "wrong", address=f"10.0.1.{n}")
        User.objects.create_user("nobody", password=PASSWORD)
        assert not logged_in(log_in("nobody", PASSWORD, address="10.0.2.1"))


def test_an_address_is_stopped_after_its_stricter_limit(alice, charlie):
    with time_machine.travel(NOW, tick=False) as traveller:
        for n in range(20):
            log_in(f"guess{n}", "wrong", address="10.0.0.1")
        refused = log_in("alice", PASSWORD, address="10.0.0.1")
        assert not logged_in(refused)
        assert (
            "Too many failed log-ins for your address. Try again after 12:16 UTC "
            "(in 15 minutes)." in text(refused)
        )
        assert logged_in(log_in("charlie", PASSWORD, address="10.0.0.2"))
        traveller.shift(timedelta(seconds=901))
        assert logged_in(log_in("alice", PASSWORD, address="10.0.0.1"))


def test_an_ipv6_client_cannot_roam_its_64_to_escape_the_address_limit(alice):
    with time_machine.travel(NOW, tick=False):
        for n in range(20):
            log_in(f"guess{n}", "wrong", address=f"2001:db8:1:2::{n + 1:x}")
        refused = log_in("alice", PASSWORD, address="2001:db8:1:2:ffff::1")
        assert "for your address" in text(refused)
        assert logged_in(log_in("alice", PASSWORD, address="2001:db8:1:3::1"))


def test_behind_the_balancer_one_client_cannot_stop_everyone(alice, charlie, settings):
    """REMOTE_ADDR is the balancer's: the address that counts is the one it appended."""
    settings.TRUSTED_PROXY_HOPS = 1
    with time_machine.travel(NOW, tick=False):
        for n in range(30):
            # Rotating the part of the header the client writes gains nothing.
            log_in(
                f"guess{n}",
                "wrong",
                address=BALANCER,
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66",
            )
        refused = log_in("charlie", PASSWORD, address=BALANCER, HTTP_X_FORWARDED_FOR="203.0.113.66")
        assert "for your address" in text(refused)
        assert logged_in(
            log_in("alice", PASSWORD, address=BALANCER, HTTP_X_FORWARDED_FOR="198.51.100.7")
        )


def test_the_admin_log_in_counts_against_the_same_limit(alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    admin = reverse("admin:login")
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            log_in("alice", "wrong", url=admin)
        for _ in range(30):
            refused = log_in("alice", "wrong", url=admin)
        assert "Too many failed log-ins for this account." in text(refused)
        assert not logged_in(log_in("alice", PASSWORD, url=admin))
        assert not logged_in(log_in("alice", PASSWORD))


def test_the_admin_refuses_after_a_lock_earned_on_the_site(alice):
    alice.is_staff = True
    alice.save()
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            log_in("alice", "wrong")
        assert not logged_in(log_in("alice", PASSWORD, url=reverse("admin:login")))


def changing(client, old):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": NEW, "new_password2": NEW},
        REMOTE_ADDR="10.0.0.5",
    )


def test_the_password_change_is_not_an_oracle(alice):
    """A stolen session cannot try passwords through "old password entered incorrectly"."""
    client = Client()
    client.force_login(alice)
    with time_machine.travel(NOW, tick=False):
        for n in range(4):
            assert "Your old password was entered incorrectly." in text(changing(client, n))
        assert "Too many wrong passwords for this account." in text(changing(client, 4))
        refused = changing(client, PASSWORD)
        assert "Too many wrong passwords for this account. Try again after" in text(refused)
        assert not Client().login(username="alice", password=NEW)
        # The same limit as the log-in.
        assert not logged_in(log_in("alice", PASSWORD))


def test_the_admin_password_change_counts_too(alice):
    alice.is_staff = True
    alice.save()
    client = Client()
    client.force_login(alice)
    url = reverse("admin:password_change")
    with time_machine.travel(NOW, tick=False):
        for n in range(5):
            client.post(url, {"old_password": n, "new_password1": NEW, "new_password2": NEW})
        refused = client.post(
            url, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
        )
        assert "Too many wrong passwords for this account." in text(refused)
        assert not Client().login(username="alice", password=NEW)


def test_the_account_deletion_is_not_an_oracle(alice):
    client = Client()
    client.force_login(alice)
    with time_machine.travel(NOW, tick=False):
        for n in range(5):
            client.post(reverse("accounts:delete"), {"password": f"guess {n}"})
        refused = client.post(reverse("accounts:delete"), {"password": PASSWORD})
        assert refused.status_code == 400
        assert "Too many wrong passwords for this account." in text(refused)
        assert User.objects.filter(username="alice").exists()
        assert not logged_in(log_in("alice", PASSWORD))


def test_limits_come_from_settings(alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_FIRST_DELAY_SECONDS = 5
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 60
    with time_machine.travel(NOW, tick=False) as traveller:
        log_in("alice", "wrong")
        assert "(in 5 seconds)" in text(log_in("alice", "wrong"))
        traveller.shift(timedelta(seconds=6))
        assert logged_in(log_in("alice", PASSWORD))
