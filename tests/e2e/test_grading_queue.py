"""An interviewer grades two open answers through the queue, one with the keys only, and
the candidate's score on the results page goes from provisional to final."""

import pytest
from playwright.sync_api import expect

from questions.interviews import invites, sets
from questions.models import Attempt, Question
from questions.owners import Owner
from questions.quizzes import services as attempts

from .support import axe_problems, make_user

pytestmark = pytest.mark.e2e

FIRST = "segmentation-2d-vs-3d"
SECOND = "segmentation-open-postprocessing"


def _set_with_an_answering_candidate(owner) -> Attempt:
    interview_set = sets.set_create(
        owner=owner, title="Segmentation panel", description="", time_limit_minutes=30
    )
    for ext_id in (FIRST, SECOND):
        sets.entry_add(interview_set=interview_set, question=Question.objects.get(ext_id=ext_id))
    invite = invites.invite_create(interview_set=interview_set, label="Bob")
    attempt = invites.invite_start(
        invite=invite, owner=Owner(None, "bob-session"), candidate_name="Bob"
    )
    attempt = attempts.attempt_begin(attempt=attempt)  # Start, on the quiz's start page
    attempts.attempt_answer(attempt=attempt, position=1, response="3D for CT, 2.5D if memory")
    attempts.attempt_answer(attempt=attempt, position=2, response="Only on validation folds")
    return attempts.attempt_finish(attempt=attempt)


def test_an_interviewer_grades_two_answers_in_the_queue(new_context, log_in):
    alice = make_user("alice", interviewer=True)
    attempt = _set_with_an_answering_candidate(alice)
    page = new_context().new_page()
    log_in(page.context, alice)

    page.goto(f"/sets/{attempt.interview_set_id}/results/")
    row = page.get_by_role("region", name="Candidates").get_by_role("row", name="Bob")
    expect(row).to_contain_text("provisional")
    expect(row).to_contain_text("2 awaiting grading")
    page.get_by_role("link", name="Grade the next answer").click()

    # The first answer with the keys alone: 1, 1, h, 0, 5 over the five rubric points, and
    # Enter on the Save button that takes the focus once every point has a mark.
    expect(page.get_by_text("0 of 2 graded")).to_be_visible()
    expect(page.get_by_role("heading", name="2D, 2.5D or 3D segmentation")).to_be_visible()
    expect(page.get_by_text("3D for CT, 2.5D if memory")).to_be_visible()
    expect(page.get_by_text("Keys: 0, h or 5 for ½")).to_be_visible()
    assert axe_problems(page, "grading queue") == []
    # Keys pressed outside the form do nothing (WCAG 2.1.4); the page says where they work.
    expect(page.get_by_text("Shortcuts work while the form has focus")).to_be_visible()
    page.keyboard.press("1")
    page.keyboard.press("s")
    expect(page.locator("fieldset.mark-buttons input:checked")).to_have_count(0)
    expect(page.get_by_text("0 of 2 graded")).to_be_visible()
    page.get_by_text("The question", exact=True).focus()  # the form's first control
    for key in "11h05":
        page.keyboard.press(key)
    expect(page.get_by_role("button", name="Save and next")).to_be_focused()
    # Skipping now would discard five marks: it asks, and "Cancel" keeps them on the page.
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.keyboard.press("s")
    assert asked == ["Skip this answer? The marks you chose are not saved."]
    expect(page.locator("fieldset.mark-buttons input:checked")).to_have_count(5)
    expect(page.get_by_role("button", name="Save and next")).to_be_focused()
    page.keyboard.press("Enter")

    # The second with the mouse: 1 on every point, a comment, Save.
    expect(page.get_by_text("Saved: Bob")).to_be_visible()
    expect(page.get_by_text("1 of 2 graded")).to_be_visible()
    expect(page.get_by_text("Only on validation folds")).to_be_visible()
    for point in page.locator("fieldset.mark-buttons").all():
        point.get_by_text("1", exact=True).click()
    page.get_by_label("Comment").fill("Strong on validation.")
    page.get_by_role("button", name="Save and next").click()

    expect(page.get_by_role("heading", name="Everything is graded")).to_be_visible()
    expect(page.get_by_text("2 of 2 graded")).to_be_visible()
    page.get_by_role("link", name="Back to the results").click()
    # (1 + 1 + 0.5 + 0 + 0.5) / 5 = 0.6, and 1: 1.6 of 2, final.
    row = page.get_by_role("region", name="Candidates").get_by_role("row", name="Bob")
    expect(row).to_contain_text("80%")
    expect(row).to_contain_text("1.60/2")
    expect(row).not_to_contain_text("provisional")
    attempt.refresh_from_db()
    assert attempt.score == pytest.approx(1.6)
