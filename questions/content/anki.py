"""Anki decks (.apkg) of the glossary and of auto-graded questions. Pure Python: no Django.

The callers pass plain dataclasses; this module knows genanki and nothing of the database.

Re-importing a newer deck must update the cards a learner already has, never add copies, so
every id is derived from content ids, not drawn at random:

- a note's GUID is `genanki.guid_for` of the item's kind and its content id (a glossary
  term's or a question's `id:` in content/), so an edited text keeps its GUID. A question is
  one note wherever it comes from: importing a topic deck and then a set holding the same
  question updates that one note;
- note types and decks get fixed integer ids from a hash of a fixed name (`stable_id`);
- the notes' modification time is the newest `updated` of the items (the caller passes it),
  which Anki compares to decide that an import is newer, and which makes the same content
  give the same bytes.

Formulas stay MathML, as the site stores and shows them (see README "Anki decks").
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import sqlite3
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import genanki  # type: ignore[import-untyped]  # genanki ships no type hints

from ..markup import sanitize

AUTO_GRADED = ("single", "multiple", "truefalse", "numeric", "short")

# Why an entry of a set or topic is not a card, keyed by what it is. Said on the download
# page, by the command and in the deck's own description.
LEFT_OUT_REASONS = {
    "open": (
        "open question",
        "open questions",
        "answered in your own words and rated against a model answer, which a card cannot check",
    ),
    "exercise": (
        "live exercise",
        "live exercises",
        "they draw fresh data each time: practise them on the site",
    ),
    "random": (
        "random draw",
        "random draws",
        "they pick different questions for each attempt",
    ),
}

# A bound on the work of one build (the bank is ours, but it grows): the glossary's 183
# terms take about 0.15 s and make 134 kB (README "Anki decks").
MAX_NOTES = 3000

# Anki recommends ids in [2^30, 2^31): large enough not to meet a user's own (which are
# millisecond timestamps, far above) and within a signed 32-bit range for older clients.
_ID_LOW, _ID_SPAN = 1 << 30, 1 << 30


def stable_id(name: str) -> int:
    """A fixed integer id for a note type or deck, the same on every build and machine."""
    digest = hashlib.sha256(f"imagingprep:{name}".encode()).digest()
    return _ID_LOW + int.from_bytes(digest[:8], "big") % _ID_SPAN


def note_guid(kind: str, content_id: str) -> str:
    """The note's GUID: from the content id only, so editing the text keeps it."""
    return str(genanki.guid_for("imagingprep", kind, content_id))


@dataclass(frozen=True)
class TermCard:
    id: str
    term: str
    aliases: tuple[str, ...]
    definition: str  # plain text
    body_html: str  # sanitised HTML with MathML
    topic: str


@dataclass(frozen=True)
class QuestionCard:
    id: str
    title: str
    type: str  # one of AUTO_GRADED
    topic: str
    difficulty: str
    prompt_html: str
    explanation_html: str = ""
    choices: Sequence[dict[str, Any]] = ()  # text_html, correct, feedback_html
    answer: dict[str, Any] = field(default_factory=dict)
    shuffle: bool = True


@dataclass(frozen=True)
class LeftOut:
    """How many entries of one kind (open, exercise, random) a deck leaves out."""

    kind: str
    count: int

    @property
    def label(self) -> str:
        """'2 open questions'."""
        one, many, _ = LEFT_OUT_REASONS[self.kind]
        return f"{self.count} {one if self.count == 1 else many}"

    def __str__(self) -> str:
        return f"{self.label} ({LEFT_OUT_REASONS[self.kind][2]})"


def left_out_sentence(left_out: Iterable[LeftOut]) -> str:
    """'Left out: 2 open questions (…); 1 live exercise (…).', or '' if nothing was."""
    parts = [str(item) for item in left_out if item.count]
    return f"Left out: {'; '.join(parts)}." if parts else ""


@dataclass(frozen=True)
class DeckFile:
    name: str  # the deck's name in Anki
    filename: str
    data: bytes
    notes: int
    cards: int
    left_out: tuple[LeftOut, ...] = ()


_CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.45;
  text-align: left; color: #1b1f24; background: #fff; max-width: 42em; margin: 0 auto; }
