"""Read Moodle's GIFT text format into this site's question types. Pure Python: no Django.

Follows Moodle's own reader (question/format/gift/format.php): questions are separated by
blank lines; lines starting with `//` are comments; `$CATEGORY: path` sets the category;
`::title::` names a question; `[html]`, `[moodle]`, `[plain]` or `[markdown]` gives the text's
format; `\\~ \\= \\# \\{ \\} \\:` are literal characters and `\\n` a line break. The answer
block decides the type:

    {}                         essay (open)                 {T} {TRUE} {F} {FALSE}   truefalse
    {=right ~wrong#feedback}   single choice                {~%50%a ~%50%b ~%-100%c}  select-all
    {=answer =other}           short answer                 {#3.5:0.1} {#1..5}      numerical
    ####text at the end of a block is the general feedback (the explanation)

Text after the block makes it a missing-word question: the block becomes "_____". Matching
(`=a -> b`) and descriptions (no block) are reported and left out. Every message names the
file and the line the question starts on.
"""

from __future__ import annotations

import math
import re
import time

from ..markup import render_markdown
from .interchange import (
    MAX_ACCEPTED,
    MAX_CHOICES,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_QUESTIONS,
    MAX_TEXT,
    ImportedQuestion,
    ImportResult,
    TextTooLong,
    clean_html,
    html_to_text,
    over_time,
    plain_to_html,
    too_slow,
)

# Escaped characters live as private-use placeholders while the structure is parsed.
_ESCAPES = {"\\:": "\ue000", "\\#": "\ue001", "\\=": "\ue002", "\\{": "\ue003", "\\}": "\ue004"}
_ESCAPES |= {"\\~": "\ue005", "\\n": "\ue006"}
_RESTORE = {
    "\ue000": ":",
    "\ue001": "#",
    "\ue002": "=",
    "\ue003": "{",
    "\ue004": "}",
    "\ue005": "~",
    "\ue006": "\n",
}
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d{1,3}(?:\.\d+)?)%")
_TRUTH = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class _Invalid(ValueError):
    pass


def _escape(text: str) -> str:
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text


def _restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def _formatted(text: str, default: str) -> tuple[str, str]:
    found = _FORMAT.match(text.strip())
    if found:
        return text.strip()[found.end() :], found.group(1).lower()
    return text, default


def _html(text: str, fmt: str, what: str, *, inline: bool = False) -> str:
    text = _restore(text).strip()
    if len(text) > MAX_TEXT:
        raise TextTooLong(f"the {what} is {len(text):,} characters long; at most {MAX_TEXT:,}")
    if fmt == "markdown":
        return render_markdown(text, inline=inline, raw_html=False)
    if fmt == "plain" or (fmt == "moodle" and "<" not in text):
        return plain_to_html(text)
    return clean_html(text, what=what)


def _split_feedback(answer: str) -> tuple[str, str]:
    """'text#feedback' (the first unescaped '#')."""
    text, _, feedback = answer.partition("#")
    return text.strip(), feedback.strip()


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of each question: runs of lines between blank lines.
    Comment lines count as text for the split, as in Moodle, and are blanked after."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0  # the first line that is not a comment: where messages point
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            if current:
                blocks.append((start, current))
            current, start = [], 0
            continue
        comment = line.strip().startswith("//")
        if not start and not comment:
            start = number
        current.append("" if comment else line)
    if current:
        blocks.append((start, current))
    return [(start, lines) for start, lines in blocks if any(line.strip() for line in lines)]


