"""A set to and from other systems: Moodle XML out (every entry), Moodle XML and GIFT in.

Imported questions become the set owner's own questions (`Question.private`): they sit in
the set like bank questions but never appear in the bank, its search, the API or a random
draw (the default manager hides them), and only their owner previews them.
"""

from __future__ import annotations

import html
import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.template.loader import render_to_string

from ..content.interchange import ImportedQuestion, ImportResult, RandomDraw
from ..content.moodle import (
    ClozeField,
    MoodleEntry,
    MoodleExercise,
    MoodleQuestion,
    MoodleRandom,
    grids_to_tables,
    to_moodle_xml,
)
from ..content.question_files import read_question_file
from ..content.schema import DIFFICULTIES, MAX_RANDOM
from ..exercises import KINDS, generate
from ..markup import plain_text, render_markdown
from ..models import InterviewEntry, InterviewSet, Question, Topic
from ..quizzes.services import PRIVATE_SEEDS, private_seed
from .sets import MAX_ENTRIES, set_as_item
from .sets import set_export as set_file_export

if TYPE_CHECKING:
    from ..models import EntryFields


def _moodle_question(question: Question) -> MoodleQuestion:
    return MoodleQuestion(
        id=question.ext_id,
        title=question.title,
        type=question.type,
        prompt_html=question.prompt_html,
        explanation_html=question.explanation_html,
        choices=question.choices,
        answer=question.answer,
        shuffle=question.shuffle,
        model_answer_html=question.model_answer_html,
        rubric=question.rubric,
        interviewer_notes_html=question.interviewer_notes_html,
    )


def _moodle_exercise(entry: EntryFields, set_id: int) -> MoodleExercise:
    """The exercise with the data every candidate of this set gets (its private seed, never
    the public page's, whose checker would give the answers away); an entry without a fixed
    seed gets one fresh draw, since Moodle shows every student the same text."""
    kind, level = entry.exercise_kind, entry.exercise_level
    seed = (
        secrets.randbelow(PRIVATE_SEEDS)
        if entry.exercise_seed is None
        else private_seed(kind, entry.exercise_seed, level, owner=f"interview-set:{set_id}")
    )
    exercise = generate(kind, seed, level)
    data = render_to_string(
        "questions/_exercise_data.html", {"exercise": exercise, "for_export": True}
    )
    fields = [
        ClozeField(
            label_html=html.escape(spec.label)
            + (f" <small>({html.escape(spec.help)})</small>" if spec.help else ""),
            kind=spec.kind,
            expected=exercise.expected_text.get(spec.name)
            if spec.kind == "text"
            else exercise.expected.get(spec.name),
            tolerance=spec.tolerance,
        )
        for spec in exercise.fields
    ]
    return MoodleExercise(
        id=f"exercise-{kind}-{level}",
        # Not describe(): it names the fixed seed, and Moodle may show names to students.
        title=f"Exercise: {KINDS[kind].title} ({level})",
        prompt_html=render_markdown(exercise.prompt),
        data_html=grids_to_tables(data),
        fields=fields,
        solution_html=render_markdown("\n\n".join(exercise.solution)),
    )


def set_moodle_xml(interview_set: InterviewSet) -> str:
    """Every entry of the set as a Moodle question bank file (see content/moodle.py)."""
    entries = list(interview_set.entries.select_related("question", "random_topic"))
    listed = {entry.question_id for entry in entries if entry.question_id}
    drawn_topics = {entry.random_topic_id for entry in entries if entry.random_count}
    # One query for every random entry's pool; like our draw, without the set's own questions.
    pool = (
        list(Question.objects.active().filter(topic_id__in=drawn_topics).exclude(pk__in=listed))
        if drawn_topics
        else []
    )
    items: list[MoodleEntry] = []
    notes = [
        f"ImagingPrep set '{interview_set.title}': {len(entries)} entries, in order.",
        "Formulas are MathML; images and exercise files (.dcm, .nii.gz) are not included.",
    ]
    for entry in entries:
        if entry.question is not None:
            items.append(_moodle_question(entry.question))
        elif entry.exercise_kind:
            items.append(_moodle_exercise(entry, interview_set.pk))
            if entry.exercise_seed is None:
                notes.append(
                    f"Entry {entry.position} gives each candidate fresh data here; Moodle shows "
                    "every student the same text, so this file holds one draw."
                )
        else:
            assert entry.random_topic is not None  # CONTENT: a random draw names its topic
            topic, difficulty = entry.random_topic, entry.random_difficulty or None
            items.append(
                MoodleRandom(
                    topic=topic.slug,
                    topic_title=topic.title,
                    count=entry.random_count,
                    difficulty=difficulty,
                    pool=[
                        _moodle_question(question)
                        for question in pool
                        if question.topic_id == topic.pk
                        and (difficulty is None or question.difficulty == difficulty)
                    ],
                )
            )
    return to_moodle_xml(interview_set.title, items, notes)


