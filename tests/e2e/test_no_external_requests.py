"""No page asks another origin for anything: no CDN, font service, analytics or embed.

Every test's contexts are guarded the same way (see conftest.new_context); this test walks
every main page on purpose, logged out and in, and proves the guard notices a foreign request.
"""

import pytest

from .support import Guard, visit

pytestmark = pytest.mark.e2e


def test_no_main_page_loads_anything_from_another_origin(browser, site, tour, log_in):
    guard = Guard(site)
    visitor = browser.new_context(base_url=site)
    member = browser.new_context(base_url=site)
    log_in(member, tour.member)
    for context in (visitor, member):
        guard.watch(context)
    requested: set[str] = set()
    for context, stops in ((visitor, tour.anonymous), (member, tour.logged_in)):
        page = context.new_page()
        page.on("request", lambda request: requested.add(request.url))
        for stop in stops:
            visit(page, stop)
        context.close()
    guard.assert_clean()
    assert any(url.endswith(".css") for url in requested)  # the walk did load sub-resources
    assert any("/figure/" in url for url in requested)


def test_the_guard_notices_a_request_to_another_origin(browser, site):
    guard = Guard(site)
    context = browser.new_context(base_url=site)
    guard.watch(context)
    page = context.new_page()
    page.goto("/")
    with page.expect_event("requestfailed"):
        page.evaluate("""() => {
          const img = document.createElement("img");
          img.src = "https://cdn.example.com/logo.png";
          document.body.append(img);
        }""")
    context.close()
    with pytest.raises(AssertionError, match="requests left"):
        guard.assert_clean()
    assert guard.foreign == ["https://cdn.example.com/logo.png"]
