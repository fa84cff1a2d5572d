"""Interviewers' question sets: build, reorder, copy, import and export. Services in the
`<entity>_<action>` style; every write is one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from ..catalog.export import entries_deck
from ..catalog.sync import entry_fields
from ..content.anki import DeckFile
from ..content.documents import Problem
from ..content.schema import ID_RE, SetEntrySpec, SetItem, description_problem
from ..content.set_files import read_set_file, to_json, to_markdown
from ..markup import render_markdown
from ..models import EntryFields, InterviewEntry, InterviewSet, Question, QuestionSet, Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_ENTRIES = 100
_OFFSET = 1_000_000  # parks positions out of the way while renumbering


class SetError(ValueError):
    """A change the set cannot take; the message is for the interviewer."""


def validate_description(text: str) -> None:
    """The set form's and the API's check of a description (imports check the same rule)."""
    problem = description_problem(text.strip())
    if problem:
        raise ValidationError(f"{problem[0].upper()}{problem[1:]}.", code="description")


def set_create(
    *,
    owner: User,
    title: str,
    description: str,
    time_limit_minutes: int,
    show_answers: bool = False,
    based_on: QuestionSet | None = None,
) -> InterviewSet:
    return InterviewSet.objects.create(
        owner=owner,
        title=title.strip(),
        description=description.strip(),
        description_html=render_markdown(description.strip()),
        time_limit_minutes=time_limit_minutes,
        show_answers=show_answers,
        based_on=based_on,
    )


def set_update(*, interview_set: InterviewSet, **fields: Any) -> InterviewSet:
    for name, value in fields.items():
        setattr(interview_set, name, value.strip() if isinstance(value, str) else value)
    interview_set.description_html = render_markdown(interview_set.description)
    interview_set.save()
    return interview_set


def _copy_entries(entries: Iterable[EntryFields], interview_set: InterviewSet) -> None:
    InterviewEntry.objects.bulk_create(
        InterviewEntry(
            interview_set=interview_set,
            position=n,
            question_id=entry.question_id,
            exercise_kind=entry.exercise_kind,
            exercise_level=entry.exercise_level,
            exercise_seed=entry.exercise_seed,
            random_count=entry.random_count,
            random_topic_id=entry.random_topic_id,
            random_difficulty=entry.random_difficulty,
        )
        for n, entry in enumerate(entries, start=1)
    )


@transaction.atomic
def set_duplicate(*, interview_set: InterviewSet, owner: User) -> InterviewSet:
    copy = set_create(
        owner=owner,
        title=f"Copy of {interview_set.title}"[:200],
        description=interview_set.description,
        time_limit_minutes=interview_set.time_limit_minutes,
        show_answers=interview_set.show_answers,
        based_on=interview_set.based_on,
    )
    _copy_entries(interview_set.entries.all(), copy)
    return copy


@transaction.atomic
def set_from_curated(*, question_set: QuestionSet, owner: User) -> InterviewSet:
    copy = set_create(
        owner=owner,
        title=question_set.title[:200],
        description=question_set.description,
        time_limit_minutes=question_set.time_limit_minutes,
        show_answers=False,
        based_on=question_set,
    )
    _copy_entries(question_set.entries.all(), copy)
    return copy


def _renumber(interview_set: InterviewSet, ordered: list[InterviewEntry]) -> None:
    """Positions 1..n in the given order, without tripping the unique (set, position)."""
    interview_set.entries.update(position=F("position") + _OFFSET)
    for n, entry in enumerate(ordered, start=1):
        entry.position = n
    InterviewEntry.objects.bulk_update(ordered, ["position"])
    interview_set.save(update_fields=["updated_at"])


@transaction.atomic
def entry_add(
    *,
    interview_set: InterviewSet,
    question: Question | None = None,
    exercise_kind: str = "",
    exercise_level: str = "medium",
    exercise_seed: int | None = None,
    random_count: int = 0,
    random_topic: Topic | None = None,
    random_difficulty: str = "",
) -> InterviewEntry:
    locked = InterviewSet.objects.select_for_update().get(pk=interview_set.pk)
    count = locked.entries.count()
    if count >= MAX_ENTRIES:
        raise SetError(f"A set holds at most {MAX_ENTRIES} entries: remove one first.")
    if question is not None and locked.entries.filter(question=question).exists():
        raise SetError(f"“{question.title}” is already in this set.")
    if question is None and not exercise_kind and not (random_count and random_topic):
        raise SetError("Choose a question, an exercise, or a topic to draw from.")
    entry = InterviewEntry.objects.create(
        interview_set=locked,
        position=count + 1,
        question=question,
        exercise_kind=exercise_kind if question is None else "",
        exercise_level=exercise_level if exercise_kind and question is None else "",
        exercise_seed=exercise_seed if exercise_kind and question is None else None,
        random_count=random_count if not (question or exercise_kind) else 0,
        random_topic=random_topic if not (question or exercise_kind) else None,
        random_difficulty=random_difficulty if not (question or exercise_kind) else "",
    )
    locked.save(update_fields=["updated_at"])
    return entry


@transaction.atomic
def entry_move(*, entry: InterviewEntry, position: int) -> None:
    """Move an entry to `position` (1-based, clamped), shifting the others."""
    interview_set = InterviewSet.objects.select_for_update().get(pk=entry.interview_set_id)
    ordered = [e for e in interview_set.entries.order_by("position") if e.pk != entry.pk]
    index = min(max(position, 1), len(ordered) + 1) - 1
    ordered.insert(index, entry)
    _renumber(interview_set, ordered)


@transaction.atomic
def entries_reorder(*, interview_set: InterviewSet, order: list[int]) -> None:
    """Put the entries in the order of their ids; the list must name each exactly once."""
    locked = InterviewSet.objects.select_for_update().get(pk=interview_set.pk)
    entries = {entry.pk: entry for entry in locked.entries.all()}
    if sorted(order) != sorted(entries):
        raise SetError("Give every entry of the set exactly once to reorder it.")
    _renumber(locked, [entries[pk] for pk in order])


@transaction.atomic
def entry_remove(*, entry: InterviewEntry) -> None:
    interview_set = InterviewSet.objects.select_for_update().get(pk=entry.interview_set_id)
    entry.delete()
    _renumber(interview_set, list(interview_set.entries.order_by("position")))


def sets_delete(interview_sets: Iterable[InterviewSet]) -> None:
    """Delete sets with their entries and invites; candidates' attempts stay, unlinked.

    Each set's row is locked before Django lists what to unlink and delete, as a start
    from one of its invites locks it before making the attempt (invites.invite_start): an
    attempt started in between would name a deleted invite, and the deletion would fail at
    its commit. Also the admin's delete, for staff."""
    with transaction.atomic():
        pks = sorted(interview_set.pk for interview_set in interview_sets)
        for locked in InterviewSet.objects.select_for_update().filter(pk__in=pks).order_by("pk"):
            locked.delete()


