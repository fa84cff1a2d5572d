"""A visitor's own figures (their dashboard, a list's standings), kept until they change.

Each owner (an account, or an anonymous session's token) has a data version in the shared
cache: a random value that `owner_changed` replaces. Every service that changes what the
owner's own pages show calls it (progress recorded, review cards scheduled, an attempt
finished or rescored, a log-in's merge, an account deleted), so what is cached of an owner's
data, keyed by (owner, data version, content version), is retired at once in every worker.
A cached value also carries the moment it goes stale by itself (a review card falling due,
midnight for a streak), given by whoever computed it, and is not served after it.

The version is read from the shared cache on every request, never kept in a worker's memory
(another worker, or an API client, may have changed it); the values it keys may be, since a
new version makes a new key. When the shared cache does not answer, the version read is a
new random value each time, so every request computes afresh: slower, never stale.

Off when the page cache is off (development, most tests), like `content_memo`.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ..owners import Owner
from .cache import cache_is_failing
from .page_cache import content_version, render_own_page

T = TypeVar("T")

# A version unread this long is dropped (an anonymous visitor gone for good); a new one is
# drawn on the next read, which only means a miss.
VERSION_SECONDS = 7 * 24 * 3600
# What a worker keeps in its own memory: values under keys that name the version, so never
# stale by a write; each still dropped at its own moment of going stale. A dashboard is
# about 15 kB: 500 of them are under 8 MB of a worker's memory.
_LOCAL_LIMIT = 500
_local: dict[str, tuple[float, object]] = {}


def owner_key(owner: Owner) -> str:
    """The owner's name in cache keys; "" for a visitor who owns nothing yet. An anonymous
    token is a secret of the visitor's session, so only its hash goes into a key."""
    user = owner.user
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    if owner.anon_token:
        return "a" + hashlib.sha256(owner.anon_token.encode()).hexdigest()[:32]
    return ""


def _version_key(key: str) -> str:
    return f"owner-version:{key}"


def _bump(keys: list[str]) -> None:
    cache.set_many({_version_key(key): uuid.uuid4().hex for key in keys}, VERSION_SECONDS)


def owner_changed(*owners: Owner) -> None:
    """Retire everything cached of these owners' data. Call it from every service that
    changes what an owner's own pages show, inside or outside its transaction.

    The version changes now (so this request and this test see the change at once) and
    again when the transaction commits: a reader that ran between the two, and saw the
    database as it was before the commit, cached its figures under a version already gone."""
    keys = [key for key in map(owner_key, owners) if key]
    if not keys:
        return
    _bump(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(keys))


def _version(key: str) -> str:
    version = cache.get(_version_key(key))
    if version is None:
        fresh = uuid.uuid4().hex
        version = fresh if cache.add(_version_key(key), fresh, VERSION_SECONDS) else None
        # Another request drew one meanwhile (theirs stands); None: the cache is away.
        version = version or cache.get(_version_key(key)) or fresh
    return version


def owner_memo(owner: Owner, name: str, compute: Callable[[], tuple[T, datetime | None]]) -> T:
    """The value `compute` returns for this owner, kept until the owner's data or the
    content changes, or until the moment `compute` returned with it (None: no such moment),
    whichever comes first; at most PAGE_CACHE_SECONDS. `name` must say everything else the
    value depends on (which questions, which page)."""
    key = owner_key(owner)
    if settings.PAGE_CACHE_SECONDS <= 0 or not key:
        return compute()[0]
    full = f"owner-memo:{key}:{_version(key)}:{content_version()}:{name}"
    now = timezone.now().timestamp()
    found = _local.get(full)
    if found is None or found[0] <= now:
        found = cache.get(full)
        if found is None or found[0] <= now:
            value, stale_at = compute()
            until = now + settings.PAGE_CACHE_SECONDS
            if stale_at is not None:
                until = min(until, stale_at.timestamp())
            found = (until, value)
            # Not while the cache is failing: the key names a version drawn for this call
            # only, and the dropped write would take a place among the keys deleted when
            # Redis is back, which a dropped version bump needs (web/cache.py).
            if until > now and not cache_is_failing():
                cache.set(full, found, math.ceil(until - now))
        if not cache_is_failing():  # else the key names a version drawn for this call only
            if len(_local) >= _LOCAL_LIMIT:
                _local.clear()
            _local[full] = found
    return found[1]  # type: ignore[return-value]


# A view of a visitor's own page: the response, and when what it shows goes stale by itself.
OwnView = Callable[[HttpRequest], tuple[HttpResponse, datetime | None]]


def own_page(request: HttpRequest, owner: Owner, name: str, view: OwnView) -> HttpResponse:
    """The owner's page `name` from the cache (owner_memo), with its per-request values
    (CSRF token, navigation) filled in for this request; rendered by `view` on a miss. A
    visitor with a message waiting gets a fresh render (the message is part of the page),
    and only a 200 is kept."""
    if (
        settings.PAGE_CACHE_SECONDS <= 0
        or not owner_key(owner)
        or request.method != "GET"
        or len(get_messages(request)) > 0
    ):
        return view(request)[0]
    rendered: list[HttpResponse] = []

    def compute() -> tuple[Any, datetime | None]:
        stale_at: datetime | None = None

        def render(request: HttpRequest) -> HttpResponse:
            nonlocal stale_at
            response, stale_at = view(request)
            return response

        response, page = render_own_page(render, request)
        rendered.append(response)
        return page, stale_at if response.status_code == 200 else timezone.now()

    page = owner_memo(owner, name, compute)
    if rendered and rendered[0].status_code != 200:
        rendered[0].content = page.fill(request)
        return rendered[0]
    return page.response(request)


def forget_local() -> None:
    _local.clear()
