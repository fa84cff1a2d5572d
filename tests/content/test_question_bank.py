"""The real content/ tree: valid, complete, and loadable. Issue #3's counts live here."""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from questions.content.schema import AUTO_GRADED, DIFFICULTIES
from questions.content.tree import read_tree

SEED_GLOSSARY = [
    "anonymization", "augmentation", "data-curation", "data-leakage", "de-identification",
    "feature-engineering", "feature-scaling", "generalization", "ground-truth",
    "imaging-informatics", "inter-rater-reliability", "label-noise", "miccai", "normalization",
    "overfitting", "preprocessing", "privacy-preserving-data-mining", "quality-assurance",
]  # fmt: skip
FIELD_TERMS = [
    "dicom", "pacs", "dicom-tag", "protected-health-information", "burned-in-annotation",
    "hounsfield-unit", "rescale-slope-intercept", "window-center-width", "x-ray",
    "computed-tomography", "magnetic-resonance-imaging", "ultrasound",
    "positron-emission-tomography", "spect", "fluoroscopy", "class-imbalance", "weighted-loss",
    "undersampling", "oversampling", "smote", "adasyn", "multi-task-learning",
    "multi-label-classification", "transfer-learning", "fine-tuning", "feature-extraction",
    "domain-adaptation", "patient-overlap", "precision", "recall", "specificity", "f1-score",
    "accuracy", "roc-auc", "pr-auc", "cohens-kappa", "fleiss-kappa", "dice-coefficient",
    "intersection-over-union", "convolutional-neural-network", "u-net", "segmentation",
    "saliency-map",
]  # fmt: skip


@pytest.fixture(scope="module")
def tree():
    return read_tree(Path(settings.CONTENT_DIR))


def test_the_content_tree_is_valid(tree):
    assert tree.problems == []


def test_the_glossary_holds_every_required_term(tree):
    ids = {term.id for term in tree.glossary}
    assert len(ids) >= 180
    assert not set(SEED_GLOSSARY) - ids
    assert not set(FIELD_TERMS) - ids


def test_there_are_at_least_300_questions_over_20_topics(tree):
    assert len(tree.questions) >= 300
    assert len({q.topic for q in tree.questions}) >= 20


def test_every_topic_has_every_difficulty(tree):
    seen = Counter((q.topic, q.difficulty) for q in tree.questions)
    for topic in {q.topic for q in tree.questions}:
        for difficulty in DIFFICULTIES:
            assert seen[(topic, difficulty)] >= 1, (topic, difficulty)


def test_the_mix_of_types_holds(tree):
    types = Counter(q.type for q in tree.questions)
    assert sum(types[t] for t in AUTO_GRADED) >= 60
    assert types["open"] >= 110


def test_open_questions_carry_a_model_answer_rubric_and_notes(tree):
    for question in (q for q in tree.questions if q.type == "open"):
        assert question.model_answer, question.id
        assert len(question.rubric) >= 3, question.id
        assert question.interviewer_notes, question.id


def test_every_wrong_choice_says_why(tree):
    for question in tree.questions:
        for choice in question.choices:
            assert choice.correct or choice.feedback, question.id


def test_numeric_questions_state_a_tolerance_and_show_working(tree):
    for question in (q for q in tree.questions if q.type == "numeric"):
        answer = question.answer
        assert answer["tolerance"] is not None or answer["relative_tolerance"] is not None
        assert question.explanation, question.id


def test_sets_name_existing_questions_and_there_are_six(tree):
    ids = {q.id for q in tree.questions}
    assert len(tree.sets) >= 6
    for question_set in tree.sets:
        assert question_set.questions and set(question_set.questions) <= ids
        assert question_set.time_limit >= 5


def test_every_topic_is_in_a_curated_set(tree):
    topic_of = {q.id: q.topic for q in tree.questions}
    in_sets = {
        topic_of[entry]
        for question_set in tree.sets
        for entry in question_set.questions
        if isinstance(entry, str) and entry in topic_of
    }
    assert {q.topic for q in tree.questions} <= in_sets


def test_question_ids_start_with_their_topic(tree):
    for question in tree.questions:
        assert question.id.startswith(question.topic + "-"), question.id


def test_the_real_tree_loads(db):
    from questions.catalog.sync import content_sync
    from questions.models import Question

    report = content_sync(Path(settings.CONTENT_DIR))
    assert report.ok
    assert Question.objects.active().count() == report.questions.added
