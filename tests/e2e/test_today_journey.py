import re

import pytest
from playwright.sync_api import Page, expect

from questions.models import ReviewCard

pytestmark = pytest.mark.e2e


def answer_shown_question(page: Page) -> None:
    """Give some answer to the question on the page, whatever its type."""
    if page.locator("input[name=choice]").count():
        page.locator("input[name=choice]").first.check()
    elif page.locator("input[name=answer][type=radio]").count():
        page.locator("input[name=answer]").first.check()
    elif page.locator("textarea#draft").count():
        page.get_by_role("button", name="Show the model answer").click()
        page.get_by_label("I got part of it").check()
        page.get_by_role("button", name="Record my rating").click()
        return
    else:
        page.locator("input[name=answer]").fill("0.5")
    page.get_by_role("button", name="Check my answer").click()


def test_a_visitor_runs_a_short_session_from_a_due_review_to_the_finish(page: Page):
    page.goto("/glossary/recall/")
    page.get_by_role("button", name=re.compile("hard", re.I)).click()
    expect(page.get_by_role("status")).to_contain_text("It is due in 1 min")
    ReviewCard.objects.update(due="2020-01-01T00:00:00Z")  # a minute later, as far as FSRS knows

    page.goto("/today/")
    page.get_by_label("Daily goal").fill("3")
    page.get_by_role("button", name="Set goal").click()
    expect(page.get_by_role("heading", name="3 items today")).to_be_visible()
    page.get_by_role("button", name="Start today's practice").click()

    # 1: the due review, Anki's way
    expect(page.locator(".today-progress")).to_contain_text("1 of 3")
    expect(page.get_by_role("heading", name="Recall")).to_be_visible()
    expect(page.locator(".rating-row")).to_have_count(0)
    page.get_by_role("button", name="Show answer").click()
    expect(page.locator("#answer")).to_contain_text("one minus recall is the share of disease")
    expect(page.get_by_role("button", name=re.compile(r"^Good\s+10 min$"))).to_be_visible()
    page.get_by_role("button", name=re.compile("^Good")).click()
    expect(page.get_by_role("status").first).to_contain_text("next review in 10 min")

    # 2: a new question, checked on the server; a reload shows the same one
    expect(page.locator(".today-progress")).to_contain_text("2 of 3")
    title = page.get_by_role("heading", level=1).inner_text()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    answer_shown_question(page)
    expect(page.locator("#result")).to_be_visible()
    page.get_by_role("link", name="Next item").click()

    # 3: the live exercise
    expect(page.locator(".today-progress")).to_contain_text("3 of 3")
    expect(page.get_by_role("heading", name="Worked solution")).to_have_count(0)
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("heading", name="Worked solution")).to_be_visible()
    page.get_by_role("link", name="See what you learned").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Today's practice is done")
    expect(page.locator(".lead")).to_contain_text("goal streak: 1 day in a row")
    expect(page.get_by_role("region", name="Next reviews")).to_contain_text("The next one is due")
    expect(page.locator(".today-items tbody tr")).to_have_count(3)

    page.goto("/")
    expect(page.locator(".today-call")).to_contain_text("Today's practice is done")
