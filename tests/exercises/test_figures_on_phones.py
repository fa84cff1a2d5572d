"""Exercise figures read on a phone and in dark mode: sized by their viewBox, text at least
12 px in a 375 px wide screen, transparent, drawn in the page's colours."""

import re
import xml.etree.ElementTree as ET

import pytest
from matplotlib.text import Text

from questions.exercises import KINDS, LEVELS, generate
from questions.exercises.figures import draw_figure, render_figure
from questions.plotting import (
    FAINT,
    FIGURE_WIDTH_IN,
    GREY,
    GRID,
    INK,
    MIN_FONT_PT,
    PAPER,
    PHONE_COLUMN_PX,
)

EVERY_KIND_AND_LEVEL = [(kind, level) for kind in KINDS for level in LEVELS]
SVG = "{http://www.w3.org/2000/svg}"


def test_the_smallest_font_is_12_px_in_a_375_px_screen():
    # The column is 343 px at 375 px; the SVG's user unit is the point of its viewBox.
    assert PHONE_COLUMN_PX == 375 - 32
    assert pytest.approx(12) == MIN_FONT_PT * PHONE_COLUMN_PX / (FIGURE_WIDTH_IN * 72)


@pytest.mark.parametrize(("kind", "level"), EVERY_KIND_AND_LEVEL)
def test_no_text_is_smaller_than_the_phone_minimum(kind, level):
    figure, _alt = draw_figure(generate(kind, 2, level))
    figure.canvas.draw()  # tick labels exist once drawn
    too_small = [
        (text.get_text(), text.get_fontsize())
        for text in figure.findobj(Text)
        if text.get_visible() and text.get_text().strip() and text.get_fontsize() < MIN_FONT_PT
    ]
    assert too_small == []
    assert figure.get_size_inches()[0] == FIGURE_WIDTH_IN


@pytest.mark.parametrize(("kind", "level"), EVERY_KIND_AND_LEVEL)
def test_the_svg_scales_by_its_view_box_with_no_fixed_size(kind, level):
    root = ET.fromstring(render_figure(generate(kind, 2, level)).content)
    assert "width" not in root.attrib and "height" not in root.attrib
    x, y, width, height = map(float, root.attrib["viewBox"].split())
    assert (x, y) == (0, 0) and width == FIGURE_WIDTH_IN * 72 and height > 0


@pytest.mark.parametrize(("kind", "level"), EVERY_KIND_AND_LEVEL)
def test_the_svg_has_no_white_box_and_follows_the_theme(kind, level):
    svg = render_figure(generate(kind, 2, level)).content.decode()
    root = ET.fromstring(svg)
    background = root.find(f".//{SVG}g[@id='patch_1']/{SVG}path")
    assert background is not None and "fill: none" in background.attrib["style"]
    assert "fill: #ffffff" not in background.attrib["style"]
    # Every theme colour was swapped for CSS; text and axes are drawn in currentColor.
    for token in (INK, PAPER, GREY, GRID, FAINT):
        assert token not in svg
    assert "currentColor" in svg
    assert "@media (prefers-color-scheme: dark)" in svg


def test_a_dark_theme_has_light_text():
    svg = render_figure(generate("roc", 2, "easy")).content.decode()
    dark = re.search(r"@media \(prefers-color-scheme: dark\)\{svg\{color:(#[0-9a-f]{6})", svg)
    assert dark and dark.group(1) == "#e6e9ef"  # site.css --text in dark mode


def test_the_theme_rewrite_keeps_the_bytes_deterministic():
    exercise = generate("calibration", 5, "hard")
    assert render_figure(exercise).content == render_figure(exercise).content
