"""Moodle XML for the auto-graded questions of a set. Pure Python: no Django.

The shape follows Moodle's XML import format: one `<question type=…>` per item inside
`<quiz>`, with `name`, `questiontext`, `generalfeedback`, and `answer` elements carrying a
`fraction` (percent of the mark) and their feedback. Fractions mirror our own grading:
select-all questions give each correct option 100/k and take the same for a wrong one
(Moodle, like us, floors the total at 0); numeric answers carry an absolute tolerance.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MoodleQuestion:
    id: str
    title: str
    type: str
    prompt_html: str
    explanation_html: str = ""
    choices: list[dict] = field(default_factory=list)  # text_html, correct, feedback_html
    answer: dict[str, Any] = field(default_factory=dict)


def fraction(value: float) -> str:
    """Moodle's importer reads grades such as 33.33333 and -12.5."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(parent: ET.Element, tag: str, value: str, html: bool = False) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": "html"} if html else {})
    ET.SubElement(element, "text").text = value
    return element


def _answer(
    parent: ET.Element, value: float, text: str, feedback: str = "", html: bool = True
) -> ET.Element:
    answer = ET.SubElement(parent, "answer", {"fraction": fraction(value)})
    if html:
        answer.set("format", "html")
    ET.SubElement(answer, "text").text = text
    _text(answer, "feedback", feedback, html=True)
    return answer


def _question(quiz: ET.Element, question: MoodleQuestion) -> None:
    moodle_type = {
        "single": "multichoice",
        "multiple": "multichoice",
        "truefalse": "truefalse",
        "numeric": "numerical",
        "short": "shortanswer",
    }[question.type]
    element = ET.SubElement(quiz, "question", {"type": moodle_type})
    _text(element, "name", question.title)
    _text(element, "questiontext", question.prompt_html, html=True)
    _text(element, "generalfeedback", question.explanation_html, html=True)
    ET.SubElement(element, "defaultgrade").text = "1"
    ET.SubElement(element, "idnumber").text = question.id
    if question.type in ("single", "multiple"):
        single = question.type == "single"
        ET.SubElement(element, "single").text = "true" if single else "false"
        ET.SubElement(element, "shuffleanswers").text = "true"
        ET.SubElement(element, "answernumbering").text = "abc"
        right = sum(1 for choice in question.choices if choice["correct"]) or 1
        for choice in question.choices:
            if single:
                value = 100.0 if choice["correct"] else 0.0
            else:
                value = (100.0 if choice["correct"] else -100.0) / right
            _answer(element, value, choice["text_html"], choice.get("feedback_html", ""))
    elif question.type == "truefalse":
        truth = bool(question.answer["value"])
        _answer(element, 100.0 if truth else 0.0, "true", html=False)
        _answer(element, 0.0 if truth else 100.0, "false", html=False)
    elif question.type == "numeric":
        value = float(question.answer["value"])
        tolerance = max(
            float(question.answer.get("tolerance") or 0),
            float(question.answer.get("relative_tolerance") or 0) * abs(value),
        )
        answer = _answer(element, 100.0, repr(value), html=False)
        ET.SubElement(answer, "tolerance").text = repr(tolerance)
    else:  # short
        ET.SubElement(element, "usecase").text = "0"
        for accepted in question.answer["accepted"]:
            _answer(element, 100.0, accepted, html=False)


def to_moodle_xml(category: str, questions: list[MoodleQuestion], left_out: list[str]) -> str:
    """A Moodle question bank file; `left_out` names what could not be exported, and why."""
    quiz = ET.Element("quiz")
    if left_out:
        note = "; ".join(left_out).replace("--", "- -")  # "--" may not appear in a comment
        quiz.append(ET.Comment(f" Not exported: {note} "))
    header = ET.SubElement(quiz, "question", {"type": "category"})
    # A slash would nest categories in Moodle.
    _text(header, "category", "$course$/top/" + category.replace("/", "-"))
    for question in questions:
        _question(quiz, question)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
