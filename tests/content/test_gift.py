"""Reading GIFT: every supported answer block, escapes, formats, and errors with the line
the question starts on. No database."""

import time

import pytest

from questions.content import interchange
from questions.content.gift import read_gift
from questions.content.interchange import MAX_IMPORT_BYTES, MAX_IMPORT_QUESTIONS


def _read(text: str, name: str = "q.gift"):
    return read_gift(name, text.encode())


def _one(text: str):
    result = _read(text)
    assert result.errors == [] and result.skipped == [], (result.errors, result.skipped)
    (question,) = result.questions
    return question


def test_single_choice_with_title_and_feedback():
    q = _one("::Modality::Which modality uses HU? {=CT#Right ~MRI#No HU in MRI ~US#Sound}")
    assert (q.title, q.type, q.prompt_html) == ("Modality", "single", "Which modality uses HU?")
    assert q.choices == [
        {"text_html": "CT", "correct": True, "feedback_html": "Right"},
        {"text_html": "MRI", "correct": False, "feedback_html": "No HU in MRI"},
        {"text_html": "US", "correct": False, "feedback_html": "Sound"},
    ]


def test_multiple_answers_with_weights():
    q = _one("Which are overlap metrics? {~%50%Dice ~%50%IoU ~%-100%DICOM#a file format}")
    assert q.type == "multiple"
    assert [c["correct"] for c in q.choices] == [True, True, False]
    assert q.choices[2]["feedback_html"] == "a file format"


@pytest.mark.parametrize(
    ("block", "value"), [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False)]
)
def test_true_false(block, value):
    q = _one(f"CT uses ionising radiation. {block}")
    assert q.type == "truefalse" and q.answer == {"value": value}


def test_true_false_takes_the_right_answers_feedback_as_explanation():
    q = _one("CT uses X-rays. {T#No: it does.#Yes, X-rays.}")
    assert q.explanation_html == "Yes, X-rays."


def test_short_answer_accepts_every_equals_answer():
    q = _one("Standard for images? {=DICOM =Digital Imaging and Communications in Medicine}")
    assert q.type == "short"
    assert q.answer == {"accepted": ["DICOM", "Digital Imaging and Communications in Medicine"]}


@pytest.mark.parametrize(
    ("block", "value", "tolerance"),
    [
        ("{#3.5:0.1}", 3.5, 0.1),
        ("{#1..5}", 3.0, 2.0),
        ("{#-2}", -2.0, 0.0),
        ("{#=0.727:0.0005#Right =%50%0.7:0.1#Close}", 0.727, 0.0005),
    ],
)
def test_numerical_with_tolerance_or_range(block, value, tolerance):
    q = _one(f"The number? {block}")
    assert q.type == "numeric"
    assert q.answer == {
        "value": value,
        "tolerance": tolerance,
        "relative_tolerance": None,
        "unit": "",
    }


def test_a_range_near_the_largest_float_stays_finite():
    """(low + high) / 2 overflowed to infinity, which JSON cannot store (a 500 on save)."""
    wide = _one("The number? {#-1.7e308..1.7e308}")
    assert (wide.answer["value"], wide.answer["tolerance"]) == (0.0, 1.7e308)
    high = _one("The number? {#1e308..1.7e308}")
    assert high.answer["value"] == 1.35e308
    assert high.answer["tolerance"] == pytest.approx(0.35e308)


def test_nul_characters_are_removed_and_the_report_says_where():
    """No database here can keep a NUL (PostgreSQL refuses it): saving was a 500."""
    result = read_gift(
        "nul.gift", b"// c\n::Ti\x00tle::What\x00 is it? {T}\n\n::C::Which? {=a\x00 ~b}\n"
    )
    assert result.errors == []
    assert result.notes == [
        "nul.gift:2: 3 NUL character(s) (\\0) cannot be stored and were removed"
    ]
    first, second = result.questions
    assert (first.title, first.prompt_html) == ("Title", "What is it?")
    assert second.choices[0]["text_html"] == "a"


def test_essay_and_general_feedback():
    q = _one("::Leakage::Explain patient-level leakage. {####Split by patient, not by image.}")
    assert q.type == "open"
    assert q.model_answer_html == "Split by patient, not by image."
    q = _one("Why normalise? {=scale ~none####Networks train better on similar scales.}")
    assert q.explanation_html == "Networks train better on similar scales."


def test_escapes_are_literal_characters():
    q = _one(r"::A\: B::Is \{x\} \= 1 \~ 2 \# 3?\nSecond line {=yes\=really ~no\#not}")
    assert q.title == "A: B"
    assert "{x} = 1 ~ 2 # 3?" in q.prompt_html and "<br>" in q.prompt_html
    assert [c["text_html"] for c in q.choices] == ["yes=really", "no#not"]