def set_delete(*, interview_set: InterviewSet) -> None:
    sets_delete([interview_set])


def sets_lock_for_delete(*, owner: User) -> None:
    """Lock an account's sets before the account is deleted (apps.py: pre_delete, after its
    attempts), as sets_delete does: a candidate starting one of them meanwhile either
    finishes first, and their attempt is unlinked with the others (Django lists what to
    unlink only after pre_delete), or waits and is told the link was withdrawn. Without
    it, the new attempt would name a deleted invite and the account's deletion would fail
    at its commit."""
    list(InterviewSet.objects.filter(owner=owner).select_for_update().order_by("pk").values("pk"))


# Files -------------------------------------------------------------------------------


def _file_id(title: str) -> str:
    slug = slugify(title)[:80].strip("-")
    return slug if ID_RE.match(slug or "-") else "question-set"


def set_as_item(interview_set: InterviewSet) -> SetItem:
    """The set in the content format's terms, for the Markdown and JSON exports."""
    entries = []
    for entry in interview_set.entries.select_related("question", "random_topic"):
        if entry.question is not None:
            entries.append(SetEntrySpec(question=entry.question.ext_id))
        elif entry.exercise_kind:
            entries.append(
                SetEntrySpec(
                    exercise=entry.exercise_kind,
                    level=entry.exercise_level,
                    seed=entry.exercise_seed,
                )
            )
        else:
            assert entry.random_topic is not None  # a random draw names its topic
            entries.append(
                SetEntrySpec(
                    random=entry.random_count,
                    topic=entry.random_topic.slug,
                    difficulty=entry.random_difficulty or None,
                )
            )
    return SetItem(
        id=_file_id(interview_set.title),
        path="",
        title=interview_set.title,
        time_limit=interview_set.time_limit_minutes,
        questions=[e.question for e in entries if e.question],
        description=interview_set.description,
        entries=entries,
        show_answers=interview_set.show_answers,
    )


