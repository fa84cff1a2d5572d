"""Full-page screenshots of every main page, to look at before a change to the design ships.

They go to tests/e2e/screenshots/ (git-ignored), named <page>-<width>-<scheme>.png. The test
also fails on what a screenshot shows at a glance: a page that scrolls sideways.
"""

from pathlib import Path

import pytest

from .support import DESKTOP, PHONE, visit

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).parent / "screenshots"
# The innermost elements that stick out past the right edge, if the page scrolls sideways.
STICKING_OUT = """() => {
  const edge = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= edge) return [];
  const out = [...document.body.querySelectorAll("*")].filter(
    (el) => el.getBoundingClientRect().right > edge + 0.5);
  return out.filter((el) => !out.some((other) => other !== el && el.contains(other)))
    .slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1440"])
def test_every_main_page_fits_the_screen(new_context, log_in, tour, viewport, scheme):
    SCREENSHOTS.mkdir(exist_ok=True)
    visitor = new_context(viewport=viewport, color_scheme=scheme).new_page()
    member_context = new_context(viewport=viewport, color_scheme=scheme)
    log_in(member_context, tour.member)
    member = member_context.new_page()
    too_wide = []
    for page, stops in ((visitor, tour.anonymous), (member, tour.logged_in)):
        for stop in stops:
            visit(page, stop)
            name = f"{stop.name}-{viewport['width']}-{scheme}.png"
            page.screenshot(path=SCREENSHOTS / name, full_page=True, animations="disabled")
            if sticking_out := page.evaluate(STICKING_OUT):
                too_wide.append(f"{stop.name} scrolls sideways: {sticking_out}")
    assert not too_wide, too_wide
