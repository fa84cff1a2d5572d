"""Read a Moodle XML question file into this site's question types. Pure Python: no Django.

Parsing goes through defusedxml with DTDs, entities and external references forbidden, so a
billion-laughs file or one that reaches for /etc/passwd is refused before anything expands;
the size is checked before parsing, and nesting depth and the number of questions while
parsing. Supported: multichoice (single and multiple), truefalse, shortanswer, numerical,
essay, category (sets the category of what follows) and random (only from the
`$course$/ImagingPrep/<topic>` categories this site exports). Every other type is reported,
one sentence per question, and left out.
"""

from __future__ import annotations

import io
import math
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from ..markup import render_markdown
from .interchange import (
    MAX_ACCEPTED,
    MAX_CHOICES,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_QUESTIONS,
    MAX_TEXT,
    MAX_XML_DEPTH,
    ImportedQuestion,
    ImportResult,
    RandomDraw,
    TextTooLong,
    clean_html,
    html_to_text,
    over_time,
    plain_to_html,
    pool_of,
    too_slow,
)

SUPPORTED = ("multichoice", "truefalse", "shortanswer", "numerical", "essay")
_PLUGINFILE = re.compile(r"<img\b[^>]*\bsrc=\"@@PLUGINFILE@@[^\"]*\"[^>]*>", re.IGNORECASE)
_GRADER_HEADING = re.compile(r"<h4>(Model answer|Rubric|Interviewer notes)</h4>")
_LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.DOTALL)


class _Refused(Exception):
    """The whole file is unusable; the message says why."""


def _parse(name: str, raw: bytes) -> ET.Element:
    if len(raw) > MAX_IMPORT_BYTES:
        raise _Refused(
            f"{name}: the file is {len(raw) // 1024:,} KB; at most "
            f"{MAX_IMPORT_BYTES // 1024:,} KB is imported: split it into smaller files"
        )
    depth, questions = 0, 0
    root: ET.Element | None = None
    try:
        for event, element in iterparse(
            io.BytesIO(raw),
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        ):
            if event == "end":
                depth -= 1
                continue
            depth += 1
            root = element if root is None else root
            if depth > MAX_XML_DEPTH:
                raise _Refused(
                    f"{name}: elements are nested more than {MAX_XML_DEPTH} deep; "
                    "a Moodle question file needs about 6"
                )
            if element.tag == "question" and depth == 2:
                questions += 1
                if questions > MAX_IMPORT_QUESTIONS:
                    raise _Refused(
                        f"{name}: more than {MAX_IMPORT_QUESTIONS} questions; "
                        "split the file and import the parts one by one"
                    )
    except DefusedXmlException as error:
        kind = type(error).__name__
        what = {
            "DTDForbidden": "a DOCTYPE (DTD)",
            "EntitiesForbidden": "an entity declaration",
            "ExternalReferenceForbidden": "a reference to an external file",
            "NotSupportedError": "an XML feature that is not allowed",
        }.get(kind, "an XML feature that is not allowed")
        raise _Refused(
            f"{name}: the file contains {what}, which is refused for safety; Moodle's own "
            "exports have none: export the questions from Moodle again"
        ) from None
    except ET.ParseError as error:
        line = error.position[0] if error.position else 1
        reason = str(error).split(":")[0]  # expat's words, without its own position
        raise _Refused(
            f"{name}:{line}: not well-formed XML ({reason}); "
            "upload the .xml file Moodle exported, unchanged"
        ) from None
    if root is None or root.tag != "quiz":
        found = root.tag if root is not None else "nothing"
        raise _Refused(f"{name}: expected a Moodle XML file whose root is <quiz>, found <{found}>")
    return root


def _text_of(element: ET.Element | None) -> str:
    if element is None:
        return ""
    text = element.find("text")
    return (text.text or "") if text is not None else (element.text or "")


class _Reader:
    def __init__(self, name: str, result: ImportResult) -> None:
        self.name = name
        self.result = result

    def html(self, element: ET.Element | None, what: str, where: str) -> str:
        """A text element in its declared format, as sanitised HTML."""
        if element is None:
            return ""
        raw = _text_of(element)
        fmt = element.get("format", "html")
        if fmt == "markdown":
            if len(raw) > MAX_TEXT:
                raise TextTooLong(f"the {what} is {len(raw):,} characters long")
            raw = render_markdown(raw, raw_html=False)
        elif fmt == "plain_text" or (fmt == "moodle_auto_format" and "<" not in raw):
            raw = plain_to_html(raw)
        cleaned = clean_html(raw, what=what)
        if _PLUGINFILE.search(cleaned):
            cleaned = _PLUGINFILE.sub("", cleaned)
            self.result.notes.append(
                f"{where}: an image embedded in the {what} is not imported (files are not)"
            )
        return cleaned


