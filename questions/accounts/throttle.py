"""The log-in throttle.

Log-in throttling counts failed log-ins in Django's cache, per username (case-insensitive)
and per client address. Once either reaches LOGIN_FAILURE_LIMIT within
LOGIN_FAILURE_WINDOW_SECONDS, that account or address is refused for the window, even with
the right password, and the message says when to try again. A successful log-in clears the
account's counter only: clearing the address's too would let someone who owns one account
reset it between guesses at another.
"""

from __future__ import annotations

import hashlib
import logging
import math
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)


def _throttle_keys(kind: str, value: str) -> tuple[str, str]:
    # Hashed so that any username or address is a valid key for every cache backend.
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"login-failures:{kind}:{digest}", f"login-locked:{kind}:{digest}"


def _subjects(username: str, address: str) -> list[tuple[str, str]]:
    subjects = [("account", username.strip().casefold())]
    if address:
        subjects.append(("address", address))
    return subjects


def login_locked_until(*, username: str, address: str) -> tuple[str, datetime] | None:
    """("account" or "address", until when) if either is locked out now, else None."""
    locks = {kind: _throttle_keys(kind, value)[1] for kind, value in _subjects(username, address)}
    found = cache.get_many(locks.values())
    now = timezone.now().timestamp()
    for kind, key in locks.items():
        until = found.get(key)
        if until is not None and until > now:
            return kind, datetime.fromtimestamp(until, tz=UTC)
    return None


def login_failure_record(*, username: str, address: str) -> None:
    """Count one failed log-in; lock the account or address at the limit."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    now = timezone.now().timestamp()
    for kind, value in _subjects(username, address):
        counter, lock = _throttle_keys(kind, value)
        # add + incr rather than get + set: parallel guesses must each count.
        cache.add(counter, 0, timeout=window)
        try:
            failures = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.set(counter, 1, timeout=window)
            failures = 1
        if failures >= settings.LOGIN_FAILURE_LIMIT:
            cache.set(lock, now + window, timeout=window)
            cache.delete(counter)
            # The key, not the username: people sometimes type their password there.
            logger.warning("Log-ins locked after %d failures: %s", failures, lock)


def login_failures_clear(*, username: str) -> None:
    counter, _lock = _throttle_keys("account", username.strip().casefold())
    cache.delete(counter)


def lockout_message(kind: str, until: datetime, now: datetime | None = None) -> str:
    now = now or timezone.now()
    # Round up: "after 14:32" must not be earlier than the lock really ends.
    shown = until if until.second == until.microsecond == 0 else until + timedelta(minutes=1)
    shown = timezone.localtime(shown.replace(second=0, microsecond=0))
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    who = "this account" if kind == "account" else "your address"
    return (
        f"Too many failed log-ins for {who}. Try again after {shown:%H:%M} {shown.tzname()} "
        f"(in {minutes} minute{'s' if minutes != 1 else ''})."
    )
