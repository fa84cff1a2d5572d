"""Questions coming in from other systems (Moodle XML, GIFT): what a reader returns, the
limits every reader keeps, and the content/ Markdown a question becomes. Pure Python: no Django.

A reader never raises on what a file holds. It returns an `ImportResult`: the questions and
random draws in file order, the problems that make the file unusable (`errors`; nothing is
imported then), and one sentence per question it had to leave out or change (`skipped`,
`notes`), so nothing is dropped silently.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from typing import Any

import nh3
import yaml

from ..markup import sanitize
from .schema import ID_RE, MAX_ID, MAX_TITLE

# The same bounds for both formats and both entry points (upload and command).
# Under the site's 1 MB request limit (DJANGO_MAX_BODY_BYTES) with room for the form around it.
MAX_IMPORT_BYTES = 1000 * 1024
MAX_IMPORT_QUESTIONS = 500
MAX_TEXT = 20_000  # characters in one text (question, feedback, answer)
MAX_XML_DEPTH = 32  # elements inside each other; Moodle's own files use 6
MAX_CHOICES = 50
MAX_ACCEPTED = 50
# Reading one file (parsing and rendering every text) stops past this many seconds: the
# bounds above keep a file small, this keeps a slow-to-render one from holding a worker.
MAX_IMPORT_SECONDS = 10.0


def over_time(started: float) -> bool:
    """Whether reading a file begun at `started` (time.monotonic()) has run out of time."""
    return time.monotonic() - started > MAX_IMPORT_SECONDS


def too_slow(name: str) -> str:
    return (
        f"{name}: reading the file took over {MAX_IMPORT_SECONDS:g} s, so nothing was "
        "imported: split it into smaller files or simplify its formatting"
    )


# Where a random draw's questions live: `$course$/ImagingPrep/<topic>[/<difficulty>]`.
POOL_CATEGORY = "ImagingPrep"
_POOL = re.compile(
    r"^\$(?:course|cat|module|system)\$/(?:top/)?"
    + POOL_CATEGORY
    + r"/(?P<topic>[a-z0-9]+(?:-[a-z0-9]+)*)(?:/(?P<difficulty>easy|medium|hard))?$"
)


@dataclass
class ImportedQuestion:
    """One question in this site's terms; all text is sanitised HTML."""

    where: str  # "file.xml: question 'Name'" or "file.gift:12", for messages
    title: str
    type: str  # single, multiple, truefalse, numeric, short, open
    prompt_html: str
    explanation_html: str = ""
    choices: list[dict[str, Any]] = field(default_factory=list)  # text_html, correct, feedback_html
    answer: dict[str, Any] = field(default_factory=dict)
    model_answer_html: str = ""
    rubric: list[str] = field(default_factory=list)  # HTML, one point each
    interviewer_notes_html: str = ""
    idnumber: str = ""
    category: str = ""
    shuffle: bool = True  # False keeps the choices in the file's order


@dataclass(frozen=True)
class RandomDraw:
    """`count` random questions from one of this site's topics (an exported random entry)."""

    where: str
    count: int
    topic: str
    difficulty: str | None = None


@dataclass
class ImportResult:
    name: str
    items: list[ImportedQuestion | RandomDraw] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def questions(self) -> list[ImportedQuestion]:
        return [item for item in self.items if isinstance(item, ImportedQuestion)]

    @property
    def draws(self) -> list[RandomDraw]:
        return [item for item in self.items if isinstance(item, RandomDraw)]


def pool_of(category: str) -> tuple[str, str | None] | None:
    """(topic, difficulty) when `category` is one this site exports random draws from."""
    found = _POOL.match(category.strip())
    return (found["topic"], found["difficulty"]) if found else None


class TextTooLong(ValueError):
    pass


def clean_html(text: str, *, what: str) -> str:
    """Sanitised HTML (nh3, as content is), refusing texts beyond MAX_TEXT."""
    if len(text) > MAX_TEXT:
        raise TextTooLong(
            f"the {what} is {len(text):,} characters long; at most {MAX_TEXT:,} are imported"
        )
    return sanitize(text.strip()).strip()


def plain_to_html(text: str) -> str:
    """Plain text as HTML: escaped, paragraphs at blank lines, line breaks kept."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    if len(paragraphs) == 1 and "\n" not in paragraphs[0]:
        return html.escape(paragraphs[0], quote=False)
    return "".join(
        "<p>" + html.escape(part, quote=False).replace("\n", "<br>") + "</p>" for part in paragraphs
    )


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment (short answers, names)."""
    return html.unescape(nh3.clean(fragment, tags=set())).strip()