def read_gift(name: str, raw: bytes) -> ImportResult:
    result = ImportResult(name=name)
    if len(raw) > MAX_IMPORT_BYTES:
        result.errors.append(
            f"{name}: the file is {len(raw) // 1024:,} KB; at most "
            f"{MAX_IMPORT_BYTES // 1024:,} KB is imported: split it into smaller files"
        )
        return result
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        result.errors.append(f"{name}:{line}: not UTF-8 text: save the file as UTF-8")
        return result
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        # No database here can keep a NUL (PostgreSQL refuses it); it is never meant in a
        # question, so it goes, and the report says where the first one was.
        line, nuls = text.count("\n", 0, text.index("\x00")) + 1, text.count("\x00")
        result.notes.append(
            f"{name}:{line}: {nuls:,} NUL character(s) (\\0) cannot be stored and were removed"
        )
        text = text.replace("\x00", "")
    blocks = _blocks(text)
    if len(blocks) > MAX_IMPORT_QUESTIONS:
        result.errors.append(
            f"{name}: {len(blocks)} questions; at most {MAX_IMPORT_QUESTIONS} are imported at "
            "once: split the file"
        )
        return result
    category = ""
    started = time.monotonic()
    for line, lines in blocks:
        if over_time(started):
            result.errors.append(too_slow(name))
            return result
        body = _escape("\n".join(lines).strip())
        if body.startswith("$CATEGORY:"):
            category = _restore(body[len("$CATEGORY:") :]).strip()
            continue
        where = f"{name}:{line}"
        try:
            question = _question(body, where, result)
        except (_Invalid, TextTooLong) as problem:
            result.errors.append(f"{where}: {problem}")
            continue
        if question is not None:
            question.category = category
            result.items.append(question)
    if not result.items and not result.errors:
        result.errors.append(f"{name}: no question this site can import")
    return result


def _question(body: str, where: str, result: ImportResult) -> ImportedQuestion | None:
    title = ""
    if body.startswith("::"):
        end = body.find("::", 2)
        if end == -1:
            raise _Invalid("the title starts with '::' but has no closing '::'")
        title = _restore(body[2:end]).strip()
        body = body[end + 2 :].strip()
    start, finish = body.find("{"), body.find("}")
    label = f"question '{title}'" if title else "a question"
    if start == -1 and finish == -1:
        result.skipped.append(
            f"{where}: {label} has no answer block: a description is not supported; skipped"
        )
        return None
    if start == -1 or finish == -1 or finish < start:
        raise _Invalid(
            "unbalanced braces: an answer block is '{' … '}' (write \\{ or \\} for a literal brace)"
        )
    if body.find("{", start + 1) != -1 and body.find("{", start + 1) < finish:
        raise _Invalid("a '{' inside the answer block: write \\{ for a literal brace")
    if "{" in body[finish + 1 :] or "}" in body[finish + 1 :]:
        raise _Invalid("more than one answer block: a question has one '{…}'")
    answers = body[start + 1 : finish].strip()
    after = body[finish + 1 :].strip()
    prompt = body[:start] + ("_____ " + after if after else "")
    answers, _, general = answers.partition("####")
    answers = answers.strip()
    prompt, fmt = _formatted(prompt, "moodle")
    prompt_html = _html(prompt, fmt, "question text")
    if not html_to_text(prompt_html):
        raise _Invalid("the question text is empty")
    if not title:
        title = html_to_text(prompt_html)[:80].strip() or "Imported question"
    general_text, general_fmt = _formatted(general, fmt)
    question = ImportedQuestion(
        where=f"{where}: question '{title}'",
        title=title[:300],
        type="",
        prompt_html=prompt_html,
        explanation_html=_html(general_text, general_fmt, "general feedback"),
    )
    if not answers:
        question.type = "open"
        question.model_answer_html, question.explanation_html = question.explanation_html, ""
    elif answers.startswith("#"):
        _numerical(question, answers[1:], where, result)
    elif "~" in answers:
        _choices(question, answers, fmt)
    elif "=" in answers and "->" in answers:
        result.skipped.append(f"{where}: {label}: type 'matching' is not supported; skipped")
        return None
    elif _split_feedback(answers)[0].upper() in _TRUTH:
        truth_text, _, feedback = answers.partition("#")
        question.type = "truefalse"
        question.answer = {"value": _TRUTH[truth_text.strip().upper()]}
        if not question.explanation_html and feedback:
            # {T#wrong#right}: the second comment is shown for the right answer.
            right = feedback.split("#")[-1]
            question.explanation_html = _html(right, fmt, "feedback")
    else:
        _short(question, answers, where, result)
    return question