def read_moodle_xml(name: str, raw: bytes) -> ImportResult:
    """Every question of the file, or the reason the file cannot be read."""
    result = ImportResult(name=name)
    try:
        root = _parse(name, raw)
    except _Refused as refusal:
        result.errors.append(str(refusal))
        return result
    reader = _Reader(name, result)
    category = ""
    pools = _pool_categories(root)
    pool_notes: dict[str, int] = {}
    started = time.monotonic()
    for number, element in enumerate(root.findall("question"), start=1):
        if over_time(started):
            result.errors.append(too_slow(name))
            return result
        qtype = (element.get("type") or "").strip()
        title = html_to_text(_text_of(element.find("name"))) or f"question {number}"
        where = f"{name}: question '{title}'"
        if qtype == "category":
            category = _text_of(element.find("category")).strip()
            continue
        if qtype == "random":
            pool = pool_of(category)
            if pool is None:
                result.skipped.append(
                    f"{where}: type 'random' draws from the Moodle category '{category or 'top'}', "
                    "which is not one of this site's topics; skipped: add a random entry here"
                )
            else:
                result.items.append(RandomDraw(where, 1, pool[0], pool[1]))
            continue
        if qtype not in SUPPORTED:
            result.skipped.append(f"{where}: type '{qtype or '(none)'}' is not supported; skipped")
            continue
        if category in pools:
            pool_notes[category] = pool_notes.get(category, 0) + 1
            continue
        try:
            question = _READERS[qtype](reader, element, where)
        except (TextTooLong, _Invalid) as problem:
            result.errors.append(f"{where}: {problem}")
            continue
        question.idnumber = (element.findtext("idnumber") or "").strip()[:200]
        question.category = category
        result.items.append(question)
    for category_path, count in pool_notes.items():
        result.notes.append(
            f"{name}: the {count} question(s) of category '{category_path}' are the pool its "
            "random questions draw from: the draws use this site's bank for that topic instead"
        )
    result.items = _merge_draws(result.items)
    if not result.items and not result.errors:
        result.errors.append(f"{name}: no question this site can import")
    return result


def _pool_categories(root: ET.Element) -> set[str]:
    """Categories that hold random questions: their other questions are only the pool."""
    pools, category = set(), ""
    for element in root.findall("question"):
        if element.get("type") == "category":
            category = _text_of(element.find("category")).strip()
        elif element.get("type") == "random" and pool_of(category):
            pools.add(category)
    return pools


def _merge_draws(
    items: list[ImportedQuestion | RandomDraw],
) -> list[ImportedQuestion | RandomDraw]:
    """N random questions in a row from one category are one entry of N."""
    merged: list[ImportedQuestion | RandomDraw] = []
    for item in items:
        last = merged[-1] if merged else None
        if (
            isinstance(item, RandomDraw)
            and isinstance(last, RandomDraw)
            and (last.topic, last.difficulty) == (item.topic, item.difficulty)
        ):
            count = last.count + item.count
            merged[-1] = RandomDraw(last.where, count, last.topic, last.difficulty)
        else:
            merged.append(item)
    return merged


class _Invalid(ValueError):
    pass


def _fraction(answer: ET.Element) -> float:
    try:
        value = float(answer.get("fraction", "0"))
    except ValueError:
        raise _Invalid(f"an answer's fraction {answer.get('fraction')!r} is not a number") from None
    if not math.isfinite(value):
        raise _Invalid("an answer's fraction is not a finite number")
    return value


def _answers(element: ET.Element, limit: int) -> list[ET.Element]:
    answers = element.findall("answer")
    if len(answers) > limit:
        raise _Invalid(f"{len(answers)} answers; at most {limit} are imported")
    return answers


def _common(reader: _Reader, element: ET.Element, where: str, qtype: str) -> ImportedQuestion:
    title = html_to_text(_text_of(element.find("name")))
    prompt = reader.html(element.find("questiontext"), "question text", where)
    if not html_to_text(prompt) and "<img" not in prompt:
        raise _Invalid("the question text is empty")
    return ImportedQuestion(
        where=where,
        title=title[:300] or "Imported question",
        type=qtype,
        prompt_html=prompt,
        explanation_html=reader.html(element.find("generalfeedback"), "general feedback", where),
    )


