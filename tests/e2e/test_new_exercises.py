"""A new exercise kind end to end, and the DICOM viewer with a real sample, in Chromium."""

from __future__ import annotations

import re

import numpy as np
import pydicom
import pytest
from playwright.sync_api import Page, expect
from pydicom.data import get_testdata_file
from pydicom.pixels import apply_modality_lut

from .support import exercise_answers, fill_exercise
from .test_exercise_journeys import expect_figure_shown, open_new_exercise

pytestmark = pytest.mark.e2e

CALIBRATION = "Calibration: Brier score, reliability and ECE"


def test_a_calibration_exercise_checked_wrong_then_right_shows_its_reliability_diagram(
    page: Page,
):
    kind, seed = open_new_exercise(page, CALIBRATION)
    assert kind == "calibration"
    fields = page.locator(".exercise-form .field")
    total = fields.count()
    assert total >= 4
    fill_exercise(page, exercise_answers(kind, seed, "medium", right=False))
    expect(page.locator(".result-summary")).to_have_text(f"0 of {total} right.")
    fill_exercise(page, exercise_answers(kind, seed, "medium", right=True))
    expect(page.locator(".result-summary")).to_have_text(f"{total} of {total} right.")
    solution = page.get_by_role("region", name="Worked solution")
    expect(solution.locator("ol.steps li").first).to_be_visible()
    expect_figure_shown(page)
    alt = page.locator(".exercise-figure img").get_attribute("alt") or ""
    assert re.search(r"[Rr]eliability", alt), alt


def test_the_viewer_shows_a_real_ct_sample_under_a_window_and_reads_a_pixel(page: Page):
    page.goto("/dicom/")
    page.get_by_role("link", name=re.compile("CT")).first.click()
    expect(page.locator("img.dicom-image")).to_be_visible()
    assert page.locator("img.dicom-image").evaluate("img => img.complete && img.naturalWidth > 0")
    page.locator("input[name=window][value=lung]").check()
    page.get_by_label("Row").fill("40")
    page.get_by_label("Column").fill("50")
    page.get_by_role("button", name="Show").click()
    reading = page.locator("text=Pixel at row 40, column 50")
    expect(reading).to_be_visible()
    shown = float(reading.locator("strong").inner_text())
    dataset = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    expected = float(np.asarray(apply_modality_lut(dataset.pixel_array, dataset))[40, 50])
    assert shown == pytest.approx(expected, abs=0.01)
    alt = page.locator("img.dicom-image").get_attribute("alt") or ""
    assert "lung window" in alt and "centre -600" in alt, alt
