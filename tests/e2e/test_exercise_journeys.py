import re

import pydicom
import pytest
from playwright.sync_api import Page, expect

from .support import exercise_answers, fill_exercise

pytestmark = pytest.mark.e2e

CLASSIFICATION = "Confusion matrix and classification metrics"
DICOM = "DICOM: Hounsfield units, windowing and de-identification"


def open_new_exercise(page: Page, title: str) -> tuple[str, int]:
    page.goto("/exercises/")
    page.get_by_role("link", name=f"New medium {title} exercise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    match = re.search(r"/exercises/(\w+)/(\d+)/\?level=medium$", page.url)
    assert match, page.url
    return match[1], int(match[2])


def expect_figure_shown(page: Page) -> None:
    figure = page.locator(".exercise-figure img")
    expect(figure).to_be_visible()
    expect(figure).to_have_attribute("alt", re.compile(r"\w{3,}.{20,}"))
    assert figure.evaluate("img => img.complete && img.naturalWidth > 0"), "figure did not load"


def test_a_candidate_corrects_wrong_metrics_and_sees_the_solution(page: Page):
    kind, seed = open_new_exercise(page, CLASSIFICATION)
    fields = page.locator(".exercise-form .field")
    total = fields.count()
    assert total >= 4

    fill_exercise(page, exercise_answers(kind, seed, "medium", right=False))

    expect(page.locator(".result-summary")).to_have_text(f"0 of {total} right.")
    expect(page.locator(".field.is-wrong")).to_have_count(total)
    expect(page.locator(".field.is-wrong .mark").first).to_contain_text("✗")

    fill_exercise(page, exercise_answers(kind, seed, "medium", right=True))

    expect(page.locator(".result-summary")).to_have_text(f"{total} of {total} right.")
    expect(page.locator(".field.is-right")).to_have_count(total)
    solution = page.get_by_role("region", name="Worked solution")
    expect(solution.locator("ol.steps li").first).to_be_visible()
    expect(solution.locator("math").first).to_be_attached()  # formulas arrive as MathML
    expect_figure_shown(page)


def test_a_dicom_exercise_shows_its_image_and_its_file_opens_with_pydicom(page: Page, tmp_path):
    kind, seed = open_new_exercise(page, DICOM)
    facts = page.locator("dl.facts dd")
    slope, intercept = float(facts.nth(0).inner_text()), float(facts.nth(1).inner_text())

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the .dcm file").click()
    download = download_info.value
    assert download.suggested_filename == f"exercise-{seed}-medium.dcm"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    dataset = pydicom.dcmread(saved)
    assert float(dataset.RescaleSlope) == slope
    assert float(dataset.RescaleIntercept) == intercept
    first = page.locator("table", has_text="Stored values").locator("tbody tr").first
    row, column, stored = (int(first.locator("td").nth(n).inner_text()) for n in (1, 2, 3))
    assert int(dataset.pixel_array[row, column]) == stored

    fill_exercise(page, exercise_answers(kind, seed, "medium", right=True))

    expect(page.locator(".result-summary")).to_contain_text("right.")
    expect_figure_shown(page)
    expect(page.locator(".exercise-figure figcaption")).to_contain_text("HU")


def test_a_first_wrong_check_hides_the_solution_until_asked(page: Page):
    kind, seed = open_new_exercise(page, CLASSIFICATION)
    fill_exercise(page, exercise_answers(kind, seed, "medium", right=False))
    expect(page.locator(".field.is-wrong .mark").first).to_have_text(re.compile(r"✗ incorrect$"))
    expect(page.get_by_role("region", name="Worked solution")).to_have_count(0)

    page.get_by_role("button", name="Show solution").click()

    expect(page.get_by_role("region", name="Worked solution")).to_be_visible()
    expect(page.locator(".field.is-wrong .mark").first).to_contain_text("expected")
    expect_figure_shown(page)


def test_the_data_copies_as_csv_and_as_python(page: Page, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/exercises/roc/4/?level=hard")
    page.get_by_role("button", name="Copy as CSV").click()
    expect(page.locator(".copy-data-status")).to_have_text("CSV copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.splitlines()[0] == "case,labels,scores"
    assert len(copied.splitlines()) == 1 + 37
    page.get_by_role("button", name="Copy as Python").click()
    python = page.evaluate("navigator.clipboard.readText()")
    namespace: dict = {}
    exec(python, namespace)  # the page's own text, made from literals
    assert len(namespace["scores"]) == 37 and namespace["threshold"] == 0.3


def test_without_a_clipboard_the_copy_buttons_stay_hidden(page: Page):
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto("/exercises/roc/4/?level=hard")
    expect(page.get_by_role("button", name="Copy as CSV")).to_be_hidden()
    expect(page.locator(".case-table").first).to_be_visible()


def test_dicom_de_identification_is_answered_with_radio_buttons(page: Page):
    kind, seed = open_new_exercise(page, DICOM)
    fill_exercise(page, exercise_answers(kind, seed, "medium", right=True))
    table = page.locator("table.deid-table")
    expect(table.locator("thead th")).to_have_text(
        ["Attribute", "Value", "Your action", "Expected action", "Why"]
    )
    expect(table.locator("tbody tr.is-wrong")).to_have_count(0)
