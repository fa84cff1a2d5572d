"""The shape of a live exercise, and the checker for a candidate's answers. No Django here.

An exercise is generated from (kind, seed, level) alone, so the ORM layer only has to store
those three values to show the same numbers again, and the checker needs nothing but the
`Exercise` and the submitted answers.

Conventions every kind follows:

- `expected[name]` is the exact value (not rounded); `Field.tolerance` is the absolute slack
  allowed around it and `Field.decimals` how many decimals the page asks for.
- `expected[name] is None` means the value is undefined for this data (0/0, such as precision
  when nothing was predicted positive). The right answer is then to leave the field blank or
  to write "undefined" (also "n/a", "nan", "none", "-"); a number is marked wrong.
- Yes/no fields (`Field.kind == "yesno"`) store 1.0 for yes and 0.0 for no.
- Text fields (`Field.kind == "text"`) keep their expected short text (an axis code such as
  "LPS", a direction letter, an order of files) in `expected_text`, not `expected`. The
  answer is compared by its letters alone, case-insensitively (see normalise_text): "l, p, s"
  is "LPS".
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..numbers import NumberError, read_number

LEVELS: tuple[str, ...] = ("easy", "medium", "hard")
# Seeds fit a signed 32-bit column and every random generator; files, forms and the API share it.
MAX_SEED = 2**31 - 1

# A tolerance edge (0.75 ± 0.005 given as 0.755) must count as inside despite binary floats.
_EPSILON = 1e-9
# Longer answers are not numbers anyone typed; refusing them early bounds the parsing work.
_MAX_ANSWER_LENGTH = 40
UNDEFINED_WORDS = frozenset({"undefined", "n/a", "na", "nan", "none", "-", "\u2014", "\u2013"})
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
# "Close" (still wrong) is within this many tolerances, or within CLOSE_SHARE of the value:
# near enough to suggest rounding or a slip, not a wrong method.
CLOSE_FACTOR = 5
CLOSE_SHARE = 0.02


@dataclass(frozen=True)
class Field:
    """One answer box: `name` is the answer key, `label` what the page shows."""

    name: str
    label: str
    tolerance: float
    decimals: int
    help: str = ""
    kind: str = "number"  # "number", "yesno" or "text"


@dataclass
class Exercise:
    kind: str
    seed: int
    level: str
    prompt: str  # Markdown: the task in one or two sentences; the data is shown beside it
    data: dict[str, Any]  # JSON-serialisable: lists, ints, floats, strings
    fields: list[Field]
    expected: dict[str, float | None]  # number and yes/no fields
    solution: list[str]  # worked steps, Markdown with $…$ formulas
    expected_text: dict[str, str] = field(default_factory=dict)  # text fields

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Exercise:
        values = dict(raw)
        values["fields"] = [Field(**f) for f in values["fields"]]
        return cls(**values)


@dataclass(frozen=True)
class FieldResult:
    """One field marked. `message` names the expected value (for reviews and the solution);
    `hint` never does, so a first check can say right or wrong and leave room to retry."""

    correct: bool
    expected: float | str | None
    given: float | str | None
    tolerance: float
    message: str
    hint: str = ""
    close: bool = False  # wrong, but within CLOSE_FACTOR tolerances (or 2 %) of the value


@dataclass(frozen=True)
class ParsedAnswer:
    value: float | None = None
    undefined: bool = False  # the candidate said "undefined" or left it blank
    blank: bool = False
    error: str = ""


def rng_for(kind: str, seed: int, level: str) -> np.random.Generator:
    """A generator that depends only on (kind, seed, level).

    sha256 rather than hash(): Python salts str hashes per process, so hash() would give
    different exercises after every restart.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {seed!r}")
    digest = hashlib.sha256(f"{kind}|{seed}|{level}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is 0 (the value is undefined)."""
    if denominator == 0:
        return None
    return numerator / denominator


def fmt(value: float | None, decimals: int = 3) -> str:
    """A number as a solution step shows it: fixed decimals, no '-0.000'."""
    if value is None:
        return "undefined"
    if decimals == 0 and float(value).is_integer():
        return str(int(value))
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def ratio_field(name: str, label: str, help: str = "") -> Field:
    """A ratio asked to 3 decimals: anything rounding to within ±0.005 is accepted."""
    return Field(name, label, tolerance=0.005, decimals=3, help=help or "to 3 decimals")


def count_field(name: str, label: str, help: str = "") -> Field:
    return Field(name, label, tolerance=0.0, decimals=0, help=help or "a whole number")


def yesno_field(name: str, label: str, help: str = "") -> Field:
    return Field(name, label, tolerance=0.0, decimals=0, help=help or "yes or no", kind="yesno")


def text_field(name: str, label: str, help: str) -> Field:
    """A short text answer, such as an axis code; `help` says what to type."""
    return Field(
        name,
        label,
        tolerance=0.0,
        decimals=0,
        help=f"{help}; case and spaces do not matter",
        kind="text",
    )


def normalise_text(raw: str) -> str:
    """The form in which text answers (axis codes, directions, file orders) are compared:
    the letters A-Z only, upper case, after NFKC (full-width letters) and with the ".dcm" of
    file names dropped, so "lps", "L P S", "RAS+", "('R', 'A', 'S')", "F -> C -> B" and
    "F.dcm, C.dcm, B.dcm" all read as intended. Every expected text is letters only."""
    text = unicodedata.normalize("NFKC", raw).upper().replace(".DCM", "")
    return "".join(ch for ch in text if "A" <= ch <= "Z")


def check(exercise: Exercise, answers: Mapping[str, object]) -> dict[str, FieldResult]:
    """Mark every field of `exercise` against `answers` (field name -> what was typed).

    Never raises on what a candidate sends: unreadable answers come back as incorrect with a
    message saying why. Keys that are not fields are ignored.
    """
    if not isinstance(answers, Mapping):
        answers = {}
    return {
        f.name: _check_text(f, exercise.expected_text.get(f.name, ""), answers.get(f.name))
        if f.kind == "text"
        else _check_field(f, exercise.expected.get(f.name), answers.get(f.name))
        for f in exercise.fields
    }


def _check_field(spec: Field, expected: float | None, raw: object) -> FieldResult:
    parsed = _parse_yesno(raw) if spec.kind == "yesno" else parse_answer(raw)

    def result(correct: bool, message: str, hint: str, close: bool = False) -> FieldResult:
        return FieldResult(correct, expected, parsed.value, spec.tolerance, message, hint, close)

    if parsed.error:
        return result(False, parsed.error, parsed.error)
    if expected is None:
        if parsed.undefined:
            return result(
                True, "correct: this value is undefined here (0/0), so blank is right", "correct"
            )
        return result(
            False, "incorrect: this value is undefined here (0/0); leave it blank", "incorrect"
        )
    shown = _show(spec, expected)
    if parsed.blank:
        return result(False, f"missing: no answer given (expected {shown})", "missing: no answer")
    if parsed.undefined or parsed.value is None:
        return result(
            False, f"incorrect: this value is defined here, expected {shown}", "incorrect"
        )
    error = abs(parsed.value - expected)
    if error <= spec.tolerance + _EPSILON:
        return result(True, "correct", "correct")
    slack = f" ± {spec.tolerance:g}" if spec.tolerance else ""
    close = spec.kind == "number" and error <= max(
        CLOSE_FACTOR * spec.tolerance, CLOSE_SHARE * abs(expected)
    )
    hint = "close, but not within the tolerance" if close else "incorrect"
    return result(False, f"incorrect: expected {shown}{slack}", hint, close)


def _check_text(spec: Field, want: str, raw: object) -> FieldResult:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        message = f"missing: no answer given (expected {want})"
        return FieldResult(False, want, None, 0.0, message, "missing: no answer")
    if not isinstance(raw, str):
        message = "not text: type the answer as letters"
        return FieldResult(False, want, None, 0.0, message, message)
    given = normalise_text(raw)[:_MAX_ANSWER_LENGTH]
    if given == normalise_text(want):
        return FieldResult(True, want, given, 0.0, "correct", "correct")
    return FieldResult(False, want, given, 0.0, f"incorrect: expected {want}", "incorrect")


def _show(spec: Field, value: float) -> str:
    if spec.kind == "yesno":
        return "yes" if value else "no"
    return fmt(value, spec.decimals)


def parse_answer(raw: object) -> ParsedAnswer:
    """Read a typed number by the site's one rule (questions.numbers): ' 0.75', '75%', '0,75',
    '−3' (Unicode minus), 1e-3; '1,250', which could be 1250 or 1.25, is refused with a
    sentence. Blank and the words of UNDEFINED_WORDS mean "undefined"."""
    if raw is None:
        return ParsedAnswer(undefined=True, blank=True)
    if isinstance(raw, bool):
        return ParsedAnswer(error="not a number: true/false given")
    if isinstance(raw, (int, float)):
        try:
            value = float(raw)
        except OverflowError:
            return ParsedAnswer(error="not a number: too large")
        if not math.isfinite(value):
            return ParsedAnswer(error="not a number: enter a finite value")
        return ParsedAnswer(value=value)
    if not isinstance(raw, str):
        return ParsedAnswer(error="not a number: enter a single value such as 0.75")
    text = "".join(raw.split()).replace("\u2212", "-")  # drops every kind of space
    if not text:
        return ParsedAnswer(undefined=True, blank=True)
    if text.lower() in UNDEFINED_WORDS:
        return ParsedAnswer(undefined=True)
    if len(text) > _MAX_ANSWER_LENGTH:
        return ParsedAnswer(error="not a number: the answer is too long")
    try:
        return ParsedAnswer(value=read_number(text))
    except NumberError as error:
        # The field's message names the problem first: "not a number: 'abc'; type e.g. 0.75".
        shown, marker, hint = str(error).partition(" is not a number: ")
        return ParsedAnswer(
            error=f"not a number: {shown}; {hint}" if marker else f"not a number: {error}"
        )


def _parse_yesno(raw: object) -> ParsedAnswer:
    if raw is None:
        return ParsedAnswer(undefined=True, blank=True)
    if isinstance(raw, bool):
        return ParsedAnswer(value=1.0 if raw else 0.0)
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return ParsedAnswer(value=float(raw))
    text = raw.strip().lower() if isinstance(raw, str) else None
    if text == "":
        return ParsedAnswer(undefined=True, blank=True)
    if text in _YES:
        return ParsedAnswer(value=1.0)
    if text in _NO:
        return ParsedAnswer(value=0.0)
    number = parse_answer(raw)  # '1.0' and '0.0' are yes and no too
    if number.value in (0.0, 1.0):
        return number
    return ParsedAnswer(error="not yes or no: answer yes or no")


def random_rotation(rng: np.random.Generator, degrees: float) -> np.ndarray:
    """A rotation by `degrees` about a random unit axis (Rodrigues' formula), for oblique
    orientations."""
    axis = rng.normal(size=3)
    axis /= np.linalg.norm(axis)
    angle = np.radians(degrees)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * (k @ k)
