"""Reading Moodle XML: every supported type, every unsupported one reported, and the XML
attacks refused before anything expands. No database."""

import time

import pytest

from questions.content import interchange
from questions.content.moodle import (
    MoodleQuestion,
    MoodleRandom,
    to_moodle_xml,
)
from questions.content.moodle_reader import read_moodle_xml
from questions.markup import sanitize


def _quiz(*questions: str) -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>'
    return (head + "".join(questions) + "</quiz>").encode()


def _q(qtype: str, name: str, body: str = "", text: str = "<p>Prompt?</p>") -> str:
    return (
        f'<question type="{qtype}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>'
        f"{body}</question>"
    )


def _answer(fraction: str, text: str, feedback: str = "") -> str:
    return (
        f'<answer fraction="{fraction}" format="html"><text><![CDATA[{text}]]></text>'
        f"<feedback><text><![CDATA[{feedback}]]></text></feedback></answer>"
    )


def test_single_and_multiple_choice_with_feedback_and_shuffle():
    raw = _quiz(
        _q(
            "multichoice",
            "Single",
            "<single>true</single><shuffleanswers>0</shuffleanswers>"
            + _answer("100", "CT", "Right")
            + _answer("0", "MRI", "No HU"),
        ),
        _q(
            "multichoice",
            "Multi",
            "<single>false</single>"
            + _answer("50", "Dice")
            + _answer("50", "IoU")
            + _answer("-100", "DICOM", "a format"),
        ),
    )
    result = read_moodle_xml("q.xml", raw)
    assert result.errors == [] and result.skipped == []
    single, multi = result.questions
    assert (single.type, single.title, single.prompt_html) == ("single", "Single", "<p>Prompt?</p>")
    assert single.choices == [
        {"text_html": "CT", "correct": True, "feedback_html": "Right"},
        {"text_html": "MRI", "correct": False, "feedback_html": "No HU"},
    ]
    assert single.shuffle is False
    assert multi.type == "multiple"
    assert [c["correct"] for c in multi.choices] == [True, True, False]


def test_truefalse_shortanswer_numerical_and_essay():
    raw = _quiz(
        _q("truefalse", "TF", _answer("0", "true") + _answer("100", "false", "It is false")),
        _q(
            "shortanswer",
            "SA",
            "<usecase>1</usecase>" + _answer("100", "DICOM") + _answer("50", "dcm"),
        ),
        _q(
            "numerical",
            "Num",
            '<answer fraction="100"><text>0.727</text><tolerance>0.0005</tolerance></answer>'
            "<units><unit><multiplier>1</multiplier><unit_name>mm</unit_name></unit></units>",
        ),
        _q(
            "essay",
            "Essay",
            '<graderinfo format="html"><text><![CDATA[<p>Say why.</p>]]></text></graderinfo>',
        ),
    )
    result = read_moodle_xml("q.xml", raw)
    assert result.errors == []
    tf, short, number, essay = result.questions
    assert tf.answer == {"value": False} and tf.explanation_html == "It is false"
    assert short.answer == {"accepted": ["DICOM"]}
    assert number.answer == {
        "value": 0.727,
        "tolerance": 0.0005,
        "relative_tolerance": None,
        "unit": "mm",
    }
    assert essay.type == "open" and essay.model_answer_html == "<p>Say why.</p>"
    # What changed on the way in is said, not silently dropped.
    assert (
        "q.xml: question 'SA': 1 answer(s) with partial credit are not kept: only 100% "
        "answers are" in result.notes
    )
    assert any("Moodle compared this answer with case" in note for note in result.notes)


@pytest.mark.parametrize(
    "qtype",
    [
        "matching",
        "cloze",
        "multianswer",
        "ddwtos",
        "calculated",
        "calculatedsimple",
        "description",
        "gapselect",
        "ordering",
    ],
)
def test_every_unsupported_type_is_reported_by_name_and_skipped(qtype):
    raw = _quiz(_q(qtype, "Odd one"), _q("essay", "Fine"))
    result = read_moodle_xml("file.xml", raw)
    assert result.errors == []
    assert result.skipped == [
        f"file.xml: question 'Odd one': type '{qtype}' is not supported; skipped"
    ]
    assert [q.title for q in result.questions] == ["Fine"]


