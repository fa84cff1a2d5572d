"""Browser tests: one Debian Chromium per session, a fresh context per test, a live server.

Every context records the requests its pages make; a test fails if any went to another origin
or if a page threw an uncaught JavaScript error. Nothing here downloads a browser: Playwright
drives the Chromium that `apt-get install chromium` puts at /usr/bin/chromium.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from .support import DESKTOP, SLOW, Guard, Tour, build_tour

# Playwright's sync API keeps an asyncio loop in this thread, which makes Django refuse ORM
# calls from the test body ("cannot call this from an async context"). The test code is
# synchronous all the same, so telling Django so is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
expect.set_options(timeout=SLOW)

# Debian's Chromium by default; QUIZSITE_CHROMIUM names another Chromium-based browser
# (GitHub's Ubuntu runners have Google Chrome at /usr/bin/google-chrome).
CHROMIUM = Path(os.environ.get("QUIZSITE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium calls home (updates, sync, field trials) and is refused here.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CONTENT = Path(settings.BASE_DIR) / "content"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if os.environ.get("QUIZSITE_SKIP_E2E") == "1":
        pytest.skip("QUIZSITE_SKIP_E2E=1: browser tests skipped on request")
    if not CHROMIUM.exists():
        # Failing, not skipping: a CI without a browser must not pass by testing nothing.
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: apt-get install -y chromium "
            "(or set QUIZSITE_SKIP_E2E=1 to skip the browser tests on purpose)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server, transactional_db) -> str:
    """The live server's URL, with the real content/ folder loaded (each test's DB is new)."""
    from questions.catalog.sync import content_sync

    report = content_sync(CONTENT)
    assert report.ok, report.problems
    return live_server.url


@pytest.fixture
def new_context(browser: Browser, site: str) -> Iterator[Callable[..., BrowserContext]]:
    """Open a browser context on the live site: `new_context(color_scheme="dark", ...)`.

    Several contexts are separate browsers as far as the site knows (cookies, sessions), as
    an interviewer and a candidate need. All are checked for foreign requests and JS errors.
    """
    opened: list[tuple[BrowserContext, Guard]] = []

    def open_context(**options) -> BrowserContext:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("color_scheme", "light")
        context = browser.new_context(base_url=site, accept_downloads=True, **options)
        context.set_default_timeout(SLOW)
        guard = Guard(site.rstrip("/"))
        guard.watch(context)
        opened.append((context, guard))
        return context

    yield open_context
    for context, _ in opened:
        context.close()
    for _, guard in opened:
        guard.assert_clean()


@pytest.fixture
def context(new_context) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def log_in(site: str) -> Callable[[BrowserContext, User], None]:
    """Give a context a logged-in session without going through the form (journeys that
    test logging in use the form)."""

    def log_context_in(context: BrowserContext, user: User) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site}]
        )

    return log_context_in


@pytest.fixture
def tour(site: str) -> Tour:
    return build_tour()
