"""Whole-page cache for what visitors read: the home page, the glossary, the question bank
and its questions, the exercise list.

These pages are the same for every visitor until the content changes, except for a few
values that must differ per request: the CSRF token of a form, the signed "shown at" time
of a question, the order of a question's choices, the navigation's account links, each
listed question's standing for this visitor. Those are rendered as markers and filled in on
every response, so a cached page is never a stale form and never someone else's page. The
page itself is rendered as an anonymous visitor (the real user is put back before the
markers are filled), so nothing of the visitor who happened to cause the render can be in
it. A marker carries a random nonce drawn for that render and stored with the page: the text
a visitor typed (a search echoed in the page) was sent before the nonce existed, so it can
never be a marker that gets filled. The page is stored split at its markers, so filling it
costs a join, not a search. Visitors with a message waiting and POSTs always get a fresh
render. `load_content` bumps the content version, which retires every cached page at once.

Off in development (DEBUG) unless PAGE_CACHE_SECONDS is set; the cache is Django's (Redis or
the database in production), so every app server shares it, with a few seconds' copy in
each worker's memory in front of it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache as cache_result
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

from .cache import CacheUnavailable, cache_is_failing

VERSION_KEY = "page-cache:content-version"

# Computes one late value for every argument its markers carry in a page, at once (a list of
# questions costs one query, not one per row): (request, the markers' arguments, what the
# view kept for the page) -> {argument: HTML}.
Compute = Callable[[HttpRequest, Sequence[str], Mapping[str, Any]], Mapping[str, str]]
_LATE: dict[str, Compute] = {}
# The request attribute that holds the render's nonce while a page is rendered for the cache
# (false otherwise), and the one that holds what the view kept for the page's late values.
RENDERING_FLAG = "_rendering_for_page_cache"
_KEPT = "_page_cache_kept"
# A marker's argument (a question's id): nothing that HTML or the marker's own syntax reads.
_ARGUMENT = re.compile(r"[A-Za-z0-9_-]*\Z")

T = TypeVar("T")

# Set by a view whose query string it found to be one of finitely many (see finite_query).
FINITE_QUERY_FLAG = "_page_cache_finite_query"


def _marker(name: str, argument: str, nonce: str) -> str:
    return f"late-value-{name}.{argument}-{nonce}"


def _markers(nonce: str) -> re.Pattern[str]:
    """Splits a page at its markers: text, name, argument, text, name, argument, …, text."""
    return re.compile(rf"late-value-([a-z_]+)\.([A-Za-z0-9_-]*)-{nonce}")


def late_value(
    name: str,
) -> Callable[[Callable[[HttpRequest], str]], Callable[[HttpRequest], str]]:
    """Register a per-request value, the same wherever the page shows it (a CSRF token)."""

    def register(compute: Callable[[HttpRequest], str]) -> Callable[[HttpRequest], str]:
        def for_page(
            request: HttpRequest, arguments: Sequence[str], kept: Mapping[str, Any]
        ) -> Mapping[str, str]:
            return dict.fromkeys(arguments, compute(request))

        _LATE[name] = for_page
        return compute

    return register


def late_values(name: str) -> Callable[[Compute], Compute]:
    """Register a per-request value that differs by argument (each listed question's
    standing); its function gets all of a page's arguments at once."""

    def register(compute: Compute) -> Compute:
        _LATE[name] = compute
        return compute

    return register


def rendering(request: HttpRequest) -> bool:
    """Whether this render is for the cache: per-visitor values must go through `late`."""
    return bool(getattr(request, RENDERING_FLAG, ""))


def keep(request: HttpRequest, name: str, value: Any) -> None:
    """Store `value` with the page for the late value `name` (the text of a question's
    choices, which the per-visitor order is drawn over), so a cached page fills it without
    a query. It is stored for every visitor: content only, never anything of a visitor's
    nor anything a page must not show (an answer key)."""
    kept: dict[str, Any] | None = getattr(request, _KEPT, None)
    if kept is None:
        kept = {}
        setattr(request, _KEPT, kept)
    kept[name] = value


