"""Front matter is read with limits that every path shares (check_content, load_content, the
set import): no anchors or aliases, at most 20 levels of nesting, no value over 10,000
characters; each refusal is a `path:line: message`, found before anything is expanded."""

import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from questions.content.documents import parse_document
from questions.content.set_files import read_set_file
from questions.content.tree import read_tree

NO_ALIASES = "YAML anchors and aliases are not allowed: write each value out in full"


def alias_bomb(levels: int) -> str:
    """The reported file: each level a list of nine aliases of the level before, so `levels`
    levels in a few hundred bytes stand for 9**levels values (nine levels: 387 million)."""
    lines = ["---", "id: metrics-bomb", 'a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join([*lines, "---", "Body."]) + "\n"


@pytest.mark.parametrize("levels", [5, 9])
def test_an_alias_bomb_is_refused_before_it_expands(levels):
    # Before the limits, five levels (243 bytes) took 0.33 s and 10 MB, six 4.2 s and 93 MB:
    # nine times more per level, so the reported nine levels never finished.
    raw = alias_bomb(levels).encode()
    tracemalloc.start()
    started = time.process_time()
    try:
        doc = parse_document("q.md", raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [str(problem) for problem in doc.problems] == [f"q.md:3: {NO_ALIASES}"]
    assert doc.data == {}
    assert peak < 1024 * 1024 and time.process_time() - started < 0.5


def test_an_anchor_alone_is_refused_on_its_line():
    doc = parse_document("q.md", b"---\nid: x\ntags: &t [a, b]\n---\n")
    assert [str(problem) for problem in doc.problems] == [f"q.md:3: {NO_ALIASES}"]


def test_an_alias_bomb_fails_check_content_with_path_and_line(content_dir, capsys):
    bomb = content_dir / "questions/metrics/metrics-bomb.md"
    bomb.write_text(alias_bomb(9))
    with pytest.raises(CommandError):
        call_command("check_content", str(content_dir))
    assert f"{bomb}:3: {NO_ALIASES}" in capsys.readouterr().err


def test_an_alias_in_topics_yaml_is_refused(content_dir):
    topics = content_dir / "topics.yaml"
    topics.write_text("- &m {slug: metrics, title: Metrics}\n- *m\n")
    messages = [str(problem) for problem in read_tree(content_dir).problems]
    assert f"{topics}:1: topics.yaml cannot be read: {NO_ALIASES}" in messages


def test_deep_nesting_is_refused_at_the_limit_with_its_line():
    ok = parse_document("q.md", b"---\nid: x\ntags: " + b"[" * 19 + b"]" * 19 + b"\n---\n")
    assert not any("nested" in problem.message for problem in ok.problems)
    deep = parse_document("q.md", b"---\nid: x\n\ntags: " + b"[" * 20 + b"]" * 20 + b"\n---\n")
    assert [str(problem) for problem in deep.problems] == [
        "q.md:4: the data is nested too deeply (lists or mappings inside each other, "
        "more than 20 levels): flatten it"
    ]


def test_a_hundred_thousand_brackets_do_not_crash_the_process():
    # libyaml's C composer recursed once per '[' without a check: the process died with a
    # segmentation fault (a worker, for an imported set). A child process shows it as a code.
    script = (
        "from questions.content.documents import parse_document\n"
        "doc = parse_document('deep.md', b'---\\nid: x\\ntags: ' + b'[' * 100_000 + b'\\n---\\n')\n"
        "print(doc.problems[0])\n"
    )
    root = Path(__file__).resolve().parents[2]
    child = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert child.returncode == 0, (child.returncode, child.stderr[-500:])
    assert child.stdout.startswith("deep.md:3: the data is nested too deeply")


def test_a_huge_value_is_refused_with_its_line():
    doc = parse_document("q.md", ("---\nid: x\n\ntitle: " + "x" * 10_001 + "\n---\n").encode())
    assert [str(problem) for problem in doc.problems] == [
        "q.md:4: this value is 10,001 characters long; the limit is 10,000: shorten it"
    ]


def test_the_json_import_has_the_same_limits():
    deep = '{\n"title": "x",\n"questions": ' + "[" * 25 + "]" * 25 + "}"
    item, problems = read_set_file("set.json", deep.encode())
    assert item is None
    assert str(problems[0]).startswith("set.json:3: the data is nested too deeply")
    long = '{\n"title": "' + "x" * 10_001 + '"}'
    item, problems = read_set_file("set.json", long.encode())
    assert str(problems[0]) == (
        "set.json:2: this value is 10,001 characters long; the limit is 10,000: shorten it"
    )