def test_a_random_question_from_a_foreign_category_is_reported():
    raw = _quiz(
        '<question type="category"><category><text>$course$/top/Week 1</text></category>'
        "</question>",
        _q("random", "Random (Week 1)", text="0"),
        _q("essay", "Fine"),
    )
    result = read_moodle_xml("file.xml", raw)
    assert result.skipped == [
        "file.xml: question 'Random (Week 1)': type 'random' draws from the Moodle category "
        "'$course$/top/Week 1', which is not one of this site's topics; skipped: add a random "
        "entry here"
    ]


def test_a_broken_question_is_an_error_with_file_and_question_name():
    raw = _quiz(
        _q("multichoice", "No key", _answer("0", "a") + _answer("0", "b")),
        _q("numerical", "Bad number", '<answer fraction="100"><text>abc</text></answer>'),
        _q("shortanswer", "Empty", "", text=""),
    )
    result = read_moodle_xml("bank.xml", raw)
    assert result.errors == [
        "bank.xml: question 'No key': a single-answer multichoice needs exactly one answer "
        "worth 100%, found 0",
        "bank.xml: question 'Bad number': the answer 'abc' is not a number",
        "bank.xml: question 'Empty': the question text is empty",
    ]


def test_html_is_sanitised():
    raw = _quiz(
        _q(
            "essay",
            "Evil",
            text='<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:x">l</a>'
            '<img src="@@PLUGINFILE@@/a.png"></p>',
        )
    )
    result = read_moodle_xml("e.xml", raw)
    prompt = result.questions[0].prompt_html
    assert "script" not in prompt and "onclick" not in prompt and "javascript" not in prompt
    assert "@@PLUGINFILE@@" not in prompt
    assert any("image embedded in the question text is not imported" in n for n in result.notes)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="essay"><name><text>&lol4;</text></name></question></quiz>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&secret;</text></name></question></quiz>"""


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (BILLION_LAUGHS, "bomb.xml: the file contains a DOCTYPE (DTD), which is refused"),
        (EXTERNAL_ENTITY, "bomb.xml: the file contains a DOCTYPE (DTD), which is refused"),
        (
            b'<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "http://example.com/x.dtd"><quiz/>',
            "bomb.xml: the file contains a DOCTYPE (DTD), which is refused",
        ),
        (
            b"<quiz>" + b"<a>" * 1000 + b"</a>" * 1000 + b"</quiz>",
            "bomb.xml: elements are nested more than 32 deep",
        ),
        (b"<quiz><question>", "bomb.xml:1: not well-formed XML (no element found)"),
        (b"<html></html>", "bomb.xml: expected a Moodle XML file whose root is <quiz>"),
    ],
)
def test_xml_attacks_and_broken_files_are_refused_with_a_clear_message(raw, message):
    result = read_moodle_xml("bomb.xml", raw)
    assert result.items == []
    assert len(result.errors) == 1 and result.errors[0].startswith(message), result.errors


def test_a_huge_file_is_refused_before_parsing(monkeypatch):
    raw = b"<quiz>" + b" " * (interchange.MAX_IMPORT_BYTES + 1) + b"</quiz>"
    result = read_moodle_xml("big.xml", raw)
    assert result.errors == [
        "big.xml: the file is 1,000 KB; at most 1,000 KB is imported: split it into smaller files"
    ]


def test_too_many_questions_and_too_long_texts_are_refused():
    many = _quiz(*[_q("essay", f"Q{n}") for n in range(interchange.MAX_IMPORT_QUESTIONS + 1)])
    assert read_moodle_xml("many.xml", many).errors == [
        "many.xml: more than 500 questions; split the file and import the parts one by one"
    ]
    long = _quiz(_q("essay", "Long", text="x" * (interchange.MAX_TEXT + 1)))
    assert read_moodle_xml("long.xml", long).errors == [
        "long.xml: question 'Long': the question text is 20,001 characters long; at most "
        "20,000 are imported"
    ]


def test_our_own_export_reads_back_as_the_same_questions_and_draws():
    questions = [
        MoodleQuestion(
            id="metrics-a",
            title="A & B",
            type="single",
            prompt_html="<p>Which <em>one</em>? ]]> costs $5</p>",
            explanation_html="<p>Because.</p>",
            choices=[
                {"text_html": "Sensitivity", "correct": True, "feedback_html": ""},
                {"text_html": "Specificity", "correct": False, "feedback_html": "No."},
            ],
        ),
        MoodleQuestion(
            id="metrics-b",
            title="Open",
            type="open",
            prompt_html="<p>Explain.</p>",
            model_answer_html="<p>Model.</p>",
            rubric=["Point <strong>one</strong>", "Point two"],
            interviewer_notes_html="<p>Ask more.</p>",
        ),
        MoodleQuestion(
            id="metrics-c",
            title="Number",
            type="numeric",
            prompt_html="<p>How many?</p>",
            explanation_html="<p>Count.</p>",
            answer={"value": 12.5, "tolerance": 0.05, "relative_tolerance": None, "unit": "mm"},
        ),
    ]
    pool = MoodleQuestion(id="x", title="Pool", type="truefalse", prompt_html="<p>T?</p>")
    pool = MoodleQuestion(**{**pool.__dict__, "answer": {"value": True}})
    random = MoodleRandom("metrics", "Metrics", 3, "hard", [pool])
    text = to_moodle_xml("Set", [questions[0], random, questions[1], questions[2]])
    result = read_moodle_xml("set.xml", text.encode())
    assert result.errors == [] and result.skipped == []
    single, draw, essay, number = result.items
    # "]]>" survived the CDATA split; the sanitiser writes its ">" as an entity.
    assert single.title == "A & B" and single.prompt_html == sanitize(questions[0].prompt_html)
    assert "]]&gt; costs $5" in single.prompt_html
    assert single.choices == questions[0].choices and single.idnumber == "metrics-a"
    assert (draw.count, draw.topic, draw.difficulty) == (3, "metrics", "hard")
    assert essay.model_answer_html == "<p>Model.</p>"
    assert essay.rubric == ["Point <strong>one</strong>", "Point two"]
    assert essay.interviewer_notes_html == "<p>Ask more.</p>"
    assert number.answer == questions[2].answer
    assert any("are the pool its random questions draw from" in n for n in result.notes)


def test_markdown_text_shows_html_tags_as_text_and_renders_quickly():
    """Raw HTML in imported Markdown went through html.parser, quadratic in unclosed start
    tags: "<a " * 6,600 took 5 to 8 s per text, and a file holds many texts."""
    slow = "<a " * 3300  # 1.5 to 2 s before
    text = (
        '<question type="essay"><name><text>M</text></name><questiontext format="markdown">'
        f"<text>Why **this**? <![CDATA[<b>x</b>]]> {slow.replace('<', '&lt;')}</text>"
        "</questiontext></question>"
    )
    started = time.perf_counter()
    result = read_moodle_xml("md.xml", _quiz(text))
    assert time.perf_counter() - started < 1.0
    assert result.errors == []
    (question,) = result.questions
    assert question.prompt_html.startswith("<p>Why <strong>this</strong>? &lt;b&gt;x&lt;/b&gt; ")


def test_a_file_that_takes_too_long_to_read_imports_nothing(monkeypatch):
    monkeypatch.setattr(interchange, "MAX_IMPORT_SECONDS", -1.0)
    result = read_moodle_xml("slow.xml", _quiz(_q("essay", "E")))
    assert result.errors == [
        "slow.xml: reading the file took over -1 s, so nothing was imported: split it into "
        "smaller files or simplify its formatting"
    ]
    assert result.items == []
