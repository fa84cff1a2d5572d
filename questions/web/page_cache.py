"""Whole-page cache for what anonymous visitors read: the home page, the glossary, the
question bank and the exercise list.

These pages are the same for every anonymous visitor until the content changes, except for
a few values that must differ per request (the CSRF token of a form, the signed "shown at"
time of a question). Those are rendered as markers and filled in on every response, so a
cached page is never a stale form. A marker carries a random nonce drawn for that render
and stored with the page: the text a visitor typed (a search echoed in the page) was sent
before the nonce existed, so it can never be a marker that gets filled. Logged-in visitors,
visitors with a message waiting, and POSTs always get a fresh render. `load_content` bumps
the content version, which retires every cached page at once.

Off in development (DEBUG) unless PAGE_CACHE_SECONDS is set; the cache is Django's (Redis or
the database in production), so every app server shares it, with a few seconds' copy in
each worker's memory in front of it.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from .cache import CacheUnavailable

VERSION_KEY = "page-cache:content-version"
# name -> how to compute the value for this request
_LATE: dict[str, Callable[[HttpRequest], str]] = {"csrf": get_token}
# The request attribute that holds the render's nonce while a page is rendered for the cache
# (false otherwise).
RENDERING_FLAG = "_rendering_for_page_cache"
# Set by a view whose query string it found to be one of finitely many (see finite_query).
FINITE_QUERY_FLAG = "_page_cache_finite_query"


def _marker(name: str, nonce: str) -> str:
    return f"late-value-{name}-{nonce}"


def late_value(
    name: str,
) -> Callable[[Callable[[HttpRequest], str]], Callable[[HttpRequest], str]]:
    """Register a per-request value that cached pages leave as a marker."""

    def register(compute: Callable[[HttpRequest], str]) -> Callable[[HttpRequest], str]:
        _LATE[name] = compute
        return compute

    return register


def late(request: HttpRequest, name: str) -> str:
    """The value for this request, or its marker while a page is rendered for the cache."""
    nonce: str = getattr(request, RENDERING_FLAG, "")
    if nonce:
        return _marker(name, nonce)
    return _LATE[name](request)


# Each worker also keeps pages it served in memory for a few seconds, so a busy page costs
# no round trip to the shared cache; a content load shows everywhere within LOCAL_SECONDS.
LOCAL_SECONDS = 3.0
_LOCAL_LIMIT = 500
_local: dict[str, tuple[float, object]] = {}


def _local_get(key: str) -> Any:
    found = _local.get(key)
    if found is None or found[0] < time.monotonic():
        return None
    return found[1]


def _local_set(key: str, value: object) -> None:
    if len(_local) >= _LOCAL_LIMIT:
        _local.clear()
    _local[key] = (time.monotonic() + LOCAL_SECONDS, value)


def forget_local() -> None:
    _local.clear()


def content_changed() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    forget_local()


def content_version() -> str:
    """The content's version: changes on every load_content. Other caches of content
    (built Anki decks) key on it too."""
    return _version()


def _version() -> str:
    version = _local_get(VERSION_KEY)
    if version is None:
        version = cache.get_or_set(VERSION_KEY, uuid.uuid4().hex, None)
        _local_set(VERSION_KEY, version)
    return version


def finite_query(request: HttpRequest) -> None:
    """Tell the cache that this request's query string is one of a finite set the view
    checked (a filter the page offers, a page number that exists), like its links make:
    such pages are as many as the content and do not spend the query-page budget."""
    setattr(request, FINITE_QUERY_FLAG, True)


def _fill(request: HttpRequest, html: str, nonce: str) -> str:
    for name, compute in _LATE.items():
        marker = _marker(name, nonce)
        if marker in html:
            html = html.replace(marker, compute(request))
    return html


def _may_store(request: HttpRequest, version: str) -> bool:
    """Whether this page may take a new cache entry. Pages without a query string, or with
    one the view found finite (finite_query), are as many as the content; other query
    strings (a text search, a typed tag, an unknown parameter) are endless, so each window
    of PAGE_CACHE_SECONDS stores at most PAGE_CACHE_MAX_QUERY_PAGES of them."""
    if not request.GET or getattr(request, FINITE_QUERY_FLAG, False):
        return True
    window = settings.PAGE_CACHE_SECONDS
    key = f"page-cache:{version}:query-pages:{int(time.time()) // window}"
    cache.add(key, 0, window)
    try:
        return cache.incr(key) <= settings.PAGE_CACHE_MAX_QUERY_PAGES
    except (ValueError, CacheUnavailable):  # expired meanwhile, or Redis is away: skip
        return False


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.user.is_authenticated
        and len(get_messages(request)) == 0
        and len(request.get_full_path()) <= 300
    )


def anonymous_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        version = _version()
        key = f"page-cache:v2:{version}:{path}"
        stored = _local_get(key) or cache.get(key)
        if stored is None:
            nonce = secrets.token_hex(16)
            setattr(request, RENDERING_FLAG, nonce)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, RENDERING_FLAG, False)
            if response.streaming:
                return response
            if response.status_code != 200 or not _may_store(request, version):
                response.content = _fill(request, response.content.decode(), nonce)
                return response
            stored = (response.content.decode(), response["Content-Type"], nonce)
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
        _local_set(key, stored)
        html, content_type, nonce = stored
        return HttpResponse(_fill(request, html, nonce), content_type=content_type)

    return cached_view
