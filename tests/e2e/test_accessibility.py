import pytest
from playwright.sync_api import BrowserContext, expect

from .support import axe_problems, visit

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_main_pages_have_no_serious_accessibility_violations(new_context, log_in, tour, scheme):
    problems: list[str] = []
    visitor = new_context(color_scheme=scheme).new_page()
    for stop in tour.anonymous:
        visit(visitor, stop)
        problems += axe_problems(visitor, f"{stop.name} ({scheme})")
    member_context: BrowserContext = new_context(color_scheme=scheme)
    log_in(member_context, tour.member)
    member = member_context.new_page()
    for stop in tour.logged_in:
        visit(member, stop)
        problems += axe_problems(member, f"{stop.name} ({scheme})")
    assert not problems, "\n".join(problems)


def test_the_check_itself_catches_an_unlabelled_input(page):
    page.goto("/")
    page.evaluate("document.querySelector('main').append(document.createElement('input'))")
    assert any(" label (critical)" in problem for problem in axe_problems(page, "home"))


def test_the_countdown_is_announced_politely_and_sparingly(page, tour, log_in):
    log_in(page.context, tour.member)
    page.clock.install()  # the page's timers, driven by the test rather than by waiting
    visit(page, next(stop for stop in tour.logged_in if stop.name == "quiz-running"))
    announcer = page.locator("#timer-announce")
    expect(announcer).to_have_attribute("aria-live", "polite")
    # The visible clock changes every second; it must not be a live region itself.
    assert page.locator("#quiz-bar [aria-live]").count() == 0
    page.clock.run_for("00:30")
    expect(announcer).to_be_empty()  # about 19 minutes left: not one of the marks

    page.clock.run_for("05:00")
    expect(announcer).to_have_text("15 minutes left")
    page.clock.run_for("01:00")
    expect(announcer).to_have_text("15 minutes left")  # nothing new a minute later
