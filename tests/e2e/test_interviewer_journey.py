import pytest
from playwright.sync_api import Page, expect

from .support import answer_quiz_item, make_user, press_start

pytestmark = pytest.mark.e2e


def add_from_bank(page: Page, text: str, title: str) -> None:
    page.get_by_label("Text").fill(text)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("button", name=f"Add {title}").click()
    expect(page.locator(".entry-list")).to_contain_text(title)


def test_an_interviewer_invites_a_candidate_and_reads_the_result(new_context, log_in):
    interviewer = new_context().new_page()
    log_in(interviewer.context, make_user("alice", interviewer=True))

    interviewer.goto("/")
    interviewer.get_by_role("link", name="My sets").click()
    interviewer.get_by_role("link", name="New set").click()
    interviewer.get_by_label("Title").fill("Junior imaging screen")
    interviewer.get_by_label("Description").fill("Two questions on *imbalanced* data.")
    interviewer.get_by_label("Time limit (minutes)").fill("15")
    interviewer.get_by_label("Show candidates the answers").check()
    interviewer.get_by_role("button", name="Create the set").click()
    expect(interviewer.get_by_role("heading", level=1)).to_have_text("Junior imaging screen")
    add_from_bank(interviewer, "F1 score", "F1 score from a confusion matrix")
    add_from_bank(interviewer, "accuracy", "What 98 % accuracy tells you at 2 % prevalence")

    interviewer.get_by_role("link", name="Invites").click()
    interviewer.get_by_label("Candidates").fill("Bob, round 1")
    interviewer.get_by_role("button", name="Create the invites").click()
    link = interviewer.get_by_role("textbox", name="Link of Bob, round 1").input_value()

    candidate = new_context().new_page()
    candidate.goto(link)
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Junior imaging screen")
    candidate.get_by_label("Your name").fill("Bob")
    candidate.get_by_role("button", name="Continue to the start page").click()
    expect(candidate.get_by_text("Time limit: 15 minutes")).to_be_visible()
    press_start(candidate)
    items = candidate.locator("section.quiz-item")
    expect(items).to_have_count(2)
    answer_quiz_item(items.nth(0))
    answer_quiz_item(items.nth(1))
    candidate.get_by_role("button", name="Finish and see the review").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Junior imaging screen: review")
    score = candidate.locator(".score").inner_text()

    interviewer.get_by_role("link", name="Results").click()
    candidates = interviewer.get_by_role("region", name="Candidates")
    row = candidates.get_by_role("row", name="Bob")
    expect(row).to_contain_text(score.split("(")[1].rstrip(")"))  # the same percentage
    row.get_by_role("link", name="Bob").click()
    expect(interviewer.get_by_role("heading", level=1)).to_contain_text("Bob")