def late(request: HttpRequest, name: str, argument: str = "") -> str:
    """The value for this request, or its marker while a page is rendered for the cache."""
    if not _ARGUMENT.match(argument):
        raise ValueError(f"A late value's argument must be letters, digits, - or _: {argument!r}")
    nonce: str = getattr(request, RENDERING_FLAG, "")
    if nonce:
        return _marker(name, argument, nonce)
    return _LATE[name](request, [argument], getattr(request, _KEPT, {}))[argument]


@dataclass(frozen=True)
class _Page:
    """A rendered page split at its markers, as stored in the cache."""

    parts: tuple[str, ...]  # text, name, argument, text, …, text
    content_type: str
    kept: dict[str, Any]
    arguments: dict[str, tuple[str, ...]]  # late value -> the arguments its markers carry

    @classmethod
    def split(cls, html: str, nonce: str, content_type: str, kept: dict[str, Any]) -> _Page:
        parts = tuple(_markers(nonce).split(html))
        arguments: dict[str, list[str]] = {}
        for i in range(1, len(parts), 3):
            arguments.setdefault(parts[i], []).append(parts[i + 1])
        return cls(parts, content_type, kept, {k: tuple(v) for k, v in arguments.items()})

    def fill(self, request: HttpRequest) -> str:
        if len(self.parts) == 1:
            return self.parts[0]
        values = {
            name: _LATE[name](request, arguments, self.kept)
            for name, arguments in self.arguments.items()
        }
        out = list(self.parts)
        for i in range(1, len(out), 3):
            out[i] = values[out[i]][out[i + 1]]
            out[i + 1] = ""
        return "".join(out)

    def response(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(self.fill(request), content_type=self.content_type)


_CSRF_MEMO = "_page_cache_csrf"


@late_value("csrf")
def csrf_token(request: HttpRequest) -> str:
    """This request's CSRF token, masked once however many parts of the page ask for it (the
    page's forms, the log-out button, the practice choices' visitor). Each masking draws 32
    random characters, and any masking of the visitor's secret is valid for every form.
    Masked again if the secret changed meanwhile (`rotate_token` at log-in)."""
    secret = request.META.get("CSRF_COOKIE")
    memo: tuple[str, str] | None = getattr(request, _CSRF_MEMO, None)
    if memo is not None and memo[0] == secret:
        return memo[1]
    token = _masked(secret) if secret else ""
    if token:
        # What get_token does for a visitor who has a secret: renew their cookie.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    else:  # a first visit (or an odd secret): Django draws the secret and sets the cookie
        token = get_token(request)
    setattr(request, _CSRF_MEMO, (request.META["CSRF_COOKIE"], token))
    return token


_CSRF_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_CSRF_BASE = len(CSRF_ALLOWED_CHARS)


def _masked(secret: str) -> str:
    """The secret masked as Django masks it (a random mask of CSRF_SECRET_LENGTH characters,
    then each secret character shifted by the mask's), the mask drawn as one random number
    whose base-62 digits are its characters, each uniform and independent as Django's: one
    system random call instead of one per character. "" for a secret Django would not make."""
    if len(secret) != CSRF_SECRET_LENGTH:
        return ""
    number = secrets.randbelow(_CSRF_BASE**CSRF_SECRET_LENGTH)
    mask, cipher = [], []
    for char in secret:
        number, shift = divmod(number, _CSRF_BASE)
        index = _CSRF_INDEX.get(char)
        if index is None:
            return ""
        mask.append(CSRF_ALLOWED_CHARS[shift])
        cipher.append(CSRF_ALLOWED_CHARS[(index + shift) % _CSRF_BASE])
    return "".join(mask) + "".join(cipher)


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


def _store(key: str, value: object) -> None:
    """Keep `value` in the shared cache, unless it is failing: then the key names a content
    version this worker drew for a few seconds (`_version`), never read again, and its
    dropped write would take a place among the keys deleted once Redis is back (a session
    logged out meanwhile, a version bumped; see web/cache.py)."""
    if not cache_is_failing():
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)


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
        version = f"{release()}.{cache.get_or_set(VERSION_KEY, uuid.uuid4().hex, None)}"
        _local_set(VERSION_KEY, version)
    return version


