"""load_content adds, updates and retires by content hash, all or nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from questions.catalog.sync import content_sync
from questions.models import GlossaryTerm, Question, QuestionSet, Tag


def snapshot():
    return {
        "terms": sorted(GlossaryTerm.objects.values_list("ext_id", "content_hash", "retired_at")),
        "questions": sorted(Question.objects.values_list("ext_id", "content_hash", "retired_at")),
        "sets": sorted(QuestionSet.objects.values_list("ext_id", "content_hash", "retired_at")),
        "tags": sorted(Tag.objects.values_list("name", flat=True)),
    }


def test_it_adds_every_item_on_first_load(db, content_dir):
    report = content_sync(content_dir)
    assert report.ok
    assert (report.glossary.added, report.questions.added, report.sets.added) == (3, 6, 1)
    question = Question.objects.get(ext_id="metrics-single")
    assert question.topic.slug == "metrics"
    assert [t.ext_id for t in question.related_terms.all()] == ["recall"]
    assert "<math" in question.explanation_html
    assert question.choices[0]["correct"] is True
    assert list(
        QuestionSet.objects.get(ext_id="starter").entries.values_list("question__ext_id", flat=True)
    ) == ["metrics-single", "metrics-numeric", "dicom-open"]
    recall = GlossaryTerm.objects.get(ext_id="recall")
    assert [t.ext_id for t in recall.see_also.all()] == ["precision"]


def test_a_second_run_on_unchanged_files_changes_nothing(loaded, capsys):
    before = snapshot()
    call_command("load_content", str(loaded))
    assert "Nothing changed: 10 files match the database." in capsys.readouterr().out
    assert snapshot() == before


def test_it_updates_a_changed_item_only(loaded):
    path = loaded / "questions/metrics/metrics-numeric.md"
    path.write_text(path.read_text().replace("answer: 0.75", "answer: 0.8"))
    report = content_sync(loaded)
    assert (report.questions.updated, report.questions.unchanged) == (1, 5)
    assert Question.objects.get(ext_id="metrics-numeric").answer["value"] == 0.8


def test_it_retires_deleted_items_and_keeps_them(loaded):
    (loaded / "questions/dicom/dicom-short.md").unlink()
    report = content_sync(loaded)
    assert report.questions.retired == 1
    question = Question.objects.get(ext_id="dicom-short")
    assert question.is_retired
    assert not Question.objects.active().filter(ext_id="dicom-short").exists()


def test_a_returning_file_is_restored(loaded):
    path = loaded / "questions/dicom/dicom-short.md"
    text = path.read_text()
    path.unlink()
    content_sync(loaded)
    path.write_text(text)
    report = content_sync(loaded)
    assert report.questions.updated == 1
    assert not Question.objects.get(ext_id="dicom-short").is_retired


def test_it_updates_links_when_references_change(loaded):
    path = loaded / "glossary/recall.md"
    path.write_text(
        path.read_text().replace("see_also: [precision]", "see_also: [hounsfield-unit]")
    )
    content_sync(loaded)
    recall = GlossaryTerm.objects.get(ext_id="recall")
    assert [t.ext_id for t in recall.see_also.all()] == ["hounsfield-unit"]


def test_a_tree_with_any_error_leaves_the_database_as_it_was(loaded):
    before = snapshot()
    (loaded / "questions/metrics/metrics-single.md").unlink()  # would retire one item
    path = loaded / "questions/metrics/metrics-numeric.md"
    path.write_text(path.read_text().replace("answer: 0.75", "answer: 0.8"))  # would update
    broken = loaded / "glossary/precision.md"
    broken.write_text(broken.read_text().replace("topic: metrics", "topic: [oops"))
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", str(loaded))
    assert snapshot() == before


def test_the_command_reports_what_it_loaded(db, content_dir, capsys):
    call_command("load_content", str(content_dir))
    out = capsys.readouterr().out
    assert "glossary: 3 added" in out and "questions: 6 added" in out and "sets: 1 added" in out
