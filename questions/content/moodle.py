"""A question set as a Moodle XML question bank file. Pure Python: no Django.

The shape follows Moodle's XML format (question/format/xml/format.php): `<quiz>` holding one
`<question type=…>` per item, texts as `<text>` in CDATA with `format="html"`, answers with a
`fraction` (percent of the mark) and feedback, and `category` pseudo-questions that put the
questions after them into a category. Every entry of a set goes out:

- bank questions: single/select-all -> multichoice, true/false -> truefalse, numeric ->
  numerical (one absolute tolerance), short -> shortanswer, open -> essay, whose `graderinfo`
  (shown to graders only) holds the model answer, the rubric and the interviewer notes;
- "N random from topic T": the topic's questions go into `$course$/ImagingPrep/<topic>`
  (`/<difficulty>` when the entry names one), without the questions the set lists itself,
  as our draw does; then N `random` questions that draw from that category;
- a live exercise: one cloze (multianswer) question holding the prompt, the data as tables
  and an answer box per field (NUMERICAL with the field's tolerance, SHORTANSWER for text and
  0/0, MULTICHOICE for yes/no), so the data and its questions stay one item, as on this site.

Fractions mirror our own grading: select-all questions give each correct option 100/k and
take the same for a wrong one (Moodle, like us, floors the total at 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from .interchange import POOL_CATEGORY

SET_CATEGORY = f"{POOL_CATEGORY}/Sets"
# Characters XML 1.0 cannot carry at all, even in CDATA.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class MoodleQuestion:
    id: str
    title: str
    type: str
    prompt_html: str
    explanation_html: str = ""
    choices: list[dict] = field(default_factory=list)  # text_html, correct, feedback_html
    answer: dict[str, Any] = field(default_factory=dict)
    shuffle: bool = True
    model_answer_html: str = ""
    rubric: list[str] = field(default_factory=list)
    interviewer_notes_html: str = ""


@dataclass(frozen=True)
class ClozeField:
    label_html: str
    kind: str  # number, yesno, text
    expected: float | str | None  # None: the value is undefined (0/0)
    tolerance: float = 0.0


@dataclass(frozen=True)
class MoodleExercise:
    id: str
    title: str
    prompt_html: str
    data_html: str
    fields: list[ClozeField]
    solution_html: str = ""


@dataclass(frozen=True)
class MoodleRandom:
    topic: str
    topic_title: str
    count: int
    difficulty: str | None
    pool: list[MoodleQuestion]


MoodleEntry = MoodleQuestion | MoodleExercise | MoodleRandom


def fraction(value: float) -> str:
    """Moodle's importer reads grades such as 33.33333 and -12.5."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value: float) -> str:
    """A number as Moodle's numerical answers read it: plain decimals, no exponent."""
    if float(value).is_integer():
        return str(int(value))
    if abs(value) < 1e-6:  # twelve decimals would round it to 0; PHP reads 1.5e-09 too
        return repr(float(value))
    return f"{value:.12f}".rstrip("0").rstrip(".")


