"""check_content names the file and line of every problem, and all of them in one run."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from questions.content.tree import read_tree


def messages(root: Path) -> list[str]:
    return [str(problem) for problem in read_tree(root).problems]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r} not in {path}"
    path.write_text(text.replace(old, new))


def test_the_fixture_tree_is_valid(content_dir):
    assert messages(content_dir) == []


def test_it_reports_bad_yaml_with_its_line(content_dir):
    path = content_dir / "glossary/recall.md"
    replace(path, "aliases: [sensitivity, TPR]", "aliases: [sensitivity, TPR")
    [message] = messages(content_dir)
    # PyYAML notices the missing bracket where the next key starts.
    assert message.startswith(f"{path}:5: the front matter is not valid YAML")


def test_it_reports_a_missing_field(content_dir):
    replace(content_dir / "glossary/recall.md", "term: Recall\n", "")
    assert any("recall.md:1: missing required field 'term'" in m for m in messages(content_dir))


def test_it_reports_an_unknown_field_on_its_line(content_dir):
    replace(content_dir / "glossary/recall.md", "topic: metrics\n", "topic: metrics\ncolour: red\n")
    found = messages(content_dir)
    assert any("recall.md:6: unknown field 'colour'" in m for m in found), found


def test_it_reports_a_wrong_field_type(content_dir):
    replace(
        content_dir / "questions/metrics/metrics-numeric.md", "tolerance: 0.005", "tolerance: small"
    )
    found = messages(content_dir)
    assert any("metrics-numeric.md:8: 'tolerance' must be a number" in m for m in found), found


def test_it_reports_duplicate_ids_across_files(content_dir):
    replace(content_dir / "questions/dicom/dicom-short.md", "id: dicom-short", "id: recall")
    found = messages(content_dir)
    assert any(
        "dicom-short.md:2: id 'recall' is already used by" in m and "glossary/recall.md" in m
        for m in found
    ), found


def test_it_requires_exactly_one_correct_choice_for_single(content_dir):
    path = content_dir / "questions/metrics/metrics-single.md"
    replace(
        path,
        "  - text: Specificity\n    correct: false",
        "  - text: Specificity\n    correct: true",
    )
    found = messages(content_dir)
    assert any(
        "metrics-single.md:8: a 'single' question needs exactly one correct choice, found 2" in m
        for m in found
    ), found


def test_it_requires_a_correct_choice_for_multiple(content_dir):
    path = content_dir / "questions/metrics/metrics-multiple.md"
    text = path.read_text().replace("correct: true", "correct: false\n    feedback: no")
    path.write_text(text)
    found = messages(content_dir)
    assert any("needs at least one correct choice, found none" in m for m in found), found


def test_it_requires_a_tolerance_for_numeric(content_dir):
    replace(content_dir / "questions/metrics/metrics-numeric.md", "tolerance: 0.005\n", "")
    found = messages(content_dir)
    assert any(
        "metrics-numeric.md:7: a 'numeric' question needs 'tolerance'" in m for m in found
    ), found


def test_it_requires_feedback_on_wrong_choices(content_dir):
    replace(
        content_dir / "questions/metrics/metrics-single.md",
        "    feedback: Specificity concerns healthy patients.\n",
        "",
    )
    found = messages(content_dir)
    assert any("choice 2 is wrong but has no 'feedback'" in m for m in found), found


def test_it_reports_see_also_naming_no_term(content_dir):
    replace(content_dir / "glossary/recall.md", "see_also: [precision]", "see_also: [precison]")
    found = messages(content_dir)
    assert any(
        "recall.md:7: see_also names 'precison', which is not a glossary id" in m for m in found
    ), found


def test_it_reports_related_terms_naming_no_term(content_dir):
    replace(
        content_dir / "questions/dicom/dicom-open.md", "related: [hounsfield-unit]", "related: [hu]"
    )
    found = messages(content_dir)
    assert any("dicom-open.md:6: related names 'hu'" in m for m in found), found


def test_it_reports_an_empty_body(content_dir):
    path = content_dir / "glossary/hounsfield-unit.md"
    path.write_text(
        path.read_text().split("---\n", 2)[0]
        + "---\n"
        + path.read_text().split("---\n")[1]
        + "---\n\n"
    )
    found = messages(content_dir)
    assert any("hounsfield-unit.md:8: the body is empty" in m for m in found), found


def test_it_reports_a_file_that_is_not_utf8(content_dir):
    path = content_dir / "glossary/precision.md"
    path.write_bytes(path.read_bytes().replace(b"Precision is", b"Pr\xe9cision is"))
    found = messages(content_dir)
    assert any("precision.md:9: the file is not UTF-8" in m for m in found), found


def test_it_reports_missing_and_unknown_sections(content_dir):
    path = content_dir / "questions/metrics/metrics-numeric.md"
    replace(path, "## Explanation", "## Working")
    found = messages(content_dir)
    assert any("metrics-numeric.md:14: unknown section '## Working'" in m for m in found), found
    assert any("needs a '## Explanation' section" in m for m in found), found


def test_it_reports_a_set_naming_an_unknown_question(content_dir):
    replace(content_dir / "sets/starter.md", "metrics-numeric", "metrics-numerc")
    found = messages(content_dir)
    assert any(
        "starter.md:5: questions names 'metrics-numerc', which is not a question id" in m
        for m in found
    ), found


def test_it_reports_a_question_outside_a_known_topic(content_dir):
    folder = content_dir / "questions/physics"
    folder.mkdir()
    (content_dir / "questions/dicom/dicom-short.md").rename(folder / "dicom-short.md")
    found = messages(content_dir)
    assert any("the folder 'physics' is not a topic in topics.yaml" in m for m in found), found


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"no front matter at all",
        b"---\nid: x\n",
        b"---\n- a list\n---\nbody",
        b"---\nid: [unclosed\n---\n",
        b"\xff\xfe\x00\x00garbage",
        b"---\n!!python/object:os.system ls\n---\n",
    ],
)
def test_it_never_crashes_on_broken_files(content_dir, raw):
    (content_dir / "glossary/broken.md").write_bytes(raw)
    found = messages(content_dir)
    assert any("broken.md:" in m for m in found), found


def test_it_reports_all_problems_in_one_run(content_dir):
    replace(content_dir / "glossary/recall.md", "see_also: [precision]", "see_also: [nope]")
    replace(content_dir / "questions/metrics/metrics-numeric.md", "tolerance: 0.005\n", "")
    replace(content_dir / "sets/starter.md", "time_limit: 10", "time_limit: -3")
    found = messages(content_dir)
    assert len(found) == 3, found


def test_the_command_exits_1_with_path_and_line(content_dir, capsys):
    replace(content_dir / "sets/starter.md", "time_limit: 10", "time_limit: ten")
    with pytest.raises(CommandError) as error:
        call_command("check_content", str(content_dir))
    assert error.value.returncode == 1
    err = capsys.readouterr().err
    assert "starter.md:4: 'time_limit' must be whole minutes" in err


def test_the_command_exits_0_on_a_clean_tree(content_dir, capsys):
    call_command("check_content", str(content_dir))
    assert "10 files are valid" in capsys.readouterr().out


def test_it_accepts_shuffle_false_on_choice_questions_only(content_dir):
    single = content_dir / "questions/metrics/metrics-single.md"
    replace(single, "type: single\n", "type: single\nshuffle: false\n")
    assert messages(content_dir) == []
    replace(single, "shuffle: false\n", "shuffle: sometimes\n")
    found = messages(content_dir)
    assert any("metrics-single.md:5: 'shuffle' must be true or false" in m for m in found), found
    replace(single, "shuffle: sometimes\n", "")
    numeric = content_dir / "questions/metrics/metrics-numeric.md"
    replace(numeric, "type: numeric\n", "type: numeric\nshuffle: false\n")
    found = messages(content_dir)
    assert any("'shuffle' does not apply to a 'numeric' question" in m for m in found), found


def test_a_question_marked_shuffle_false_keeps_the_file_order(db, content_dir):
    from questions.catalog.sync import content_sync
    from questions.models import Question
    from tests.choices import shown_choices

    replace(
        content_dir / "questions/metrics/metrics-single.md",
        "type: single\n",
        "type: single\nshuffle: false\n",
    )
    assert content_sync(content_dir).ok
    question = Question.objects.get(ext_id="metrics-single")
    assert question.shuffle is False
    file_order = [choice["text_html"] for choice in question.choices]
    for _ in range(3):
        html = Client().get("/questions/metrics-single/").content.decode()
        assert [label for _, label in shown_choices(html)] == file_order


def test_it_reports_a_list_that_runs_into_the_paragraph_above(content_dir):
    replace(
        content_dir / "questions/dicom/dicom-open.md",
        "Sort slices by position, apply slope and intercept, window, resample.",
        "The steps:\n- sort slices by position\n- apply slope and intercept",
    )
    found = messages(content_dir)
    assert any("dicom-open.md:15: a list directly after a line of text" in m for m in found), found


def test_a_list_after_a_blank_line_or_in_code_is_fine(content_dir):
    replace(
        content_dir / "questions/dicom/dicom-open.md",
        "Sort slices by position, apply slope and intercept, window, resample.",
        "The steps:\n\n- sort slices\n- rescale\n\n```python\nx = 1\n- 2\n```",
    )
    assert messages(content_dir) == []


def test_it_requires_the_id_to_start_with_the_topic_and_the_file_to_be_named_after_it(
    content_dir,
):
    path = content_dir / "questions/dicom/dicom-short.md"
    replace(path, "id: dicom-short", "id: metrics-short")
    found = messages(content_dir)
    assert any("dicom-short.md:2: the id must start with its topic folder" in m for m in found)
    assert any("dicom-short.md:2: the file is named 'dicom-short.md'" in m for m in found), found


def test_the_tolerance_is_half_a_unit_of_the_last_decimal_asked_for(content_dir):
    path = content_dir / "questions/metrics/metrics-numeric.md"
    replace(path, "Two decimals.", "Three decimals.")
    found = messages(content_dir)
    assert any("metrics-numeric.md:8: the question asks for Three decimals" in m for m in found)
    replace(path, "tolerance: 0.005\n", "tolerance: 0.005\ntolerance_note: lenient on purpose\n")
    assert messages(content_dir) == []