def test_formats_html_markdown_plain():
    assert _one("[html]<p>Is <b>this</b> bold?<script>x</script></p>{T}").prompt_html == (
        "<p>Is <b>this</b> bold?</p>"
    )
    assert _one("[markdown]Is **this** bold? {T}").prompt_html == (
        "<p>Is <strong>this</strong> bold?</p>"
    )
    assert _one("[plain]Is <b>this</b> bold? {T}").prompt_html == "Is &lt;b&gt;this&lt;/b&gt; bold?"


def test_missing_word_puts_a_blank_where_the_block_was():
    q = _one("CT measures attenuation in {=Hounsfield ~Tesla#That is MRI} units.")
    assert q.prompt_html == "CT measures attenuation in _____ units."


def test_comments_categories_and_line_numbers():
    text = "\n".join(
        [
            "// GIFT from our course",  # 1
            "$CATEGORY: $course$/top/Week 1",  # 2
            "",  # 3
            "// the first question",  # 4
            "::One::Which? {=a ~b#no}",  # 5
            "",  # 6
            "",  # 7
            "::Two::Broken {=a ~b",  # 8
            "",  # 9
            "::Three::Two right {=a =b ~c}",  # 10
        ]
    )
    result = _read(text, "week1.gift")
    assert [q.category for q in result.questions] == ["$course$/top/Week 1"]
    assert result.questions[0].where == "week1.gift:5: question 'One'"
    assert result.errors == [
        "week1.gift:8: unbalanced braces: an answer block is '{' … '}' (write \\{ or \\} for a "
        "literal brace)",
        "week1.gift:10: a single-answer question needs exactly one '=' answer, found 2",
    ]


def test_unsupported_questions_are_reported_with_their_line():
    result = _read("::M::Match {=CT -> HU =MRI -> T1}\n\nJust a description.\n\n::E::Fine {}\n")
    assert result.skipped == [
        "q.gift:1: question 'M': type 'matching' is not supported; skipped",
        "q.gift:3: a question has no answer block: a description is not supported; skipped",
    ]
    assert [q.title for q in result.questions] == ["E"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q {#abc}", "q.gift:1: 'abc' is not a number: write {#3.5:0.1} or {#1..5}"),
        ("Q {#5..1}", "q.gift:1: the range 5..1 ends below its start"),
        ("Q {=}", "q.gift:1: a short-answer question needs at least one '=answer'"),
        ("Q {~a ~b}", "q.gift:1: no right answer: mark it with '=' or, for several"),
        ("::Open title Q {T}", "q.gift:1: the title starts with '::' but has no closing '::'"),
        ("Q {T} and {F}", "q.gift:1: more than one answer block: a question has one '{…}'"),
        ("{T}", "q.gift:1: the question text is empty"),
    ],
)
def test_errors_name_the_line_and_what_to_write(text, message):
    result = _read(text)
    assert result.items == []
    assert len(result.errors) == 1 and result.errors[0].startswith(message), result.errors


def test_limits_size_count_encoding():
    assert _read("x" * (MAX_IMPORT_BYTES + 1), "big.gift").errors == [
        "big.gift: the file is 1,000 KB; at most 1,000 KB is imported: split it into smaller files"
    ]
    many = "\n\n".join(f"Q{n} {{T}}" for n in range(MAX_IMPORT_QUESTIONS + 1))
    assert _read(many).errors == [
        "q.gift: 501 questions; at most 500 are imported at once: split the file"
    ]
    assert read_gift("latin.gift", "Q {T}\n\nÉ {T}".encode("latin-1")).errors == [
        "latin.gift:3: not UTF-8 text: save the file as UTF-8"
    ]
    assert _read("Q {T}\n\n" + "y" * 20_001 + " {T}").errors == [
        "q.gift:3: the question text is 20,001 characters long; at most 20,000"
    ]


def test_markdown_shows_html_tags_as_text_and_renders_quickly():
    """Raw HTML in imported Markdown went through html.parser, quadratic in unclosed start
    tags: "<a " * 6,600 took 5 to 8 s per text, and a 1,000 KB file holds 50 such texts."""
    started = time.perf_counter()
    result = read_gift("slow.gift", ("::T::[markdown]" + "<a " * 6600 + "{}\n").encode())
    assert time.perf_counter() - started < 1.0
    assert result.errors == []
    q = _one("::T::[markdown]Is <b>x</b> **bold**? {T}")
    assert q.prompt_html == "<p>Is &lt;b&gt;x&lt;/b&gt; <strong>bold</strong>?</p>"


def test_a_file_that_takes_too_long_to_read_imports_nothing(monkeypatch):
    monkeypatch.setattr(interchange, "MAX_IMPORT_SECONDS", -1.0)
    result = _read("::T::Is it? {T}")
    assert result.errors == [
        "q.gift: reading the file took over -1 s, so nothing was imported: split it into "
        "smaller files or simplify its formatting"
    ]
    assert result.items == []
