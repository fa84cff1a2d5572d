from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from questions.models import Attempt

from .support import SLOW, answer_quiz_item, press_start, seconds_left

pytestmark = pytest.mark.e2e


def start_imbalance_set(page: Page) -> None:
    page.goto("/quizzes/")
    page.get_by_role("button", name="Start Class imbalance and metrics").click()
    press_start(page)


def test_a_candidate_takes_the_class_imbalance_set_across_a_reload(page: Page):
    start_imbalance_set(page)
    items = page.locator("section.quiz-item")
    expect(items).to_have_count(14)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Class imbalance and metrics")
    for n in range(3):
        answer_quiz_item(items.nth(n))
    before = seconds_left(page)
    assert 19 * 60 < before <= 20 * 60

    page.reload()

    after = seconds_left(page)
    assert before - 30 <= after <= before, "the clock restarted or jumped on reload"
    for n in range(3):
        expect(items.nth(n).locator(".save-status")).to_have_text("Saved")
        expect(page.locator(f"#map-{n + 1}")).to_have_class("answered")
    answered = items.nth(0).locator("input[type=radio], input[type=checkbox]")
    if answered.count():
        expect(answered.first).to_be_checked()
    answer_quiz_item(items.nth(3))
    page.get_by_role("button", name="Finish and see the review").click()
    expect(page.locator("#finish-heading")).to_have_text(
        "10 of 14 questions not answered: finish anyway?"
    )
    page.get_by_role("button", name="Finish anyway").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Class imbalance and metrics (20 min): review"
    )
    expect(page.locator(".score")).to_contain_text("/ 14")
    expect(page.get_by_text("Finished by you.")).to_be_visible()
    expect(page.locator("section.review")).to_have_count(14)
    expect(page.locator("section.review .verdict-line").nth(10)).to_contain_text("Not answered")
    expect(page.get_by_role("table", name="Score by topic")).to_be_visible()


def test_the_quiz_ends_by_itself_when_the_time_is_up(page: Page, settings):
    settings.QUIZ_GRACE_SECONDS = 1
    start_imbalance_set(page)
    # A time limit of a few seconds: the server's deadline is what the page counts down to.
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=4))
    page.reload()
    answer_quiz_item(page.locator("section.quiz-item").first)

    expect(page.locator("#timeup")).to_be_visible(timeout=SLOW)
    expect(page.locator("#timeup")).to_contain_text("Time is up")
    expect(page.get_by_role("heading", level=1)).to_contain_text(": review", timeout=SLOW)

    expect(page.get_by_text("Time ran out; the answers saved before")).to_be_visible()
    expect(page.locator(".score")).to_contain_text("/ 14")
    attempt.refresh_from_db()
    assert attempt.ended_by == Attempt.End.EXPIRED
    assert attempt.items.filter(answer__isnull=False).count() == 1
