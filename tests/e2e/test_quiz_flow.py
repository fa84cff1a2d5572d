"""The quiz flow in a browser: answers given offline are saved once the connection is back,
Finish waits for them, and one question at a time moves with Previous / Next and the map."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from questions.models import Attempt

from .support import press_start

pytestmark = pytest.mark.e2e


def _start_imbalance_set(page: Page, layout: str = "All on one page") -> None:
    page.goto("/quizzes/")
    page.get_by_role("button", name="Start Class imbalance and metrics").click()
    expect(page.get_by_text("The clock has not started")).to_be_visible()
    press_start(page, layout)


def _give_answer(item: Locator) -> None:
    """Answer without waiting for the save: it may not land yet."""
    choice = item.locator("input[type=radio], input[type=checkbox]")
    if choice.count():
        choice.first.check()
        return
    for box in item.locator("input:not([type=hidden]), textarea").all():
        box.fill("0.5" if box.get_attribute("inputmode") == "decimal" else "Stratify.")
        box.blur()


def _leaving_would_warn(page: Page) -> bool:
    return page.evaluate(
        """() => { const e = new Event("beforeunload", {cancelable: true});
                   window.dispatchEvent(e); return e.defaultPrevented; }"""
    )


def test_answers_given_offline_are_saved_when_the_connection_returns(page: Page):
    _start_imbalance_set(page)
    items = page.locator("section.quiz-item")
    _give_answer(items.nth(0))
    expect(items.nth(0).locator(".save-status")).to_have_text("Saved")
    assert not _leaving_would_warn(page)

    page.context.set_offline(True)
    for n in (1, 2, 3):
        _give_answer(items.nth(n))
    for n in (1, 2, 3):
        expect(items.nth(n).locator(".save-status")).to_contain_text("Not saved yet")
    expect(items.nth(1).locator(".save-status")).to_contain_text("Trying again in")
    expect(page.locator("#map-2")).not_to_have_class("answered")
    assert _leaving_would_warn(page)
    attempt = Attempt.objects.get()
    assert attempt.items.filter(answer__isnull=False).count() == 1

    page.context.set_offline(False)
    for n in (1, 2, 3):
        expect(items.nth(n).locator(".save-status")).to_have_text("Saved")
        expect(page.locator(f"#map-{n + 1}")).to_have_class("answered")
    assert not _leaving_would_warn(page)
    saved = attempt.items.filter(answer__isnull=False)
    assert sorted(saved.values_list("position", flat=True)) == [1, 2, 3, 4]
    # Each item holds one answer, whatever number of tries it took.
    assert attempt.items.count() == 14


def test_finish_waits_for_answers_that_could_not_be_sent_yet(page: Page):
    _start_imbalance_set(page)
    items = page.locator("section.quiz-item")
    page.context.set_offline(True)
    _give_answer(items.nth(0))
    expect(items.nth(0).locator(".save-status")).to_contain_text("Not saved yet")
    page.get_by_role("button", name="Finish and see the review").click()
    expect(page.locator("#finish-note")).to_contain_text("Waiting for the connection")
    attempt = Attempt.objects.get()
    assert not attempt.items.filter(answer__isnull=False).exists()

    page.context.set_offline(False)
    # The answer lands first, then the finish: the summary counts it as answered.
    expect(page.locator("#finish-heading")).to_have_text(
        "13 of 14 questions not answered: finish anyway?"
    )
    assert attempt.items.get(position=1).answer is not None
    page.get_by_role("button", name="Finish anyway").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(": review")
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.items.filter(answer__isnull=False).count() == 1


def _arrived(page: Page) -> None:
    """The page's scripts run (deferred: before DOMContentLoaded). A URL or an element can
    match before they do, and an answer given then is never sent: no person is that fast."""
    page.wait_for_load_state("domcontentloaded")


def test_one_question_at_a_time_with_the_map_and_previous_next(page: Page):
    _start_imbalance_set(page, layout="One question at a time")
    expect(page.locator("section.quiz-item")).to_have_count(1)
    expect(page.locator("#map-1")).to_have_attribute("aria-current", "step")
    _arrived(page)
    _give_answer(page.locator("section.quiz-item"))
    page.get_by_role("button", name="Next →").click()
    expect(page).to_have_url(re.compile(r"\?q=2$"))
    _arrived(page)
    expect(page.locator("#map-1")).to_have_class("answered")
    expect(page.locator("#map-2")).to_have_attribute("aria-current", "step")
    _give_answer(page.locator("section.quiz-item"))
    page.locator("#map-5").click()
    expect(page.locator("#map-5")).to_have_attribute("aria-current", "step")
    expect(page.locator("#map-2")).to_have_class("answered")
    page.get_by_role("button", name="← Previous").click()
    expect(page.locator("#map-4")).to_have_attribute("aria-current", "step")
    page.get_by_role("button", name="Show all questions on one page").click()
    expect(page.locator("section.quiz-item")).to_have_count(14)
    assert Attempt.objects.get().items.filter(answer__isnull=False).count() == 2