.nightMode.card, .night_mode .card { color: #e6e8eb; background: #1e2125; }
.meta { font-size: 14px; color: #5b6470; }
.nightMode .meta, .night_mode .meta { color: #a9b1bb; }
.term { font-size: 26px; font-weight: 600; }
.choices { padding-left: 1.6em; }
.choices li { margin: 0.3em 0; }
.right { font-weight: 600; }
.feedback { font-size: 15px; margin: 0.2em 0 0.6em; }
.details, .explanation { border-top: 1px solid #c9ced6; margin-top: 1em; padding-top: 0.6em; }
math { font-size: 1.1em; }
math[display="block"] { display: block; margin: 0.6em 0; }
pre, code { font-family: ui-monospace, monospace; font-size: 0.9em; }
pre { white-space: pre-wrap; }
table { border-collapse: collapse; } th, td { border: 1px solid #c9ced6; padding: 0.2em 0.5em; }
"""

GLOSSARY_MODEL = genanki.Model(
    stable_id("model:glossary-term"),
    "ImagingPrep glossary term",
    fields=[
        {"name": "Term"},
        {"name": "Also called"},
        {"name": "Definition"},
        {"name": "Details"},
        {"name": "Topic"},
        {"name": "Id"},
    ],
    templates=[
        {
            "name": "Term → definition",
            "qfmt": (
                '<div class="term">{{Term}}</div>'
                '{{#Also called}}<p class="meta">Also called: {{Also called}}</p>{{/Also called}}'
            ),
            "afmt": (
                '{{FrontSide}}<hr id="answer"><p>{{Definition}}</p>'
                '{{#Details}}<div class="details">{{Details}}</div>{{/Details}}'
                '<p class="meta">{{Topic}}</p>'
            ),
        },
        {
            "name": "Definition → term",
            "qfmt": '<p class="meta">Which term?</p><p>{{Definition}}</p>',
            "afmt": (
                '{{FrontSide}}<hr id="answer"><div class="term">{{Term}}</div>'
                '{{#Also called}}<p class="meta">Also called: {{Also called}}</p>{{/Also called}}'
                '<p class="meta">{{Topic}}</p>'
            ),
        },
    ],
    css=_CSS,
)

QUESTION_MODEL = genanki.Model(
    stable_id("model:auto-graded-question"),
    "ImagingPrep question",
    fields=[
        {"name": "Question"},
        {"name": "Answer"},
        {"name": "Options explained"},
        {"name": "Explanation"},
        {"name": "About"},
        {"name": "Id"},
    ],
    templates=[
        {
            "name": "Question → answer",
            "qfmt": '{{Question}}<p class="meta">{{About}}</p>',
            "afmt": (
                '{{FrontSide}}<hr id="answer">{{Answer}}'
                "{{#Options explained}}{{Options explained}}{{/Options explained}}"
                '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}'
            ),
        }
    ],
    css=_CSS,
)

_TYPE_LABELS = {
    "single": "Single choice",
    "multiple": "Select all that apply",
    "truefalse": "True or false",
    "numeric": "Numeric answer",
    "short": "Short answer",
}


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _clean(fragment: str) -> str:
    """Stored HTML was sanitised when content was loaded; clean it again, since a deck is a
    file that outlives the site's own checks (the same rules: no script, no handlers)."""
    return sanitize(fragment) if fragment else ""


def _tag(text: str) -> str:
    """Anki tags are separated by spaces."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def _term_note(term: TermCard) -> genanki.Note:
    return genanki.Note(
        model=GLOSSARY_MODEL,
        fields=[
            _escape(term.term),
            _escape(", ".join(term.aliases)),
            _escape(term.definition),
            _clean(term.body_html),
            _escape(term.topic),
            _escape(term.id),
        ],
        guid=note_guid("glossary-term", term.id),
        tags=["imagingprep", "glossary"],
    )


def _shown_order(question: QuestionCard) -> list[int]:
    """The order the front lists the choices in. Authors often put the right one first, so
    the file's order would give it away; a hash of the question's id and each position is
    the same on every build (the note does not change under the learner) and differs
    between questions. `shuffle: false` (ordered scales) keeps the file's order."""
    indexes = list(range(len(question.choices)))
    if not question.shuffle:
        return indexes
    return sorted(indexes, key=lambda i: hashlib.sha256(f"{question.id}:{i}".encode()).digest())


def _letter(position: int) -> str:
    return chr(ord("A") + position) if position < 26 else str(position + 1)


def _question_fields(question: QuestionCard) -> tuple[str, str, str]:
    """(front, answer, options explained) as HTML."""
    prompt = _clean(question.prompt_html)
    kind = question.type
    if kind in ("single", "multiple"):
        order = _shown_order(question)
        ask = "Choose one." if kind == "single" else "Select all that apply."
        items = "".join(
            f"<li>{_letter(n)}. {_clean(question.choices[i]['text_html'])}</li>"
            for n, i in enumerate(order)
        )
        front = f'{prompt}<p class="meta">{ask}</p><ul class="choices">{items}</ul>'
        right = [(n, question.choices[i]) for n, i in enumerate(order)]
        correct = [f"{_letter(n)}. {_clean(c['text_html'])}" for n, c in right if c["correct"]]
        label = "Answer" if len(correct) == 1 else "Answers"
        answer = f'<p class="right">{label}:</p><ul class="choices">' + "".join(
            f'<li class="right">{text}</li>' for text in correct
        )
        answer += "</ul>" if correct else "<li>none of the options</li></ul>"
        explained = ""
        if any(c.get("feedback_html") for _, c in right):
            explained = '<ul class="choices">' + "".join(
                f"<li>{_letter(n)}. {'Right' if c['correct'] else 'Wrong'}"
                + (
                    f'<p class="feedback">{_clean(c["feedback_html"])}</p>'
                    if c.get("feedback_html")
                    else ""
                )
                + "</li>"
                for n, c in right
            )
            explained += "</ul>"
        return front, answer, explained
    if kind == "truefalse":
        front = f'<p class="meta">True or false?</p>{prompt}'
        truth = "true" if question.answer.get("value") else "false"
        return front, f'<p class="right">The statement is {truth}.</p>', ""
    if kind == "numeric":
        value = question.answer.get("value")
        unit = question.answer.get("unit") or ""
        within = []
        if question.answer.get("tolerance") is not None:
            within.append(f"± {question.answer['tolerance']:g}")
        if question.answer.get("relative_tolerance") is not None:
            within.append(f"within {question.answer['relative_tolerance'] * 100:g} %")
        accepted = f" ({' or '.join(within)})" if within else ""
        text = f"{value:g}" if isinstance(value, int | float) else str(value)
        answer = f'<p class="right">{_escape(f"{text} {unit}".strip())}{_escape(accepted)}</p>'
        return prompt, answer, ""
    if kind == "short":
        accepted = ", ".join(str(a) for a in question.answer.get("accepted", []))
        return prompt, f'<p class="right">Accepted: {_escape(accepted)}</p>', ""
    raise ValueError(f"{question.id}: a {kind!r} question cannot be a card")


def _question_note(question: QuestionCard) -> genanki.Note:
    front, answer, explained = _question_fields(question)
    about = " · ".join(
        part
        for part in (question.topic, _TYPE_LABELS.get(question.type, ""), question.difficulty)
        if part
    )
    return genanki.Note(
        model=QUESTION_MODEL,
        fields=[
            front,
            answer,
            explained,
            _clean(question.explanation_html),
            _escape(about),
            _escape(question.id),
        ],
        guid=note_guid("question", question.id),
        tags=["imagingprep", _tag(question.topic), question.difficulty],
    )


def _write(deck: genanki.Deck, timestamp: float) -> bytes:
    """The .apkg bytes. genanki's own `write_to_file` goes through a temporary SQLite file
    that it never deletes (one left in /tmp per download) and stamps the zip with the clock;
    this builds the same collection in memory and a zip whose bytes depend only on the deck,
    so the same content gives the same file."""
    connection = sqlite3.connect(":memory:")
    try:
        ids = itertools.count(int(timestamp * 1000))
        genanki.Package(deck).write_to_db(connection.cursor(), timestamp, ids)
        connection.commit()
        database = connection.serialize()
    finally:
        connection.close()
    buffer = io.BytesIO()
    stamp = (2000, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in (("collection.anki2", database), ("media", b"{}")):
            archive.writestr(zipfile.ZipInfo(name, stamp), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _deck(key: str, name: str, description: str) -> genanki.Deck:
    return genanki.Deck(stable_id(f"deck:{key}"), name, description=description)


def glossary_deck(terms: Sequence[TermCard], *, timestamp: float) -> DeckFile:
    """Every term as one note with two cards: term → definition and definition → term."""
    if len(terms) > MAX_NOTES:
        raise ValueError(f"A deck holds at most {MAX_NOTES} terms; the glossary has {len(terms)}.")
    name = "ImagingPrep::Glossary"
    deck = _deck(
        "glossary",
        name,
        f"{len(terms)} terms of medical-imaging data science, each both ways "
        "(term → definition, definition → term).",
    )
    cards = 0
    for term in terms:
        note = _term_note(term)
        cards += len(note.cards)
        deck.add_note(note)
    return DeckFile(name, "imagingprep-glossary.apkg", _write(deck, timestamp), len(terms), cards)


def question_deck(
    *,
    key: str,
    path: Sequence[str],
    filename: str,
    questions: Sequence[QuestionCard],
    left_out: Sequence[LeftOut] = (),
    timestamp: float,
) -> DeckFile:
    """One card per auto-graded question: the stem and choices, then the answer(s) and the
    explanation. `key` names the deck for its id ("topic:metrics", "set:dicom-essentials");
    `path` is where it sits under "ImagingPrep" in Anki's deck list (a "::" nests decks)."""
    if len(questions) > MAX_NOTES:
        raise ValueError(
            f"A deck holds at most {MAX_NOTES} questions; this one has {len(questions)}."
        )
    name = "::".join(["ImagingPrep", *(part.replace("::", ":") for part in path)])
    left = tuple(item for item in left_out if item.count)
    plural = "" if len(questions) == 1 else "s"
    description = f"{len(questions)} auto-graded question{plural}. {left_out_sentence(left)}"
    deck = _deck(key, name, _escape(description.strip()))
    for question in questions:
        deck.add_note(_question_note(question))
    data = _write(deck, timestamp)
    return DeckFile(name, filename, data, len(questions), len(questions), left)