def set_export(interview_set: InterviewSet, fmt: str) -> tuple[str, str, str]:
    """(file name, content type, text) of the set as md, json or moodle (Moodle XML)."""
    if fmt == "moodle":
        name = f"{set_as_item(interview_set).id}-moodle.xml"
        return name, "application/xml", set_moodle_xml(interview_set)
    return set_file_export(interview_set, fmt)


def _question_row(
    question: ImportedQuestion, *, interview_set: InterviewSet, topic: Topic, difficulty: str
) -> Question:
    return Question(
        ext_id=f"imported-{secrets.token_hex(8)}",
        source_path=question.where[:500],
        content_hash="",
        title=question.title[:300],
        type=question.type,
        difficulty=difficulty,
        difficulty_rank=DIFFICULTIES.index(difficulty),
        topic=topic,
        prompt_html=question.prompt_html,
        choices=question.choices,
        shuffle=question.shuffle,
        answer=question.answer,
        explanation_html=question.explanation_html,
        model_answer_html=question.model_answer_html,
        rubric=question.rubric,
        interviewer_notes_html=question.interviewer_notes_html,
        search_text=" ".join([question.title, plain_text(question.prompt_html)]).lower(),
        private=True,
        owner=interview_set.owner,
    )


def set_import_questions(
    *, interview_set: InterviewSet, name: str, raw: bytes, topic: Topic, difficulty: str
) -> ImportResult:
    """Add the file's questions (and random draws) to the end of the set, all or nothing:
    if `errors` comes back non-empty nothing was added. Unsupported questions are listed in
    `skipped` and the rest is added."""
    result = read_question_file(name, raw)
    if result.errors:
        return result
    topics = {t.slug: t for t in Topic.objects.filter(slug__in={d.topic for d in result.draws})}
    for draw in result.draws:
        if draw.topic not in topics:
            result.errors.append(f"{draw.where}: no topic '{draw.topic}' on this site to draw from")
        elif draw.count > MAX_RANDOM:
            result.errors.append(
                f"{draw.where}: {draw.count} random questions in a row; an entry draws at most "
                f"{MAX_RANDOM}"
            )
    with transaction.atomic():
        locked = InterviewSet.objects.select_for_update().get(pk=interview_set.pk)
        count = locked.entries.count()
        total = count + len(result.items)
        if total > MAX_ENTRIES:
            result.errors.append(
                f"{name}: {len(result.items)} entries would make the set {total} long; "
                f"a set holds at most {MAX_ENTRIES}: import fewer questions"
            )
        if result.errors:
            return result
        rows = Question.everything.bulk_create(
            _question_row(q, interview_set=locked, topic=topic, difficulty=difficulty)
            for q in result.questions
        )
        by_question = dict(zip(map(id, result.questions), rows, strict=True))
        entries = []
        for position, item in enumerate(result.items, start=count + 1):
            if isinstance(item, RandomDraw):
                entries.append(
                    InterviewEntry(
                        interview_set=locked,
                        position=position,
                        random_count=item.count,
                        random_topic=topics[item.topic],
                        random_difficulty=item.difficulty or "",
                    )
                )
            else:
                entries.append(
                    InterviewEntry(
                        interview_set=locked, position=position, question=by_question[id(item)]
                    )
                )
        InterviewEntry.objects.bulk_create(entries)
        locked.save(update_fields=["updated_at"])
    return result
