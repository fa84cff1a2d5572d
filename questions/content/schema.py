"""What a glossary term, a question and a question set file must hold. Pure Python: no Django.

Each `read_*` function checks one parsed document and returns the item it describes (or None
when the file is too broken to describe one) while appending every problem it finds to
`doc.problems`. Checks that need other files (duplicate ids, references) live in `tree.py`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any, TypeGuard

from ..exercises import KINDS, MAX_SEED
from ..markup import MAX_NESTING, markdown_nesting
from .documents import Document, Problem, Section, split_sections

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The database columns' sizes (questions/models/content.py; a test keeps them equal), so a
# file that passes check_content also loads.
MAX_ID = 200
MAX_TERM = 200
MAX_TITLE = 300
MAX_TAG = 100
# A set's description, curated, imported or typed in an interviewer's form: one limit for
# all, so an import cannot carry what the form refuses.
MAX_DESCRIPTION = 5000
DIFFICULTIES = ("easy", "medium", "hard")
QUESTION_TYPES = ("single", "multiple", "truefalse", "numeric", "short", "open")
AUTO_GRADED = ("single", "multiple", "truefalse", "numeric", "short")
CHOICE_TYPES = ("single", "multiple")

# Section title -> (field name, required for which types)
QUESTION_SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Question": ("prompt", QUESTION_TYPES),
    "Explanation": ("explanation", AUTO_GRADED),
    "Model answer": ("model_answer", ("open",)),
    "Rubric": ("rubric", ()),
    "Interviewer notes": ("interviewer_notes", ()),
}
SECTION_ORDER = list(QUESTION_SECTIONS)


@dataclass
class Choice:
    text: str
    correct: bool
    feedback: str


@dataclass
class GlossaryItem:
    id: str
    path: str
    term: str
    aliases: list[str]
    topic: str
    definition: str
    see_also: list[str]
    sources: list[str]
    body: str
    lines: dict[str, int] = field(default_factory=dict)
    # Live exercise kinds that drill the term (kappa -> agreement), linked from its page.
    exercises: list[str] = field(default_factory=list)


@dataclass
class QuestionItem:
    id: str
    path: str
    topic: str
    title: str
    type: str
    difficulty: str
    tags: list[str]
    related: list[str]
    sources: list[str]
    choices: list[Choice]
    answer: dict[str, Any]
    prompt: str
    explanation: str
    model_answer: str
    rubric: list[str]
    interviewer_notes: str
    lines: dict[str, int] = field(default_factory=dict)
    # False keeps the file's order of choices (an ordered scale, "all of the above").
    shuffle: bool = True
    # The line of each tag (its own line in a block list), for the tag vocabulary's checks.
    tag_lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SetEntrySpec:
    """One entry of a set: a question id; a live exercise (a fresh seed per attempt unless
    `seed` fixes one, so every candidate gets the same data); or `random` questions drawn
    per attempt from a topic, optionally of one difficulty."""

    question: str | None = None
    exercise: str | None = None
    level: str = "medium"
    seed: int | None = None
    random: int = 0
    topic: str | None = None
    difficulty: str | None = None
    line: int = field(default=0, compare=False)


@dataclass
class SetItem:
    id: str
    path: str
    title: str
    time_limit: int
    questions: list[str]  # the question ids among the entries, for reference checks
    description: str
    entries: list[SetEntrySpec] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    show_answers: bool = True


class _Checker:
    """Reads fields off a document, recording a problem for every bad one."""

    def __init__(self, doc: Document, allowed: set[str]) -> None:
        self.doc = doc
        for key in doc.data:
            if key not in allowed:
                self.error(
                    doc.line_of(key),
                    f"unknown field '{key}': expected one of {', '.join(sorted(allowed))}",
                )

    def error(self, line: int, message: str) -> None:
        self.doc.problems.append(Problem(self.doc.path, line, message))

    def _missing(self, key: str, what: str) -> None:
        self.error(1, f"missing required field '{key}' ({what})")

    def id(self) -> str | None:
        value = self.doc.data.get("id")
        if value is None:
            self._missing("id", "a stable id such as 'dice-from-counts'")
            return None
        if not isinstance(value, str) or not ID_RE.match(value):
            self.error(
                self.doc.line_of("id"),
                f"'id' must be lowercase letters, digits and single hyphens, got {value!r}",
            )
            return None
        if len(value) > MAX_ID:
            self.error(self.doc.line_of("id"), f"'id' is longer than {MAX_ID} characters")
            return None
        stem = PurePath(self.doc.path).stem
        if self.doc.path.endswith(".md") and stem != value:
            self.error(
                self.doc.line_of("id"),
                f"the file is named '{stem}.md' but its id is '{value}': name the file after "
                f"the id ('{value}.md')",
            )
        return value

    def _too_long(self, line: int, label: str, value: str, limit: int | None) -> bool:
        if limit is None or len(value) <= limit:
            return False
        self.error(line, f"{label} is {len(value)} characters long; keep it to {limit} at most")
        return True

    def text(
        self, key: str, what: str, *, required: bool = True, max_length: int | None = None
    ) -> str:
        value = self.doc.data.get(key)
        if value is None:
            if required:
                self._missing(key, what)
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(self.doc.line_of(key), f"'{key}' must be text ({what})")
            return ""
        value = str(value).strip()
        if required and not value:
            self.error(self.doc.line_of(key), f"'{key}' is empty: write {what}")
        if self._too_long(self.doc.line_of(key), f"'{key}'", value, max_length):
            return ""
        return value

    def text_list(
        self, key: str, what: str, *, ids: bool = False, max_length: int | None = None
    ) -> list[str]:
        value = self.doc.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(self.doc.line_of(key), f"'{key}' must be a list of {what}")
            return []
        result = []
        for index, item in enumerate(value):
            line = self.doc.line_of(key, index)
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.error(line, f"'{key}' item {index + 1} must be text ({what})")
                continue
            item = str(item).strip()
            if ids and not ID_RE.match(item):
                self.error(line, f"'{key}' item {item!r} is not an id (lowercase-with-hyphens)")
                continue
            if self._too_long(line, f"'{key}' item {index + 1}", item, max_length):
                continue
            if item:
                result.append(item)
        return result

    def choice_of(self, key: str, options: tuple[str, ...]) -> str | None:
        value = self.doc.data.get(key)
        if value is None:
            self._missing(key, f"one of {', '.join(options)}")
            return None
        if value not in options:
            self.error(
                self.doc.line_of(key), f"'{key}' must be one of {', '.join(options)}, got {value!r}"
            )
            return None
        return value

    def number(
        self, key: str, what: str, *, required: bool, minimum: float | None = None
    ) -> float | None:
        value = self.doc.data.get(key)
        if value is None:
            if required:
                self._missing(key, what)
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            self.error(self.doc.line_of(key), f"'{key}' must be a number ({what}), got {value!r}")
            return None
        if minimum is not None and value < minimum:
            self.error(self.doc.line_of(key), f"'{key}' must be >= {minimum:g}, got {value!r}")
            return None
        return value

    def lines(self) -> dict[str, int]:
        return {k[0]: v for k, v in self.doc.lines.items() if len(k) == 1 and isinstance(k[0], str)}


GLOSSARY_FIELDS = {
    "id", "term", "aliases", "topic", "definition", "see_also", "sources", "exercises",
}  # fmt: skip


def read_glossary(doc: Document) -> GlossaryItem | None:
    if doc.broken:
        return None
    check = _Checker(doc, GLOSSARY_FIELDS)
    item_id = check.id()
    term = check.text("term", "the term as it is usually written", max_length=MAX_TERM)
    topic = check.text("topic", "a topic slug from topics.yaml")
    definition = check.text("definition", "one sentence that defines the term")
    aliases = check.text_list("aliases", "abbreviations or other names")
    see_also = check.text_list("see_also", "glossary ids", ids=True)
    sources = check.text_list("sources", "references")
    exercises = check.text_list("exercises", "exercise kinds")
    for index, kind in enumerate(exercises):
        if kind not in KINDS:
            check.error(
                doc.line_of("exercises", index),
                f"exercises names '{kind}', which is not an exercise: use one of "
                f"{', '.join(sorted(KINDS))}",
            )
    body = doc.body.strip()
    if not body:
        check.error(doc.body_line, "the body is empty: explain the term below the front matter")
    _check_lists(check)
    if item_id is None:
        return None
    return GlossaryItem(
        id=item_id,
        path=doc.path,
        term=term,
        aliases=aliases,
        topic=topic,
        definition=definition,
        see_also=see_also,
        sources=sources,
        body=body,
        lines=check.lines(),
        exercises=[kind for kind in dict.fromkeys(exercises) if kind in KINDS],
    )


QUESTION_FIELDS = {
    "id", "title", "type", "difficulty", "tags", "related", "sources", "choices", "answer",
    "tolerance", "relative_tolerance", "unit", "accepted", "shuffle", "tolerance_note",
}  # fmt: skip
_TYPE_FIELDS = {
    "single": {"choices", "shuffle"},
    "multiple": {"choices", "shuffle"},
    "truefalse": {"answer"},
    "numeric": {"answer", "tolerance", "relative_tolerance", "unit", "tolerance_note"},
    "short": {"accepted"},
    "open": set(),
}
_ALL_TYPE_FIELDS = set().union(*_TYPE_FIELDS.values())


def read_question(doc: Document, topic: str) -> QuestionItem | None:
    if doc.broken:
        return None
    check = _Checker(doc, QUESTION_FIELDS)
    item_id = check.id()
    title = check.text("title", "a short name for lists", max_length=MAX_TITLE)
    qtype = check.choice_of("type", QUESTION_TYPES)
    difficulty = check.choice_of("difficulty", DIFFICULTIES)
    tags = [t.lower() for t in check.text_list("tags", "lowercase words", max_length=MAX_TAG)]
    related = check.text_list("related", "glossary ids", ids=True)
    sources = check.text_list("sources", "references")
    choices: list[Choice] = []
    answer: dict[str, Any] = {}
    shuffle = True
    if qtype is not None:
        for key in sorted(_ALL_TYPE_FIELDS - _TYPE_FIELDS[qtype]):
            if key in doc.data:
                check.error(doc.line_of(key), f"'{key}' does not apply to a '{qtype}' question")
        if qtype in CHOICE_TYPES:
            choices = _read_choices(check, qtype)
            shuffle = doc.data.get("shuffle", True)
            if not isinstance(shuffle, bool):
                check.error(
                    doc.line_of("shuffle"),
                    f"'shuffle' must be true or false, got {shuffle!r} (write 'shuffle: false' "
                    "only when the choices make sense in one order)",
                )
                shuffle = True
        elif qtype == "truefalse":
            value = doc.data.get("answer")
            if not isinstance(value, bool):
                check.error(
                    doc.line_of("answer") if "answer" in doc.data else 1,
                    "a 'truefalse' question needs 'answer: true' or 'answer: false', "
                    f"got {value!r}",
                )
            else:
                answer = {"value": value}
        elif qtype == "numeric":
            answer = _read_numeric(check)
        elif qtype == "short":
            accepted = check.text_list("accepted", "accepted answers")
            if not accepted:
                check.error(
                    doc.line_of("accepted") if "accepted" in doc.data else 1,
                    "a 'short' question needs 'accepted': a list of at least one accepted answer",
                )
            answer = {"accepted": accepted}
    sections = _read_sections(check, qtype)
    if item_id is not None and not item_id.startswith(f"{topic}-"):
        check.error(
            doc.line_of("id"),
            f"the id must start with its topic folder and a hyphen ('{topic}-…'), got '{item_id}'",
        )
    if qtype == "numeric" and answer:
        _check_tolerance(check, sections.get("prompt", ""), answer)
    _check_lists(check)
    if item_id is None:
        return None
    rubric_text = sections.get("rubric", "")
    return QuestionItem(
        id=item_id,
        path=doc.path,
        topic=topic,
        title=title,
        type=qtype or "",
        difficulty=difficulty or "",
        tags=tags,
        related=related,
        sources=sources,
        choices=choices,
        answer=answer,
        prompt=sections.get("prompt", ""),
        explanation=sections.get("explanation", ""),
        model_answer=sections.get("model_answer", ""),
        rubric=_rubric_points(rubric_text),
        interviewer_notes=sections.get("interviewer_notes", ""),
        lines=check.lines(),
        shuffle=shuffle,
        tag_lines=_item_lines(doc, "tags"),
    )


def _item_lines(doc: Document, key: str) -> dict[str, int]:
    """Each item of a list field (as text_list reads it, lower-cased) and its own line."""
    value = doc.data.get(key)
    if not isinstance(value, list):
        return {}
    return {
        str(item).strip().lower(): doc.line_of(key, index)
        for index, item in reversed(list(enumerate(value)))  # the first of repeats wins
        if isinstance(item, (str, int, float)) and not isinstance(item, bool)
    }


def _read_choices(check: _Checker, qtype: str) -> list[Choice]:
    doc = check.doc
    raw = doc.data.get("choices")
    if not isinstance(raw, list) or len(raw) < 2:
        check.error(
            doc.line_of("choices") if "choices" in doc.data else 1,
            f"a '{qtype}' question needs 'choices': a list of at least two choices",
        )
        return []
    choices = []
    for index, item in enumerate(raw):
        line = doc.line_of("choices", index)
        if not isinstance(item, dict):
            check.error(line, f"choice {index + 1} must be a mapping with text, correct, feedback")
            continue
        unknown = set(item) - {"text", "correct", "feedback"}
        for key in sorted(unknown):
            check.error(
                doc.line_of("choices", index, key),
                f"choice {index + 1} has unknown field '{key}': expected text, correct, feedback",
            )
        text = item.get("text")
        if (
            isinstance(text, bool)
            or not isinstance(text, (str, int, float))
            or not str(text).strip()
        ):
            check.error(line, f"choice {index + 1} needs 'text'")
            text = ""
        correct = item.get("correct")
        if not isinstance(correct, bool):
            check.error(
                doc.line_of("choices", index, "correct"),
                f"choice {index + 1} needs 'correct: true' or 'correct: false', got {correct!r}",
            )
            correct = False
        feedback = item.get("feedback") or ""
        if not isinstance(feedback, str):
            check.error(
                doc.line_of("choices", index, "feedback"),
                f"choice {index + 1}: 'feedback' must be text",
            )
            feedback = ""
        if not correct and not feedback.strip():
            check.error(
                line, f"choice {index + 1} is wrong but has no 'feedback': say why it is wrong"
            )
        choices.append(Choice(str(text).strip(), correct, feedback.strip()))
    right = sum(choice.correct for choice in choices)
    line = doc.line_of("choices")
    if qtype == "single" and right != 1:
        check.error(line, f"a 'single' question needs exactly one correct choice, found {right}")
    if qtype == "multiple" and right == 0:
        check.error(line, "a 'multiple' question needs at least one correct choice, found none")
    return choices


def _read_numeric(check: _Checker) -> dict[str, Any]:
    doc = check.doc
    value = check.number("answer", "the expected value", required=True)
    tolerance = check.number("tolerance", "absolute tolerance", required=False, minimum=0)
    relative = check.number(
        "relative_tolerance", "relative tolerance, a fraction", required=False, minimum=0
    )
    if "tolerance" not in doc.data and "relative_tolerance" not in doc.data:
        check.error(
            doc.line_of("answer") if "answer" in doc.data else 1,
            "a 'numeric' question needs 'tolerance' (absolute) "
            "or 'relative_tolerance' (a fraction)",
        )
    unit = check.text("unit", "the unit of the answer", required=False)
    if value is None:
        return {}
    return {"value": value, "tolerance": tolerance, "relative_tolerance": relative, "unit": unit}


_DECIMALS = re.compile(r"\b(one|two|three|four|five|six|\d) decimals?\b", re.IGNORECASE)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _check_tolerance(check: _Checker, prompt: str, answer: dict[str, Any]) -> None:
    """The one tolerance rule: half a unit of the last decimal the question asks for ("to
    three decimals" -> 0.0005), unless `tolerance_note` says why not."""
    asked = _DECIMALS.search(prompt)
    tolerance = answer.get("tolerance")
    if asked is None or tolerance is None or "tolerance_note" in check.doc.data:
        return
    word = asked.group(1).lower()
    decimals = _NUMBER_WORDS.get(word) or int(word)
    wanted = 0.5 * 10**-decimals
    if abs(tolerance - wanted) > 1e-12:
        check.error(
            check.doc.line_of("tolerance"),
            f"the question asks for {asked.group(0)}, so 'tolerance' should be {wanted:g} (half a "
            f"unit of the last decimal), got {tolerance!r}; if it must differ, say why in "
            "'tolerance_note'",
        )


_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|1[.)])\s+\S")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _check_lists(check: _Checker) -> None:
    """A list straight after a paragraph line runs into the paragraph when rendered: report
    the line, so the author adds the blank line Markdown needs."""
    doc = check.doc
    previous = ""
    fenced = False
    for offset, line in enumerate(doc.body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
        elif (
            not fenced
            and _LIST_ITEM.match(line)
            and previous.strip()
            and not _LIST_ITEM.match(previous)
            and not previous.startswith((" ", "\t", "#", "|", ">"))
        ):
            check.error(
                doc.body_line + offset,
                "a list directly after a line of text runs into it when rendered: put a blank "
                "line before the list",
            )
        previous = line if not fenced else ""


def _read_sections(check: _Checker, qtype: str | None) -> dict[str, str]:
    doc = check.doc
    preamble, sections = split_sections(doc)
    if preamble:
        check.error(
            doc.body_line,
            "text before the first section: start the body with '## Question'",
        )
    found: dict[str, Section] = {}
    last_index = -1
    for section in sections:
        if section.title not in QUESTION_SECTIONS:
            check.error(
                section.line,
                f"unknown section '## {section.title}': expected one of "
                + ", ".join(f"'## {name}'" for name in SECTION_ORDER),
            )
            continue
        if section.title in found:
            check.error(section.line, f"section '## {section.title}' appears twice")
            continue
        index = SECTION_ORDER.index(section.title)
        if index < last_index:
            check.error(
                section.line,
                f"section '## {section.title}' is out of order: use the order "
                + ", ".join(SECTION_ORDER),
            )
        last_index = max(last_index, index)
        if not section.text:
            check.error(section.line, f"section '## {section.title}' is empty")
        found[section.title] = section
    if qtype is not None:
        for title, (_, required_for) in QUESTION_SECTIONS.items():
            if qtype in required_for and title not in found:
                check.error(
                    doc.body_line,
                    f"a '{qtype}' question needs a '## {title}' section",
                )
        if "Rubric" in found and qtype != "open":
            check.error(found["Rubric"].line, "'## Rubric' applies only to 'open' questions")
        if "Model answer" in found and qtype != "open":
            check.error(
                found["Model answer"].line,
                "'## Model answer' applies only to 'open' questions: use '## Explanation'",
            )
    if "Rubric" in found and found["Rubric"].text and not _rubric_points(found["Rubric"].text):
        check.error(found["Rubric"].line, "'## Rubric' must be a bullet list, one point a bullet")
    return {QUESTION_SECTIONS[title][0]: section.text for title, section in found.items()}


_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")


def _rubric_points(text: str) -> list[str]:
    points: list[str] = []
    for line in text.split("\n"):
        bullet = _BULLET.match(line)
        if bullet:
            points.append(bullet.group(1).strip())
        elif line.strip() and points:
            points[-1] += " " + line.strip()
    return points


SET_FIELDS = {"id", "title", "time_limit", "questions", "show_answers"}
MAX_TIME_LIMIT = 240
MAX_RANDOM = 50


def read_set(doc: Document) -> SetItem | None:
    if doc.broken:
        return None
    check = _Checker(doc, SET_FIELDS)
    item_id = check.id()
    title = check.text("title", "the set's name", max_length=MAX_TITLE)
    time_limit = doc.data.get("time_limit")
    if time_limit is None:
        check.error(1, "missing required field 'time_limit' (whole minutes)")
    elif (
        isinstance(time_limit, bool)
        or not isinstance(time_limit, int)
        or not 1 <= time_limit <= MAX_TIME_LIMIT
    ):
        check.error(
            doc.line_of("time_limit"),
            f"'time_limit' must be whole minutes from 1 to {MAX_TIME_LIMIT}, got {time_limit!r}",
        )
        time_limit = None
    show_answers = doc.data.get("show_answers", True)
    if not isinstance(show_answers, bool):
        check.error(
            doc.line_of("show_answers"),
            f"'show_answers' must be true or false, got {show_answers!r}",
        )
        show_answers = True
    entries = _read_set_entries(check)
    questions = [entry.question for entry in entries if entry.question]
    description = doc.body.strip()
    if not description:
        check.error(doc.body_line, "the body is empty: describe who the set is for")
    elif problem := description_problem(description):
        check.error(doc.body_line, problem)
    if item_id is None:
        return None
    return SetItem(
        id=item_id,
        path=doc.path,
        title=title,
        time_limit=time_limit or 0,
        questions=questions,
        description=description,
        entries=entries,
        lines=check.lines(),
        show_answers=show_answers,
    )


def description_problem(text: str) -> str | None:
    """Why a set description cannot be kept, or None: the one rule for the set form, the API
    and imports. Too long, or nested deeper than the renderer goes (markup.MAX_NESTING)."""
    if len(text) > MAX_DESCRIPTION:
        return (
            f"the description is {len(text):,} characters long; "
            f"keep it to {MAX_DESCRIPTION:,} at most"
        )
    depth = markdown_nesting(text)
    if depth > MAX_NESTING:
        return (
            f"the description puts lists or quotes {depth} levels deep; "
            f"keep it to {MAX_NESTING} at most"
        )
    return None


ENTRY_FORMS = (
    "a question id, {exercise: <kind>, level: <level>, seed: <number, optional>} "
    "or {random: <count>, topic: <topic>, difficulty: <level, optional>}"
)


def _read_set_entries(check: _Checker) -> list[SetEntrySpec]:
    """`questions:` items are question ids, exercise entries or random-draw entries."""
    doc = check.doc
    raw = doc.data.get("questions")
    if raw is None:
        check.error(1, "missing required field 'questions' (a list of question ids)")
        return []
    if not isinstance(raw, list) or not raw:
        check.error(
            doc.line_of("questions"), f"'questions' must be a non-empty list of {ENTRY_FORMS}"
        )
        return []
    entries: list[SetEntrySpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        line = doc.line_of("questions", index)
        if isinstance(item, dict):
            entry, problem = _read_entry_mapping(item)
            if problem:
                check.error(line, f"entry {index + 1}: {problem}")
            elif entry:
                entries.append(replace(entry, line=line))
            continue
        if not isinstance(item, str) or not ID_RE.match(item):
            check.error(
                line, f"entry {index + 1}: {item!r} is not a question id; an entry is {ENTRY_FORMS}"
            )
            continue
        if item in seen:
            check.error(line, f"question {item!r} is listed twice")
            continue
        seen.add(item)
        entries.append(SetEntrySpec(question=item, line=line))
    return entries


def _whole(value: Any, low: int, high: int) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _read_entry_mapping(item: dict) -> tuple[SetEntrySpec | None, str]:
    if "exercise" in item:
        unknown = set(item) - {"exercise", "level", "seed"}
        kind, level, seed = item.get("exercise"), item.get("level", "medium"), item.get("seed")
        if unknown:
            return None, f"unknown key {', '.join(sorted(map(str, unknown)))} in an exercise entry"
        if kind not in KINDS:
            return None, f"exercise must be one of {', '.join(KINDS)}, got {kind!r}"
        if level not in DIFFICULTIES:
            return None, "level must be one of easy, medium, hard"
        if seed is not None and not _whole(seed, 0, MAX_SEED):
            return None, f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}"
        return SetEntrySpec(exercise=kind, level=level, seed=seed), ""
    if "random" in item:
        unknown = set(item) - {"random", "topic", "difficulty"}
        count, topic, difficulty = item.get("random"), item.get("topic"), item.get("difficulty")
        if unknown:
            return None, f"unknown key {', '.join(sorted(map(str, unknown)))} in a random entry"
        if not _whole(count, 1, MAX_RANDOM):
            return None, f"random must be a count from 1 to {MAX_RANDOM}, got {count!r}"
        if not isinstance(topic, str) or not ID_RE.match(topic):
            return None, f"a random entry needs topic: <topic slug>, got {topic!r}"
        if difficulty is not None and difficulty not in DIFFICULTIES:
            return None, "difficulty must be one of easy, medium, hard"
        return SetEntrySpec(random=count, topic=topic, difficulty=difficulty), ""
    return None, f"an entry is {ENTRY_FORMS}; got {item!r}"