def _escape_attribute(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _cdata(value: str) -> str:
    value = _NOT_XML.sub("", value)
    if not value:
        return ""
    # "]]>" would end the section: split it across two.
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def open(self, tag: str, **attributes: str) -> None:
        attrs = "".join(f' {k}="{_escape_attribute(v)}"' for k, v in attributes.items())
        self.lines.append(f"{'  ' * self.depth}<{tag}{attrs}>")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.lines.append(f"{'  ' * self.depth}</{tag}>")

    def value(self, tag: str, value: str) -> None:
        """A plain element (numbers, flags, ids): escaped text."""
        escaped = _NOT_XML.sub("", value).replace("&", "&amp;").replace("<", "&lt;")
        self.lines.append(f"{'  ' * self.depth}<{tag}>{escaped.replace('>', '&gt;')}</{tag}>")

    def text(self, tag: str, value: str, *, html: bool = True, **attributes: str) -> None:
        """`<tag format="html"><text><![CDATA[…]]></text></tag>`."""
        if html:
            attributes = {"format": "html", **attributes}
        self.open(tag, **attributes)
        self.lines.append(f"{'  ' * self.depth}<text>{_cdata(value)}</text>")
        self.close(tag)

    def comment(self, value: str) -> None:
        value = _NOT_XML.sub("", value).replace("--", "- -")  # "--" may not appear inside
        self.lines.append(f"{'  ' * self.depth}<!-- {value} -->")


def _header(w: _Writer, moodle_type: str, title: str, prompt_html: str, feedback: str) -> None:
    w.open("question", type=moodle_type)
    w.text("name", title, html=False)
    w.text("questiontext", prompt_html)
    w.text("generalfeedback", feedback)


def _answer(
    w: _Writer, value: float, text: str, feedback: str = "", *, html: bool = True, extra: str = ""
) -> None:
    attributes = {"fraction": fraction(value)}
    if html:
        attributes["format"] = "html"
    w.open("answer", **attributes)
    w.lines.append(f"{'  ' * w.depth}<text>{_cdata(text)}</text>")
    w.text("feedback", feedback)
    if extra:
        w.value("tolerance", extra)
    w.close("answer")


def grader_info(question: MoodleQuestion) -> str:
    """What Moodle shows graders only: the model answer, the rubric, the interviewer notes.
    Headings the importer reads back."""
    parts = [f"<h4>Model answer</h4>{question.model_answer_html}"]
    if question.rubric:
        points = "".join(f"<li>{point}</li>" for point in question.rubric)
        parts.append(f"<h4>Rubric</h4><ul>{points}</ul>")
    if question.interviewer_notes_html:
        parts.append(f"<h4>Interviewer notes</h4>{question.interviewer_notes_html}")
    return "".join(parts)


def _question(w: _Writer, question: MoodleQuestion) -> None:
    moodle_type = {
        "single": "multichoice",
        "multiple": "multichoice",
        "truefalse": "truefalse",
        "numeric": "numerical",
        "short": "shortanswer",
        "open": "essay",
    }[question.type]
    _header(w, moodle_type, question.title, question.prompt_html, question.explanation_html)
    w.value("defaultgrade", "1")
    w.value("penalty", "0")
    w.value("hidden", "0")
    w.value("idnumber", question.id)
    if question.type in ("single", "multiple"):
        single = question.type == "single"
        w.value("single", "true" if single else "false")
        w.value("shuffleanswers", "true" if question.shuffle else "false")
        w.value("answernumbering", "abc")
        right = sum(1 for choice in question.choices if choice["correct"]) or 1
        for choice in question.choices:
            if single:
                value = 100.0 if choice["correct"] else 0.0
            else:
                value = (100.0 if choice["correct"] else -100.0) / right
            _answer(w, value, choice["text_html"], choice.get("feedback_html", ""))
    elif question.type == "truefalse":
        truth = bool(question.answer["value"])
        _answer(w, 100.0 if truth else 0.0, "true", html=False)
        _answer(w, 0.0 if truth else 100.0, "false", html=False)
    elif question.type == "numeric":
        value = float(question.answer["value"])
        tolerance = max(
            float(question.answer.get("tolerance") or 0),
            float(question.answer.get("relative_tolerance") or 0) * abs(value),
        )
        _answer(w, 100.0, number(value), html=False, extra=number(tolerance))
        if question.answer.get("unit"):
            w.open("units")
            w.open("unit")
            w.value("multiplier", "1")
            w.value("unit_name", str(question.answer["unit"]))
            w.close("unit")
            w.close("units")
            w.value("unitgradingtype", "0")  # the unit is not graded, as here
            w.value("showunits", "0")  # typing it is optional
            w.value("unitsleft", "0")
    elif question.type == "short":
        w.value("usecase", "0")
        for accepted in question.answer["accepted"]:
            _answer(w, 100.0, accepted, html=False)
    else:  # open
        w.value("responseformat", "editor")
        w.value("responserequired", "1")
        w.value("responsefieldlines", "15")
        w.value("attachments", "0")
        w.value("attachmentsrequired", "0")
        w.text("graderinfo", grader_info(question))
        w.text("responsetemplate", "")
    w.close("question")


_CLOZE_SPECIAL = re.compile(r'([}#~/"\\])')


def _cloze_text(value: str) -> str:
    return _CLOZE_SPECIAL.sub(r"\\\1", value)


def cloze_box(spec: ClozeField) -> str:
    """One embedded answer: {1:NUMERICAL:=0.727:0.005} and the like."""
    if spec.expected is None:
        return "{1:SHORTANSWER:=undefined~=n/a~=nan}"
    if spec.kind == "yesno":
        yes = float(spec.expected) == 1.0
        return "{1:MULTICHOICE:" + ("=yes~no" if yes else "yes~=no") + "}"
    if spec.kind == "text":
        return "{1:SHORTANSWER:=" + _cloze_text(str(spec.expected)) + "}"
    return f"{{1:NUMERICAL:={number(float(spec.expected))}:{number(spec.tolerance)}}}"


def _exercise(w: _Writer, exercise: MoodleExercise) -> None:
    rows = "".join(
        f"<tr><th scope='row'>{spec.label_html}</th><td>{cloze_box(spec)}</td></tr>"
        for spec in exercise.fields
    )
    text = f"{exercise.prompt_html}{exercise.data_html}<table><tbody>{rows}</tbody></table>"
    _header(w, "cloze", exercise.title, text, exercise.solution_html)
    w.value("penalty", "0")
    w.value("hidden", "0")
    w.value("idnumber", exercise.id)
    w.close("question")


def _category(w: _Writer, path: str) -> None:
    w.open("question", type="category")
    w.text("category", "$course$/" + path, html=False)
    w.close("question")


def pool_category(topic: str, difficulty: str | None) -> str:
    return f"{POOL_CATEGORY}/{topic}" + (f"/{difficulty}" if difficulty else "")


def _random(w: _Writer, entry: MoodleRandom, pool_written: set[str]) -> None:
    path = pool_category(entry.topic, entry.difficulty)
    _category(w, path)
    if path not in pool_written:
        pool_written.add(path)
        for question in entry.pool:
            _question(w, question)
    level = f" {entry.difficulty}" if entry.difficulty else ""
    for n in range(1, entry.count + 1):
        # questiontext "0": draw from this category only, not its subcategories.
        _header(w, "random", f"Random{level} ({entry.topic_title}) {n}", "0", "")
        w.value("defaultgrade", "1")
        w.value("penalty", "0")
        w.value("hidden", "0")
        w.close("question")


def to_moodle_xml(title: str, entries: list[MoodleEntry], notes: list[str] | None = None) -> str:
    """A Moodle question bank file holding every entry of a set, in order."""
    w = _Writer()
    w.open("quiz")
    for note in notes or []:
        w.comment(note)
    # A slash would nest categories in Moodle.
    home = f"{SET_CATEGORY}/{title.replace('/', '-')}"
    _category(w, home)
    in_home = True
    pool_written: set[str] = set()
    for entry in entries:
        if isinstance(entry, MoodleRandom):
            _random(w, entry, pool_written)
            in_home = False
            continue
        if not in_home:
            _category(w, home)
            in_home = True
        if isinstance(entry, MoodleExercise):
            _exercise(w, entry)
        else:
            _question(w, entry)
    w.close("quiz")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(w.lines) + "\n"


class _Grids(HTMLParser):
    """Rewrites the site's exercise data for a page without our stylesheet: ARIA grids
    (div role=table/row/cell) become tables, CSS-drawn masks (figure.mask) are dropped (the
    numbers beside them stay), and <details> opens into plain blocks."""

    _ROLES = {"table": "table", "row": "tr", "columnheader": "th", "cell": "td", "rowheader": "th"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[str | None] = []  # per open element: its new tag, or None if dropped
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("br", "hr", "img", "input", "meta", "link", "wbr"):
            if not self.skipping:
                self.out.append(self.get_starttag_text() or "")
            return
        if self.skipping or (tag == "figure" and "mask" in (values.get("class") or "")):
            self.skipping += 1
            self.stack.append(None)
            return
        new = self._ROLES.get(values.get("role") or "", None)
        if new is None and tag == "details":
            new = "div"
        if new is None and tag == "summary":
            new = "p"
        if new is not None:
            self.out.append(f"<{new}>")
            self.stack.append(new)
        else:
            self.out.append(self.get_starttag_text() or "")
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "hr", "img", "input", "meta", "link", "wbr") or not self.stack:
            return
        new = self.stack.pop()
        if new is None:
            self.skipping -= 1
            return
        self.out.append(f"</{new}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if not self.skipping:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self.skipping:
            self.out.append(f"&#{name};")


def grids_to_tables(fragment: str) -> str:
    parser = _Grids()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.out)
    return re.sub(r"\n\s*\n+", "\n", text).strip()