# Markdown files -------------------------------------------------------------------------

_BLOCK_START = re.compile(
    r"^<(p|div|table|ul|ol|pre|h[1-6]|blockquote|dl|hr|math)[\s>/]", re.IGNORECASE
)
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.IGNORECASE | re.DOTALL)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#!|~$])")


def markdown_block(fragment: str) -> str:
    """Sanitised HTML as a Markdown body section that renders back to the same HTML.

    The site's Markdown passes block-level HTML through (and sanitises it), so the HTML is
    kept as it is, on one line (a line starting with '## ' or '- ' would otherwise read as a
    heading or list), with '$' as an entity so no formula is found in it. Text without tags
    is written as escaped Markdown."""
    fragment = fragment.strip()
    if not fragment:
        return ""
    if "<" not in fragment:
        return markdown_inline(fragment)
    parts = _PRE.split(fragment)
    one_line = "".join(
        part.replace("\n", "&#10;") if index % 2 else re.sub(r"\s*\n\s*", " ", part)
        for index, part in enumerate(parts)
    )
    one_line = one_line.replace("$", "&#36;")
    if not _BLOCK_START.match(one_line):
        one_line = f"<p>{one_line}</p>"
    return one_line


def markdown_inline(fragment: str) -> str:
    """HTML of a choice or feedback as one line of Markdown that renders back to it."""
    fragment = re.sub(r"\s*\n\s*", " ", fragment.strip())
    if "<" in fragment:
        return fragment.replace("$", "&#36;")
    # Text and entities only: escape what Markdown or a formula would read.
    text = _MD_SPECIAL.sub(r"\\\1", fragment)
    return re.sub(r"^([-+]|\d+[.)])(\s)", r"\\\1\2", text)


def question_id(topic: str, title: str, idnumber: str, taken: set[str]) -> str:
    """The file's id: the Moodle idnumber when it is already one of ours for this topic,
    else the topic and the title's words, numbered when taken."""
    if ID_RE.match(idnumber) and idnumber.startswith(f"{topic}-") and idnumber not in taken:
        return idnumber
    words = re.sub(r"[^a-z0-9]+", "-", html.unescape(title).lower()).strip("-")[:60].strip("-")
    base = f"{topic}-{words or 'imported'}"[: MAX_ID - 4].strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def to_question_file(
    question: ImportedQuestion, *, id: str, difficulty: str, tags: list[str] | None = None
) -> str:
    """The question as a content/questions/<topic>/<id>.md file."""
    front: dict[str, Any] = {
        "id": id,
        "title": html_to_text(question.title)[:MAX_TITLE] or id,
        "type": question.type,
        "difficulty": difficulty,
    }
    if tags:
        front["tags"] = tags
    if question.type in ("single", "multiple"):
        if not question.shuffle:
            front["shuffle"] = False
        front["choices"] = [
            {
                "text": markdown_inline(choice["text_html"]),
                "correct": bool(choice["correct"]),
                **(
                    {"feedback": markdown_inline(choice["feedback_html"])}
                    if choice.get("feedback_html")
                    else {}
                ),
            }
            for choice in question.choices
        ]
    elif question.type == "truefalse":
        front["answer"] = bool(question.answer["value"])
    elif question.type == "numeric":
        front["answer"] = question.answer["value"]
        if question.answer.get("tolerance") is not None:
            front["tolerance"] = question.answer["tolerance"]
        if question.answer.get("relative_tolerance") is not None:
            front["relative_tolerance"] = question.answer["relative_tolerance"]
        if question.answer.get("unit"):
            front["unit"] = question.answer["unit"]
    elif question.type == "short":
        front["accepted"] = list(question.answer["accepted"])
    sections = [("Question", markdown_block(question.prompt_html))]
    if question.type == "open":
        sections.append(("Model answer", markdown_block(question.model_answer_html)))
        if question.rubric:
            points = "\n".join(f"- {markdown_inline(point)}" for point in question.rubric)
            sections.append(("Rubric", points))
    else:
        sections.append(("Explanation", markdown_block(question.explanation_html)))
    sections.append(("Interviewer notes", markdown_block(question.interviewer_notes_html)))
    body = "\n\n".join(f"## {title}\n\n{text}" for title, text in sections if text)
    dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{dumped}---\n{body}\n"
