"""Whatever a contributor's file holds, reading it gives problems with a file and a line,
never an exception: random bytes, random YAML, deep nesting, huge fields, wrong encodings."""

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questions.content.documents import Document, parse_document
from questions.content.schema import read_glossary, read_question, read_set
from questions.content.set_files import read_set_file
from questions.content.tree import MAX_FILE_BYTES, read_tree

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40)
)


def _containers(inner):
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)


values = st.recursive(scalars, _containers, max_leaves=20)
field_names = st.sampled_from(
    [
        "id",
        "title",
        "type",
        "topic",
        "difficulty",
        "tags",
        "choices",
        "answer",
        "tolerance",
        "aliases",
        "see_also",
        "questions",
        "entries",
        "time_limit",
        "show_answers",
        "unit",
        "x",
    ]
)
front_matter = st.dictionaries(field_names, values, max_size=10)
bodies = st.text(max_size=300) | st.sampled_from(
    ["## Answer\n\nYes.", "## Explanation\n\n$x$", "## Model answer\n\n- a\n- b", "## Rubric\n"]
)


def _read_everything(path: str, raw: bytes) -> list:
    doc = parse_document(path, raw)
    problems = list(doc.problems)
    for read in (read_glossary, lambda d: read_question(d, "metrics"), read_set):
        copy = Document(
            doc.path, dict(doc.data), dict(doc.lines), doc.body, doc.body_line, list(doc.problems)
        )
        item = read(copy)
        if item is None:
            assert copy.problems, "an unreadable file must say why"
        problems += copy.problems
    for problem in problems:
        assert problem.path == path and problem.line >= 1 and problem.message
    return problems


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_give_problems_not_exceptions(raw):
    _read_everything("content/questions/metrics/x.md", raw)
    _read_everything("content/questions/metrics/x.md", b"---\n" + raw + b"\n---\n")


@FUZZ
@given(front_matter, bodies)
def test_random_front_matter_gives_problems_not_exceptions(data, body):
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body
    _read_everything("content/glossary/x.md", text.encode())


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["set.md", "set.json", "SET.JSON"]))
def test_random_uploaded_set_files_give_problems_not_exceptions(raw, name):
    item, problems = read_set_file(name, raw)
    assert item is not None or problems
    assert all(p.line >= 1 and p.message for p in problems)


def test_deep_nesting_is_reported_not_a_crash():
    for opening, closing in (("[", "]"), ("{a: ", "}")):
        raw = f"---\nid: x\ntags: {opening * 20000}1{closing * 20000}\n---\nbody".encode()
        problems = _read_everything("deep.md", raw)
        assert any("nested too deeply" in p.message for p in problems), problems[:3]


def test_wrong_encodings_are_named():
    text = "---\nid: café\ntitle: Hounsfield units in the café\n---\nBody"
    for encoding in ("utf-16", "latin-1", "cp1252"):
        problems = _read_everything("enc.md", text.encode(encoding))
        assert problems[0].message.startswith("the file is not UTF-8"), (encoding, problems[0])


def test_huge_files_and_fields_are_refused_with_the_limit(tmp_path: Path):
    (tmp_path / "topics.yaml").write_text("- {slug: metrics, title: Metrics}\n")
    folder = tmp_path / "questions" / "metrics"
    folder.mkdir(parents=True)
    (folder / "huge.md").write_text("---\nid: huge\ntitle: " + "x" * MAX_FILE_BYTES + "\n---\n")
    tree = read_tree(tmp_path)
    messages = [p.message for p in tree.problems if p.path.endswith("huge.md")]
    assert any("the limit is 256 KiB" in m for m in messages), messages
    long_title = "---\nid: long\ntype: short\ntitle: " + "x" * 5000 + "\n---\n## Answer\n\nx"
    problems = _read_everything("long.md", long_title.encode())
    assert "'title' is 5000 characters long; keep it to 300 at most" in [
        p.message for p in problems
    ]


def test_the_length_limits_match_the_database_columns(db):
    from questions.content import schema
    from questions.models import GlossaryTerm, Question, QuestionSet, Tag

    assert Question._meta.get_field("ext_id").max_length == schema.MAX_ID
    assert GlossaryTerm._meta.get_field("term").max_length == schema.MAX_TERM
    assert Question._meta.get_field("title").max_length == schema.MAX_TITLE
    assert QuestionSet._meta.get_field("title").max_length == schema.MAX_TITLE
    assert Tag._meta.get_field("name").max_length == schema.MAX_TAG


def test_deeply_nested_json_set_files_are_reported():
    raw = ('{"title": "x", "entries": ' + "[" * 50000 + "]" * 50000 + "}").encode()
    item, problems = read_set_file("deep.json", raw)
    assert item is None and "nested too deeply" in problems[0].message
