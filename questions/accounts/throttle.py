"""The password throttle: every place that checks a password counts against one limit.

Log-in (the site's and the admin's), changing the password and deleting the account all check
a password, so each is a way to guess one; they share these counters.

Per account (the username, case-insensitive): LOGIN_FAILURE_LIMIT checks are free; from then
on each further check must wait, LOGIN_FIRST_DELAY_SECONDS after the limit's check and twice
as long after each one after that, up to LOGIN_FAILURE_WINDOW_SECONDS. A correct password
clears the account's count, and the count is forgotten LOGIN_FAILURE_MEMORY_SECONDS after the
last check. Growing delays rather than a lock: anyone can guess at a named account, so a lock
would let them keep its owner out for as long as they liked (a candidate before an interview).
A burst of guesses now costs the owner one short wait; a guesser who keeps at it gets a few
tries an hour, and the owner never waits longer than LOGIN_FAILURE_WINDOW_SECONDS.

Per client address (questions/clients.py, so behind the load balancer it is the client, not
the balancer; IPv6 by /64, which one subscriber usually holds whole): stricter, since only the
guesser waits. LOGIN_ADDRESS_FAILURE_LIMIT failures within LOGIN_FAILURE_WINDOW_SECONDS refuse
the address until that window ends. Its count is not cleared by a success: otherwise owning
one account would reset it between guesses at another.

Password-reset requests are counted too (password_reset_start): PASSWORD_RESET_EMAIL_LIMIT
per email address and PASSWORD_RESET_ADDRESS_LIMIT per client address within
PASSWORD_RESET_WINDOW_SECONDS, whether or not an account has the email address.

A check is counted before the password is compared (cache add/incr are atomic), so a burst of
parallel guesses cannot all slip in before the first failure is recorded. A refused check
compares nothing, so it tells the guesser nothing about the password.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import logging
import math
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone

from ..web.cache import counters  # the shared cache, or worker memory while Redis is down

logger = logging.getLogger(__name__)


class Refusal(NamedTuple):
    """Why a password check may not happen now: "account" or "address", and until when."""

    kind: str
    until: datetime


def _key(name: str, value: str) -> str:
    # Hashed so that any username or address is a valid key for every cache backend.
    return f"password-checks:{name}:{hashlib.sha256(value.encode()).hexdigest()}"


def _account(username: str) -> str:
    return username.strip().casefold()


def address_bucket(address: str) -> str:
    """The address the limit counts: an IPv6 client by its /64, which it can roam freely."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def _count(key: str, timeout: int) -> int:
    """Add one to a counter and keep it for `timeout` seconds more; atomic where the backend is."""
    counters.add(key, 0, timeout=timeout)
    try:
        value = counters.incr(key)
    except ValueError:  # expired between add and incr
        counters.set(key, 1, timeout=timeout)
        value = 1
    # Some backends' incr rewrites the value with the default timeout: restate ours.
    counters.touch(key, timeout)
    return value


def _uncount(key: str) -> None:
    with contextlib.suppress(ValueError):  # already forgotten
        counters.decr(key)


def account_delay(checks: int) -> int:
    """Seconds the next check must wait after `checks` checks without a correct password."""
    over = checks - settings.LOGIN_FAILURE_LIMIT
    if over < 0:
        return 0
    longest = settings.LOGIN_FAILURE_WINDOW_SECONDS
    # min() before the power would overflow for long runs of failures.
    return min(settings.LOGIN_FIRST_DELAY_SECONDS * 2 ** min(over, 32), longest)


def _window_count(key: str, *, limit: int, window: int, now: float) -> datetime | None:
    """Count one in the window that the key's first count opened, `window` seconds long.

    Over the limit, nothing is counted and the answer is when the window closes."""
    counters.add(key + ":opened", now, timeout=window)
    opened = counters.get(key + ":opened", now)
    left = max(1, math.ceil(opened + window - now))
    if _count(key, left) > limit:
        _uncount(key)
        return datetime.fromtimestamp(opened + window, tz=UTC)
    return None


def password_check_start(*, username: str, address: str) -> Refusal | None:
    """Count one password check, or say why it must wait (then nothing is counted)."""
    now = timezone.now().timestamp()
    address_key = ""
    if address:
        address_key = _key("address", address_bucket(address))
        until = _window_count(
            address_key,
            limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
            window=settings.LOGIN_FAILURE_WINDOW_SECONDS,
            now=now,
        )
        if until:
            return Refusal("address", until)

    account_key = _key("account", _account(username))
    checks = _count(account_key, settings.LOGIN_FAILURE_MEMORY_SECONDS)
    delay = account_delay(checks)
    # The gate stays shut for the delay after this check; only one check may open it.
    if delay and not counters.add(account_key + ":gate", now + delay, timeout=delay):
        _uncount(account_key)
        if address_key:
            _uncount(address_key)
        gate_until = counters.get(account_key + ":gate") or now + 1
        return Refusal("account", datetime.fromtimestamp(gate_until, tz=UTC))
    return None


def password_check_failed(*, username: str) -> Refusal | None:
    """After a wrong password: the wait it started, if any (to say so at once)."""
    account_key = _key("account", _account(username))
    found = counters.get_many([account_key, account_key + ":gate"])
    if found.get(account_key) == settings.LOGIN_FAILURE_LIMIT:
        # The key, not the username: people sometimes type their password there.
        logger.warning(
            "Password checks slowed after %d failures: %s", found[account_key], account_key
        )
    until = found.get(account_key + ":gate")
    return Refusal("account", datetime.fromtimestamp(until, tz=UTC)) if until else None


def password_check_passed(*, username: str, address: str) -> None:
    """A correct password: the account starts afresh; the address's try is not a failure."""
    account_key = _key("account", _account(username))
    counters.delete_many([account_key, account_key + ":gate"])
    if address:
        _uncount(_key("address", address_bucket(address)))


def password_reset_start(*, email: str, address: str) -> Refusal | None:
    """Count one password-reset request per email address and per client address, or refuse.

    Counted whether or not an account has the email address, so a refusal says nothing
    about that either."""
    now = timezone.now().timestamp()
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    address_key = ""
    if address:
        address_key = _key("reset-address", address_bucket(address))
        until = _window_count(
            address_key, limit=settings.PASSWORD_RESET_ADDRESS_LIMIT, window=window, now=now
        )
        if until:
            return Refusal("address", until)
    email_key = _key("reset-email", email.strip().casefold())
    until = _window_count(
        email_key, limit=settings.PASSWORD_RESET_EMAIL_LIMIT, window=window, now=now
    )
    if until:
        if address_key:
            _uncount(address_key)
        return Refusal("email", until)
    return None


ACTIONS = {
    "log-in": "failed log-ins",
    "password": "wrong passwords",
    "reset": "password-reset requests",
}
WHO = {"account": "this account", "address": "your address", "email": "this email address"}


def refusal_message(
    refusal: Refusal, *, action: str = "log-in", now: datetime | None = None
) -> str:
    now = now or timezone.now()
    until = refusal.until
    # Round up: "after 14:32" must not be earlier than the wait really ends.
    shown = until if until.second == until.microsecond == 0 else until + timedelta(minutes=1)
    shown = timezone.localtime(shown.replace(second=0, microsecond=0))
    seconds = max(1, math.ceil((until - now).total_seconds()))
    if seconds < 60:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return (
        f"Too many {ACTIONS[action]} for {WHO[refusal.kind]}. "
        f"Try again after {shown:%H:%M} {shown.tzname()} (in {wait})."
    )