@cache_result
def release() -> str:
    """The code that renders and pickles what is cached: a hash of the site's Python files,
    templates, CSS and JavaScript (a page names their hashed URLs), the same on every host
    that runs the same code. Every cache key of content or of an owner's pages carries it
    (with the content's version), so a deploy that changes a template or a cached class
    retires what the old code cached, as a content load does, instead of showing it (or
    failing to unpickle it) for up to PAGE_CACHE_SECONDS. Computed on first use, not at
    start-up (about 25 ms)."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for package in ("questions", "quizsite"):
        for path in sorted((root / package).rglob("*")):
            if path.suffix in (".py", ".html", ".css", ".js") and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def content_memo(name: str, compute: Callable[[], T]) -> T:
    """A value computed from the content alone (the same for every visitor, such as each
    topic's number of questions), kept until the content changes: in the shared cache, and
    for a few seconds in this worker's memory. Computed every time when the page cache is
    off (development), so edits show on reload."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return compute()
    key = f"content-memo:{_version()}:{name}"
    found = _local_get(key)
    if found is None:
        found = cache.get(key)
        if found is None:
            found = compute()
            _store(key, found)
        _local_set(key, found)
    return found


def finite_query(request: HttpRequest) -> None:
    """Tell the cache that this request's query string is one of a finite set the view
    checked (a filter the page offers, a page number that exists), like its links make:
    such pages are as many as the content and do not spend the query-page budget."""
    setattr(request, FINITE_QUERY_FLAG, True)


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
        and len(request.get_full_path()) <= 300
        and len(get_messages(request)) == 0
    )


def _render(
    view: Callable[..., HttpResponse],
    request: HttpRequest,
    args: Any,
    kwargs: Any,
    *,
    anonymous: bool = True,
) -> tuple[HttpResponse, str]:
    """The view's response rendered for everyone: as an anonymous visitor, with markers
    where per-visitor values go. The real user is back on the request afterwards.
    `anonymous=False` keeps the user, for a visitor's own page (render_own_page)."""
    nonce = secrets.token_hex(16)
    user = request.user
    setattr(request, RENDERING_FLAG, nonce)
    setattr(request, _KEPT, {})
    if anonymous:
        request.user = AnonymousUser()
    try:
        response = view(request, *args, **kwargs)
    finally:
        request.user = user
        setattr(request, RENDERING_FLAG, "")
    return response, nonce


def shared_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the page from the cache (per URL and content version), with its per-visitor
    values filled in for this request, anonymous or logged in."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        version = _version()
        key = f"page-cache:v3:{version}:{path}"
        page: _Page | None = _local_get(key) or cache.get(key)
        if page is None:
            response, nonce = _render(view, request, args, kwargs)
            if response.streaming:
                return response
            page = _Page.split(
                response.content.decode(), nonce, response["Content-Type"], getattr(request, _KEPT)
            )
            if response.status_code != 200 or not _may_store(request, version):
                response.content = page.fill(request)
                return response
            _store(key, page)
        _local_set(key, page)
        return page.response(request)

    return cached_view


def render_own_page(
    view: Callable[[HttpRequest], HttpResponse], request: HttpRequest
) -> tuple[HttpResponse, _Page]:
    """A visitor's own page (their dashboard), for the caller to keep under a key of its own
    (the owner and their data's version, see owner_cache): rendered as this visitor, not as
    a stranger, with markers where the per-request values go (CSRF token, navigation), as
    in any cached page. The response is unfilled; answer with the page's `response`."""
    response, nonce = _render(view, request, (), {}, anonymous=False)
    page = _Page.split(
        response.content.decode(), nonce, response["Content-Type"], getattr(request, _KEPT)
    )
    return response, page
