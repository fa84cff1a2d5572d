import json

import pytest
from django.urls import reverse

from questions.content.tree import read_tree
from questions.interviews import sets
from questions.models import InterviewSet


def _export(client, interview_set, fmt):
    response = client.get(reverse("interviews:export", args=[interview_set.pk, fmt]))
    assert response.status_code == 200
    return response


def _import(client, name, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)
    return client.post(reverse("interviews:import"), {"file": upload})


def _shape(interview_set):
    return (
        interview_set.title,
        interview_set.description,
        interview_set.time_limit_minutes,
        interview_set.show_answers,
        [
            (
                e.position,
                e.question_id,
                e.exercise_kind,
                e.exercise_level,
                e.exercise_seed,
                e.random_count,
                e.random_topic_id,
                e.random_difficulty,
            )
            for e in interview_set.entries.all()
        ],
    )


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_build_reorder_export_import_round_trips_exactly(screening, alice_client, fmt):
    last = screening.entries.last()
    sets.entry_move(entry=last, position=1)
    exported = _export(alice_client, screening, fmt)
    assert exported["Content-Disposition"] == f'attachment; filename="imaging-ml-screen.{fmt}"'
    text = exported.content.decode()
    response = _import(alice_client, f"imaging-ml-screen.{fmt}", text)
    copy = InterviewSet.objects.exclude(pk=screening.pk).get()
    assert response.status_code == 302 and response.url == copy.get_absolute_url()
    assert _shape(copy) == _shape(screening)
    assert _export(alice_client, copy, fmt).content.decode() == text


def test_the_markdown_export_is_a_valid_content_set(screening, alice_client, loaded):
    text = _export(alice_client, screening, "md").content.decode()
    assert text.startswith("---\nid: imaging-ml-screen\ntitle: Imaging ML screen\n")
    assert "- {exercise: class_weights, level: easy, seed: 1234}" in text
    assert "- {random: 1, topic: metrics}" in text
    (loaded / "sets" / "imaging-ml-screen.md").write_text(text)
    assert read_tree(loaded).problems == []


def test_import_names_the_line_of_every_problem(loaded, alice_client):
    text = (
        "---\n"
        "id: broken\n"
        "title: Broken\n"
        "time_limit: 900\n"
        "questions:\n"
        "  - metrics-single\n"
        "  - no-such-question\n"
        "  - {random: 2, topic: astrology}\n"
        "  - {exercise: telepathy}\n"
        "---\n"
        "Body.\n"
    )
    response = _import(alice_client, "broken.md", text)
    page = response.content.decode()
    assert response.status_code == 400
    assert "broken.md:4: &#x27;time_limit&#x27; must be whole minutes from 1 to 240" in page
    assert "broken.md:9: entry 4: exercise must be one of" in page
    assert not InterviewSet.objects.exists()
    # With the file fixed up to the references, the bank check names those lines.
    fixed = text.replace("900", "30").replace("  - {exercise: telepathy}\n", "")
    page = _import(alice_client, "broken.md", fixed).content.decode()
    assert "broken.md:7: no question with id &#x27;no-such-question&#x27; in the bank" in page
    assert "broken.md:8: no topic &#x27;astrology&#x27;" in page
    assert not InterviewSet.objects.exists()


def test_json_import_errors_name_lines_too(loaded, alice_client):
    bad_syntax = '{\n  "title": "x",\n  "questions": [\n    "a",,\n  ]\n}\n'
    page = _import(alice_client, "set.json", bad_syntax).content.decode()
    assert "set.json:4: not valid JSON" in page
    data = {
        "format": "imagingprep-set",
        "version": 1,
        "id": "x",
        "title": "X",
        "time_limit": 10,
        "show_answers": False,
        "questions": ["metrics-single", 7],
        "description": "d",
    }
    page = _import(alice_client, "set.json", json.dumps(data, indent=2)).content.decode()
    assert "set.json:10: entry 2: 7 is not a question id" in page


def test_other_files_are_refused(loaded, alice_client):
    page = _import(alice_client, "set.docx", b"PK\x03\x04").content.decode()
    assert "upload a .md or .json file" in page
    page = _import(alice_client, "set.md", b"\xff\xfe---").content.decode()
    assert "set.md:1: the file is not UTF-8" in page


def test_an_alias_bomb_import_is_refused_with_its_line(loaded, alice_client):
    # Nine levels of nine aliases: 387 million values once expanded; it held a worker until
    # gunicorn killed it. Refused while composing, before anything expands.
    lines = ["---", "title: Bomb", 'a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 9)]
    response = _import(alice_client, "bomb.md", "\n".join([*lines, "---", "Body.\n"]))
    assert response.status_code == 400
    assert (
        "bomb.md:3: YAML anchors and aliases are not allowed: write each value out in full"
        in response.content.decode()
    )
    assert not InterviewSet.objects.exists()
