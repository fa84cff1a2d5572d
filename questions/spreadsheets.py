"""Pure: CSV cells that a spreadsheet shows as text, never runs as a formula.

Excel, LibreOffice and Google Sheets treat a cell that begins with ``=``, ``+``, ``-`` or ``@``
as a formula (and a leading tab or carriage return can hide one), so a candidate named
``=HYPERLINK(...)`` would run in the interviewer's spreadsheet. OWASP's remedy is to start such
a cell with an apostrophe, which the spreadsheet shows as text.

Numbers stay numbers: ints and floats pass unchanged, and so does text that is a plain decimal
number (``-0.5``, ``0.750``), which no spreadsheet reads as a formula. Only other text is
escaped, so a numeric column can still be summed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def safe_cell(value: object) -> object:
    """The value, or for text that a spreadsheet would run, the text behind an apostrophe."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_row(values: Iterable[object]) -> list[object]:
    """One CSV row with every cell made safe (see safe_cell)."""
    return [safe_cell(value) for value in values]
