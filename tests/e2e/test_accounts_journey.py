import re

import pytest
from playwright.sync_api import Page, expect

from questions.models import Attempt

from .support import PASSWORD, answer_quiz_item, finish_quiz, press_start

pytestmark = pytest.mark.e2e


def answers_recorded(page: Page) -> str:
    page.goto("/me/")
    return page.locator(".stat", has_text="answers recorded").locator(".stat-value").inner_text()


def test_practice_before_signing_up_shows_on_the_new_accounts_dashboard(page: Page):
    page.goto("/questions/class-imbalance-accuracy-misleads/")
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#result-heading")).to_have_text(re.compile(r"^\s*(Right|Not right)\s*$"))
    page.goto("/quizzes/")
    page.get_by_role("button", name="Start quick quiz").click()
    press_start(page)
    answer_quiz_item(page.locator("section.quiz-item").first)
    finish_quiz(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Quick mixed quiz: review")
    before = answers_recorded(page)
    assert int(before) >= 2
    expect(page.locator(".notice")).to_contain_text("You are practising without an account")

    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url("/me/")
    expect(page.get_by_role("status")).to_contain_text("Welcome, dana")
    expect(page.locator(".notice")).to_have_count(0)
    assert answers_recorded(page) == before
    recent = page.get_by_role("region", name="Recent quizzes")
    expect(recent.get_by_role("link", name="Quick mixed quiz")).to_be_visible()
    assert Attempt.objects.filter(user__username="dana", anon_token="").count() == 1
