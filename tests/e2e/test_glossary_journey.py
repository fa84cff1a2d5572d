import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_a_newcomer_finds_hounsfield_units_and_follows_a_see_also_link(page: Page):
    page.goto("/")
    page.get_by_label("Look up a term").fill("Hounsfield")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url("/glossary/?q=Hounsfield")
    expect(page.get_by_role("status")).to_contain_text("1 term matches “Hounsfield”")
    page.get_by_role("link", name="Hounsfield unit (HU)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hounsfield unit (HU)")
    expect(page.locator(".definition")).to_contain_text("water is 0 HU")
    see_also = page.get_by_role("region", name="See also")
    see_also.get_by_role("link", name="Computed tomography").click()

    expect(page).to_have_url("/glossary/computed-tomography/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Computed tomography")