def set_export(interview_set: InterviewSet, fmt: str) -> tuple[str, str, str]:
    """(file name, content type, text) of the set in `fmt`: md or json (Moodle XML is
    interchange.set_export's)."""
    imported = interview_set.entries.filter(question__private=True).count()
    if imported:
        raise SetError(
            f"This set holds {imported} imported question(s), which are not in the bank: "
            "Markdown and JSON name bank questions only. Export it as Moodle XML to keep them."
        )
    item = set_as_item(interview_set)
    if fmt == "md":
        return f"{item.id}.md", "text/markdown; charset=utf-8", to_markdown(item)
    if fmt == "json":
        return f"{item.id}.json", "application/json", to_json(item)
    raise SetError(f"Unknown export format {fmt!r}: use md, json or moodle.")


def set_anki(interview_set: InterviewSet) -> DeckFile:
    """The set's auto-graded questions as an Anki deck. It holds the keys: only for the
    set's owner (the view asks `visible_to`), never for a candidate."""
    return entries_deck(
        interview_set.entries.select_related("question__topic"),
        key=f"interview-set:{interview_set.pk}",
        path=["Interview sets", interview_set.title],
        filename=f"{_file_id(interview_set.title)}-anki.apkg",
    )


def set_import(*, owner: User, name: str, raw: bytes) -> tuple[InterviewSet | None, list[Problem]]:
    """Create a set from an exported file. Nothing is created unless the whole file is good."""
    item, problems = read_set_file(name, raw)
    if item is None:
        return None, problems
    questions = dict(Question.objects.filter(ext_id__in=item.questions).values_list("ext_id", "pk"))
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for entry in item.entries:
        if entry.question and entry.question not in questions:
            problems.append(
                Problem(name, entry.line, f"no question with id '{entry.question}' in the bank")
            )
        if entry.topic and entry.topic not in topics:
            problems.append(
                Problem(
                    name,
                    entry.line,
                    f"no topic '{entry.topic}': use one of {', '.join(sorted(topics))}",
                )
            )
    if len(item.entries) > MAX_ENTRIES:
        problems.append(Problem(name, 1, f"a set holds at most {MAX_ENTRIES} entries"))
    if problems:
        return None, sorted(problems)
    with transaction.atomic():
        interview_set = set_create(
            owner=owner,
            title=item.title[:200],
            description=item.description,
            time_limit_minutes=item.time_limit,
            show_answers=item.show_answers,
        )
        InterviewEntry.objects.bulk_create(
            InterviewEntry(
                interview_set=interview_set, position=n, **entry_fields(entry, topics, questions)
            )
            for n, entry in enumerate(item.entries, start=1)
        )
    return interview_set, []
