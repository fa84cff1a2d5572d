"""`manage.py import_questions` (and import_moodle, import_gift): files in content/ format that
pass check_content, or none written and every reason said."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from questions.content.moodle import MoodleQuestion, MoodleRandom, to_moodle_xml
from questions.content.tree import read_tree

COMPLETE = """$CATEGORY: $course$/top/Week 1

::Modality::Which modality uses Hounsfield units? {
=CT#It measures X-ray attenuation.
~MRI#MRI signal has no Hounsfield scale.
####CT numbers are Hounsfield units: water 0, air -1000.}

::Air::Air is about -1000 HU. {T####By definition of the scale.}

::Fat::What is the HU of fat, roughly, to the nearest 10? {#-100:50####Fat sits near -100 HU.}

::Abbrev::Abbreviation of Hounsfield unit? {=HU####Written HU.}

::Windowing::Explain window level and width. {####Level is the centre, width the range.}

::Match::Match {=CT -> HU =MRI -> T1}
"""


def _run(tmp_path, *args, name="week1.gift", text=COMPLETE, command="import_questions"):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8") if isinstance(text, str) else source.write_bytes(text)
    out, err = [], []

    class Sink:
        def __init__(self, lines):
            self.lines = lines

        def write(self, text):
            self.lines.append(text)

        def flush(self):
            pass

    call_command(command, str(source), *args, stdout=Sink(out), stderr=Sink(err))
    return "".join(out), "".join(err)


def test_it_writes_files_that_pass_check_content(content_dir, tmp_path):
    out, _ = _run(tmp_path, "--topic", "dicom", "--content-dir", str(content_dir))
    folder = content_dir / "questions" / "dicom"
    written = sorted(p.name for p in folder.glob("dicom-*.md"))
    assert "dicom-modality.md" in written and "dicom-windowing.md" in written
    assert "5 question file(s) written to" in out
    assert "week1.gift:16: question 'Match': type 'matching' is not supported; skipped" in out
    tree = read_tree(content_dir)
    assert tree.problems == []
    by_id = {q.id: q for q in tree.questions}
    modality = by_id["dicom-modality"]
    assert modality.type == "single" and modality.difficulty == "medium"
    assert [c.correct for c in modality.choices] == [True, False]
    assert modality.choices[1].feedback == "MRI signal has no Hounsfield scale."
    assert by_id["dicom-fat"].answer["value"] == -100 and by_id["dicom-fat"].answer[
        "tolerance"
    ] == pytest.approx(50)
    assert by_id["dicom-windowing"].type == "open"
    assert by_id["dicom-windowing"].model_answer == "Level is the centre, width the range."


def test_it_writes_nothing_when_a_question_would_fail_check_content(content_dir, tmp_path):
    text = "::Bare::Which? {=a ~b}\n\n::Good::Air is -1000 HU. {T####By definition.}\n"
    with pytest.raises(CommandError, match="2 problem"):
        _run(tmp_path, "--topic", "dicom", "--content-dir", str(content_dir), text=text)
    assert not (content_dir / "questions" / "dicom" / "dicom-good.md").exists()
    assert not (content_dir / "questions" / "dicom" / "dicom-bare.md").exists()


def test_its_problems_name_the_question_and_what_is_missing(content_dir, tmp_path, capsys):
    text = "::Bare::Which? {=a ~b}\n"
    source = tmp_path / "bare.gift"
    source.write_text(text)
    with pytest.raises(CommandError):
        call_command(
            "import_questions", str(source), "--topic", "dicom", "--content-dir", str(content_dir)
        )
    err = capsys.readouterr().err
    assert "bare.gift:1: question 'Bare': choice 2 is wrong but has no 'feedback'" in err
    assert "bare.gift:1: question 'Bare': a 'single' question needs a '## Explanation'" in err


def test_it_refuses_an_unknown_topic_an_existing_file_and_a_bad_file(content_dir, tmp_path):
    with pytest.raises(CommandError, match="no topic 'nope'"):
        _run(tmp_path, "--topic", "nope", "--content-dir", str(content_dir))
    _run(tmp_path, "--topic", "dicom", "--content-dir", str(content_dir))
    # A second run would give the same ids another number, never overwrite.
    before = sorted(p.name for p in (content_dir / "questions" / "dicom").glob("*.md"))
    _run(tmp_path, "--topic", "dicom", "--content-dir", str(content_dir))
    after = sorted(p.name for p in (content_dir / "questions" / "dicom").glob("*.md"))
    assert "dicom-modality-2.md" in after and set(before) < set(after)
    assert read_tree(content_dir).problems == []
    bomb = b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "a">]><quiz/>'
    with pytest.raises(CommandError, match="1 problem"):
        _run(
            tmp_path, "--topic", "dicom", "--content-dir", str(content_dir), name="b.xml", text=bomb
        )


def test_moodle_xml_round_trip_keeps_ids_and_reports_draws(content_dir, tmp_path):
    question = MoodleQuestion(
        id="dicom-window-level",
        title="Window level",
        type="numeric",
        prompt_html="<p>A window of level 40 and width 400 ends at which HU?</p>",
        explanation_html="<p>40 + 400/2 = 240.</p>",
        answer={"value": 240, "tolerance": 0, "relative_tolerance": None, "unit": "HU"},
    )
    random = MoodleRandom("metrics", "Metrics", 2, None, [])
    xml = to_moodle_xml("S", [question, random])
    out, _ = _run(
        tmp_path,
        "--topic",
        "dicom",
        "--content-dir",
        str(content_dir),
        name="s.xml",
        text=xml,
        command="import_moodle",
    )
    assert "2 random question(s) from topic 'metrics' are a set's entry" in out
    tree = read_tree(content_dir)
    assert tree.problems == []
    (imported,) = [q for q in tree.questions if q.id == "dicom-window-level"]
    assert imported.answer == {
        "value": 240,
        "tolerance": 0,
        "relative_tolerance": None,
        "unit": "HU",
    }
    assert "A window of level 40" in imported.prompt


def test_the_format_commands_take_only_their_format(content_dir, tmp_path):
    with pytest.raises(CommandError, match=r"expected a file ending in \.xml"):
        _run(
            tmp_path, "--topic", "dicom", "--content-dir", str(content_dir), command="import_moodle"
        )
    with pytest.raises(CommandError, match=r"expected a file ending in \.gift, \.txt"):
        _run(
            tmp_path,
            "--topic",
            "dicom",
            "--content-dir",
            str(content_dir),
            name="x.xml",
            text="<quiz/>",
            command="import_gift",
        )


def test_output_dir_is_where_files_go(content_dir, tmp_path):
    target = tmp_path / "out" / "dicom"
    _run(
        tmp_path, "--topic", "dicom", "--content-dir", str(content_dir), "--output-dir", str(target)
    )
    assert Path(target / "dicom-modality.md").is_file()
