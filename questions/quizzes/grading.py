"""Grade a candidate's answer to one question. Pure Python: no Django.

A `Grade` carries a score from 0 to 1. The rules, which the quiz review page also states:

- single, truefalse: 1 if right, else 0.
- multiple: each correct choice picked earns 1/(number of correct choices); each wrong
  choice picked costs the same amount; the total is floored at 0.
- numeric: 1 if |given - answer| <= tolerance, or <= relative_tolerance * |answer|.
- short: 1 if the answer equals an accepted one after lower-casing and dropping spaces and
  punctuation ("Hounsfield-units" == "hounsfield units").
- open: the candidate rates themselves against the model answer: did not know = 0,
  partly = 0.5, fully = 1. Marked as self-assessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..numbers import NumberError, number_from

SELF_ASSESSMENT = {"no": 0.0, "partly": 0.5, "fully": 1.0}
SELF_ASSESSMENT_LABELS = {
    "no": "I did not know it",
    "partly": "I got part of it",
    "fully": "I covered it fully",
}
# Floating-point slack so a tolerance edge (0.75 ± 0.005 given as 0.755) counts as inside.
_EPSILON = 1e-9


class InvalidAnswer(ValueError):
    """The answer cannot be graded as given (wrong shape, not a number, unknown choice)."""


@dataclass(frozen=True)
class Grade:
    score: float
    correct: bool
    self_assessed: bool = False


def grade(qtype: str, key: dict[str, Any], choices: list[dict], response: Any) -> Grade:
    """Grade `response` against a question's key.

    `response` shapes: single -> choice index (int); multiple -> list of indexes;
    truefalse -> bool; numeric -> number or numeric text; short -> text; open -> one of
    SELF_ASSESSMENT's keys.
    """
    if qtype == "single":
        index = choice_index(response, len(choices))
        right = bool(choices[index]["correct"])
        return Grade(float(right), right)
    if qtype == "multiple":
        picked = choice_indexes(response, len(choices))
        return grade_multiple([bool(c["correct"]) for c in choices], picked)
    if qtype == "truefalse":
        value = parse_bool(response)
        right = value == key["value"]
        return Grade(float(right), right)
    if qtype == "numeric":
        # A question whose unit is % takes "17.2%" as 17.2, not 0.172.
        number = parse_number(response, percent_points=key.get("unit") == "%")
        right = within_tolerance(
            number, key["value"], key.get("tolerance"), key.get("relative_tolerance")
        )
        return Grade(float(right), right)
    if qtype == "short":
        given = normalize_text(str(response))
        if not given:
            raise InvalidAnswer("Type an answer first.")
        right = any(given == normalize_text(accepted) for accepted in key["accepted"])
        return Grade(float(right), right)
    if qtype == "open":
        if response not in SELF_ASSESSMENT:
            raise InvalidAnswer("Rate your answer: did not know, partly or fully.")
        score = SELF_ASSESSMENT[response]
        return Grade(score, score == 1.0, self_assessed=True)
    raise InvalidAnswer(f"Unknown question type {qtype!r}.")


def grade_multiple(correct: list[bool], picked: set[int]) -> Grade:
    right_total = sum(correct)
    if not right_total:
        return Grade(0.0, False)
    step = 1 / right_total
    gained = sum(step for index in picked if correct[index])
    lost = sum(step for index in picked if not correct[index])
    score = max(0.0, min(1.0, gained - lost))
    exact = picked == {index for index, right in enumerate(correct) if right}
    return Grade(round(score, 4), exact)


def within_tolerance(
    value: float, expected: float, tolerance: float | None, relative: float | None
) -> bool:
    error = abs(value - expected)
    if tolerance is not None and error <= tolerance + _EPSILON:
        return True
    return relative is not None and error <= relative * abs(expected) + _EPSILON


def parse_number(response: Any, *, percent_points: bool = False) -> float:
    """A typed or sent number, read by the site's one rule (questions.numbers)."""
    try:
        return number_from(response, percent_points=percent_points)
    except NumberError as error:
        raise InvalidAnswer(str(error)) from None


def parse_bool(response: Any) -> bool:
    if isinstance(response, bool):
        return response
    text = str(response).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise InvalidAnswer("Choose true or false.")


def normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", text)


def choice_index(response: Any, count: int) -> int:
    """The chosen option's index, or InvalidAnswer: the one rule for every path."""
    try:
        index = int(response)
    except (TypeError, ValueError):
        raise InvalidAnswer("Choose one of the options.") from None
    if not 0 <= index < count:
        raise InvalidAnswer("Choose one of the options.")
    return index


def choice_indexes(response: Any, count: int) -> set[int]:
    if isinstance(response, (str, int)):
        response = [response]
    if not isinstance(response, (list, tuple, set)) or not response:
        raise InvalidAnswer("Select at least one option.")
    return {choice_index(item, count) for item in response}