def _choices(question: ImportedQuestion, answers: str, fmt: str) -> None:
    single = "=" in answers
    parts = [part.strip() for part in answers.replace("=", "~=").split("~")]
    parts = [part for part in parts if part]
    if len(parts) < 2:
        raise _Invalid("a multiple-choice question needs at least two answers")
    if len(parts) > MAX_CHOICES:
        raise _Invalid(f"{len(parts)} answers; at most {MAX_CHOICES} are imported")
    choices, weights = [], []
    for part in parts:
        weight = 0.0
        if part.startswith("="):
            weight, part = 100.0, part[1:]
        elif found := _WEIGHT.match(part):
            weight, part = float(found.group(1)), part[found.end() :]
        text, feedback = _split_feedback(part)
        text, answer_fmt = _formatted(text, fmt)
        if not _restore(text).strip():
            raise _Invalid("an answer is empty")
        weights.append(weight)
        choices.append(
            {
                "text_html": _html(text, answer_fmt, "answer", inline=True),
                "correct": weight >= 99.99 if single else weight > 0,
                "feedback_html": _html(feedback, fmt, "feedback", inline=True) if feedback else "",
            }
        )
    if single:
        full = sum(1 for weight in weights if weight >= 99.99)
        if full != 1:
            raise _Invalid(f"a single-answer question needs exactly one '=' answer, found {full}")
        question.type = "single"
    else:
        if not any(weight > 0 for weight in weights):
            raise _Invalid(
                "no right answer: mark it with '=' or, for several, give weights such as ~%50%"
            )
        question.type = "multiple"
    question.choices = choices


def _short(question: ImportedQuestion, answers: str, where: str, result: ImportResult) -> None:
    parts = [part.strip() for part in answers.split("=") if part.strip()]
    if not parts:
        raise _Invalid("a short-answer question needs at least one '=answer'")
    if len(parts) > MAX_ACCEPTED:
        raise _Invalid(f"{len(parts)} answers; at most {MAX_ACCEPTED} are imported")
    accepted, partial = [], 0
    for part in parts:
        weight = 100.0
        if found := _WEIGHT.match(part):
            weight, part = float(found.group(1)), part[found.end() :]
        text = _restore(_split_feedback(part)[0]).strip()
        if weight >= 99.99 and text:
            accepted.append(text[:200])
        else:
            partial += 1
    if not accepted:
        raise _Invalid("no answer is worth 100%")
    if partial:
        result.notes.append(f"{where}: {partial} answer(s) with partial credit are not kept")
    question.type = "short"
    question.answer = {"accepted": accepted}


def _number(text: str) -> float:
    try:
        value = float(_restore(text).strip())
    except ValueError:
        raise _Invalid(
            f"{_restore(text).strip()!r} is not a number: write {{#3.5:0.1}} or {{#1..5}}"
        ) from None
    if not math.isfinite(value):
        raise _Invalid("the answer is not a finite number")
    return value


def _numerical(question: ImportedQuestion, answers: str, where: str, result: ImportResult) -> None:
    answers = answers.split("~", 1)[0]  # '~' starts feedback for any other answer
    parts = [part.strip() for part in answers.split("=") if part.strip()]
    if not parts:
        raise _Invalid("a numerical question needs a number after '#'")
    best: tuple[float, float] | None = None
    others = 0
    for part in parts:
        weight = 100.0
        if found := _WEIGHT.match(part):
            weight, part = float(found.group(1)), part[found.end() :]
        text = _split_feedback(part)[0]
        if ".." in text:
            low_text, _, high_text = text.partition("..")
            low, high = _number(low_text), _number(high_text)
            if high < low:
                raise _Invalid(f"the range {low:g}..{high:g} ends below its start")
            # Halved first: low + high or high - low overflows to infinity near the
            # largest float, and infinity is not JSON.
            value, tolerance = low / 2 + high / 2, high / 2 - low / 2
            if not (math.isfinite(value) and math.isfinite(tolerance)):
                raise _Invalid(f"the range {low:g}..{high:g} is too wide: use smaller numbers")
        elif ":" in text:
            value_text, _, tolerance_text = text.partition(":")
            value, tolerance = _number(value_text), abs(_number(tolerance_text))
        else:
            value, tolerance = _number(text), 0.0
        if weight >= 99.99 and best is None:
            best = (value, tolerance)
        else:
            others += 1
    if best is None:
        raise _Invalid("no numerical answer is worth 100%")
    if others:
        result.notes.append(f"{where}: {others} other answer(s) with partial credit are not kept")
    question.type = "numeric"
    question.answer = {
        "value": best[0],
        "tolerance": best[1],
        "relative_tolerance": None,
        "unit": "",
    }
