"""How every typed number on the site is read: practice, quizzes, invites and exercises.

One rule, so the same text never scores as two different numbers on two pages:

- a point is the decimal mark; a comma is one too when it cannot be a thousands separator
  ("0,727" is 0.727, "12,5" is 12.5, "3,14159" is 3.14159);
- commas between groups of three digits are thousands separators only when there is no doubt:
  "1,250,000" and "1,250.5" are read; "1,250" could be 1250 or 1.25 and is refused with a
  sentence asking to write it without a separator;
- "75%" is 0.75, unless the question's unit is % ("17.2%" is then 17.2 percentage points);
  spaces (also thin and no-break ones) are ignored; "−3" (Unicode minus) is -3; full-width
  digits are read as digits, other scripts' digits are refused;
- nothing else: no "1_000", no hex, no infinities, nothing longer than MAX_LENGTH characters.

Pure Python: no Django.
"""

from __future__ import annotations

import math
import re
import unicodedata

MAX_LENGTH = 40

# ASCII digits only: "\d" would also take Arabic-Indic or Devanagari digits, which float()
# reads but the thousands rule below would not see.
_PLAIN = re.compile(r"\d+(\.\d*)?|\.\d+", re.ASCII)
_EXPONENT = re.compile(r"(\d+(\.\d*)?|\.\d+)[eE][-+]?\d{1,3}", re.ASCII)
_GROUPED = re.compile(r"[1-9]\d{0,2}(,\d{3})+(\.\d+)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"\d+,\d+", re.ASCII)


class NumberError(ValueError):
    """Text that is not a number, or not one without doubt; the message says what to type."""


def read_number(text: str, *, percent_points: bool = False) -> float:
    """The number `text` stands for, by the rule above; NumberError otherwise.

    `percent_points`: the answer is itself in % (the question's unit), so a trailing % is
    only the unit and "17.2%" is 17.2."""
    shown = text.strip()[:MAX_LENGTH]
    compact = unicodedata.normalize("NFKC", "".join(text.split())).replace("\u2212", "-")
    if len(compact) > MAX_LENGTH:
        raise NumberError(f"Too long for a number: keep it to {MAX_LENGTH} characters.")
    percent = compact.endswith("%")
    body = compact[:-1] if percent else compact
    sign = body[:1] if body[:1] in "+-" else ""
    digits = body[len(sign) :]
    if _PLAIN.fullmatch(digits) or _EXPONENT.fullmatch(digits):
        value = float(digits)
    elif "," in digits and _GROUPED.fullmatch(digits):
        if digits.count(",") == 1 and "." not in digits:
            raise NumberError(
                f"{shown!r} could be read two ways ({digits.replace(',', '')} or "
                f"{digits.replace(',', '.')}): write it without a thousands separator, and "
                "with a point for decimals."
            )
        value = float(digits.replace(",", ""))
    elif _DECIMAL_COMMA.fullmatch(digits):
        value = float(digits.replace(",", "."))
    else:
        raise NumberError(f"{shown!r} is not a number: type e.g. 0.75, 0,75 or 75%.")
    if not math.isfinite(value):
        raise NumberError("Enter a finite number.")
    value = -value if sign == "-" else value
    return value / 100 if percent and not percent_points else value


def number_from(value: object, *, percent_points: bool = False) -> float:
    """A number sent as JSON (int or float) or as text; NumberError for anything else."""
    if isinstance(value, bool):
        raise NumberError("Enter a number, not true or false.")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise NumberError("That number is too large.") from None
        if not math.isfinite(number):
            raise NumberError("Enter a finite number.")
        return number
    if isinstance(value, str):
        return read_number(value, percent_points=percent_points)
    raise NumberError("Enter a single number such as 0.75.")


def plain_int(text: str, *, max_digits: int = 18) -> int | None:
    """`text` as a whole number if it is only ASCII digits, at most `max_digits` of them (so
    it fits a 64-bit database id), else None. For ids in URLs and command arguments:
    str.isdigit() is no guard before int(), since "²" passes it and int() then raises."""
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
