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
    # Figures too: an exercise's appears with its solution now, the progress chart on /me/.
    assert any("/figure/" in url or url.endswith(".svg") for url in requested)


CDN_IMAGE = """() => {
  const img = document.createElement("img");
  img.src = "https://cdn.example.com/logo.png";
  document.body.append(img);
}"""


def test_the_guard_notices_a_request_to_another_origin(browser, site):
    guard = Guard(site)
    # Without the site's CSP the browser would send the request: the guard aborts it.
    context = browser.new_context(base_url=site, bypass_csp=True)
    guard.watch(context)
    page = context.new_page()
    page.goto("/")
    with page.expect_event("requestfailed"):
        page.evaluate(CDN_IMAGE)
    context.close()
    with pytest.raises(AssertionError, match="requests left"):
        guard.assert_clean()
    assert guard.foreign == ["https://cdn.example.com/logo.png"]


def test_the_sites_csp_stops_a_foreign_load_before_it_is_sent(browser, site):
    guard = Guard(site)
    context = browser.new_context(base_url=site)
    guard.watch(context)
    page = context.new_page()
    page.goto("/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(CDN_IMAGE)
    context.close()
    assert guard.foreign == []  # never became a request
    with pytest.raises(AssertionError, match="blocked by the Content-Security-Policy"):
        guard.assert_clean()