def _multichoice(reader: _Reader, element: ET.Element, where: str) -> ImportedQuestion:
    single = (element.findtext("single") or "true").strip().lower() not in ("false", "0", "")
    question = _common(reader, element, where, "single" if single else "multiple")
    question.answer = {}
    shuffle = (element.findtext("shuffleanswers") or "true").strip().lower()
    choices, fractions = [], []
    for answer in _answers(element, MAX_CHOICES):
        value = _fraction(answer)
        fractions.append(value)
        text = reader.html(answer, "answer text", where)
        if not html_to_text(text) and "<img" not in text:
            raise _Invalid("an answer has no text")
        feedback = reader.html(answer.find("feedback"), "answer feedback", where)
        correct = value >= 99.99 if single else value > 0
        choices.append({"text_html": text, "correct": correct, "feedback_html": feedback})
    if len(choices) < 2:
        raise _Invalid("a multichoice question needs at least two answers")
    right = [value for value in fractions if value > 0]
    if single:
        full = sum(1 for value in fractions if value >= 99.99)
        if full != 1:
            raise _Invalid(
                f"a single-answer multichoice needs exactly one answer worth 100%, found {full}"
            )
        if len(right) > 1:
            reader.result.notes.append(
                f"{where}: partial credit on wrong answers is not kept: only the 100% answer "
                "is right here"
            )
    else:
        if not right:
            raise _Invalid("a multiple-answer multichoice needs at least one answer worth > 0%")
        if max(right) - min(right) > 0.01:
            reader.result.notes.append(
                f"{where}: the right answers' unequal weights become equal shares here"
            )
    question.choices = choices
    question.shuffle = shuffle not in ("false", "0")
    return question


def _truefalse(reader: _Reader, element: ET.Element, where: str) -> ImportedQuestion:
    question = _common(reader, element, where, "truefalse")
    truth: bool | None = None
    feedback = ""
    for answer in _answers(element, 2):
        said = _text_of(answer).strip().lower()
        if said not in ("true", "false"):
            raise _Invalid(f"a truefalse answer must be 'true' or 'false', got {said!r}")
        if _fraction(answer) >= 99.99:
            truth = said == "true"
            feedback = reader.html(answer.find("feedback"), "answer feedback", where)
    if truth is None:
        raise _Invalid("neither 'true' nor 'false' is worth 100%")
    question.answer = {"value": truth}
    if not question.explanation_html:
        question.explanation_html = feedback
    return question


def _shortanswer(reader: _Reader, element: ET.Element, where: str) -> ImportedQuestion:
    question = _common(reader, element, where, "short")
    accepted, partial = [], 0
    for answer in _answers(element, MAX_ACCEPTED):
        text = html_to_text(_text_of(answer))
        if _fraction(answer) >= 99.99 and text:
            if "*" in text:
                reader.result.notes.append(
                    f"{where}: the wildcard '*' in answer {text!r} is taken literally here"
                )
            accepted.append(text[:200])
        elif _fraction(answer) > 0:
            partial += 1
    if not accepted:
        raise _Invalid("no answer is worth 100%")
    if partial:
        reader.result.notes.append(
            f"{where}: {partial} answer(s) with partial credit are not kept: only 100% answers are"
        )
    if (element.findtext("usecase") or "0").strip() == "1":
        reader.result.notes.append(
            f"{where}: Moodle compared this answer with case; this site ignores case"
        )
    question.answer = {"accepted": accepted}
    return question


def _finite(text: str, what: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise _Invalid(f"the {what} {text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise _Invalid(f"the {what} is not a finite number")
    return value


def _numerical(reader: _Reader, element: ET.Element, where: str) -> ImportedQuestion:
    question = _common(reader, element, where, "numeric")
    best: tuple[float, float] | None = None
    others = 0
    for answer in _answers(element, MAX_CHOICES):
        text = _text_of(answer).strip()
        if text == "*":
            others += 1
            continue
        if _fraction(answer) >= 99.99 and best is None:
            value = _finite(text, "answer")
            tolerance = abs(_finite(answer.findtext("tolerance") or "0", "tolerance"))
            best = (value, tolerance)
        else:
            others += 1
    if best is None:
        raise _Invalid("no numerical answer is worth 100%")
    if others:
        reader.result.notes.append(
            f"{where}: {others} other answer(s) (partial credit or '*') are not kept"
        )
    unit = ""
    for unit_element in element.findall("units/unit"):
        if (unit_element.findtext("multiplier") or "1").strip() in ("1", "1.0"):
            unit = (unit_element.findtext("unit_name") or "").strip()[:50]
            break
    question.answer = {
        "value": best[0],
        "tolerance": best[1],
        "relative_tolerance": None,
        "unit": unit,
    }
    return question


def _essay(reader: _Reader, element: ET.Element, where: str) -> ImportedQuestion:
    question = _common(reader, element, where, "open")
    info = reader.html(element.find("graderinfo"), "information for graders", where)
    parts = _GRADER_HEADING.split(info)
    if len(parts) > 1:  # written by this site: headed sections
        sections = dict(zip(parts[1::2], parts[2::2], strict=True))
        question.model_answer_html = sections.get("Model answer", "").strip()
        question.rubric = [
            point.strip() for point in _LIST_ITEM.findall(sections.get("Rubric", ""))
        ]
        question.interviewer_notes_html = sections.get("Interviewer notes", "").strip()
    else:
        question.model_answer_html = info
    if not question.model_answer_html and question.explanation_html:
        question.model_answer_html = question.explanation_html
    question.explanation_html = ""
    return question


_READERS: dict[str, Callable[[_Reader, ET.Element, str], ImportedQuestion]] = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "essay": _essay,
}
