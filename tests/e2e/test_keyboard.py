import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

# The focused element shows a ring: an outline or a box shadow that :focus-visible gives it.
FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {
    ring: outline || style.boxShadow !== "none",
    focusVisible: el.matches(":focus-visible"),
    what: el.outerHTML.slice(0, 120),
  };
}"""


def press(page: Page, key: str) -> None:
    page.keyboard.press(key)
    focus = page.evaluate(FOCUS_RING)
    if focus["what"].startswith("<body"):
        return
    assert focus["focusVisible"] and focus["ring"], f"no visible focus after {key}: {focus}"


def tab_to(page: Page, target: Locator, limit: int = 60) -> None:
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        press(page, "Tab")
    raise AssertionError(f"{limit} presses of Tab did not reach {target}")


def answer_with_keys(page: Page, item: Locator) -> None:
    fields = item.locator("input:not([type=hidden]), textarea")
    kind = fields.first.get_attribute("type")
    tab_to(page, fields.first)
    if kind == "radio":
        press(page, "Space")
        press(page, "ArrowDown")  # arrows move the choice within the group
    elif kind == "checkbox":
        press(page, "Space")
    else:
        for n in range(fields.count()):
            tab_to(page, fields.nth(n))
            page.keyboard.type("1" if fields.nth(n).get_attribute("inputmode") else "Stratify.")
    tab_to(page, item.get_by_role("button", name="Save answer"))
    press(page, "Enter")
    expect(item.locator(".save-status")).to_have_text("Saved")


def test_a_whole_quiz_can_be_taken_with_the_keyboard_alone(page: Page):
    page.goto("/quizzes/")
    press(page, "Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()
    tab_to(page, page.get_by_role("button", name="Start Class imbalance and metrics"))
    page.keyboard.press("Enter")  # leaves the page: nothing to check the focus of
    tab_to(page, page.get_by_role("button", name=re.compile(r"^Start the quiz")))
    page.keyboard.press("Enter")

    items = page.locator("section.quiz-item")
    expect(items).to_have_count(14)
    for n in range(items.count()):
        answer_with_keys(page, items.nth(n))
    expect(page.locator(".question-map a.answered")).to_have_count(14)
    tab_to(page, page.get_by_role("button", name="Finish and see the review"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text(": review")
    expect(page.locator(".verdict-line", has_text="Not answered")).to_have_count(0)
