"""Sync the database with a content tree: all or nothing, and only what changed.

`content_sync` validates the whole tree first; with any problem it touches nothing. Otherwise
one transaction adds new items, re-renders and updates changed ones (by content hash), and
retires items whose files are gone. Unchanged files cost a hash comparison, nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from ..content.documents import Problem
from ..content.parallel import pmap
from ..content.rendering import render_question, render_term
from ..content.schema import DIFFICULTIES, GlossaryItem, QuestionItem, SetEntrySpec, SetItem
from ..content.tree import ContentTree, read_tree
from ..markup import render_markdown
from ..models import GlossaryTerm, Question, QuestionSet, SetEntry, Tag, Topic
from ..models.content import ContentItem
from ..web import page_cache


@dataclass
class KindCounts:
    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.retired


@dataclass
class SyncReport:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    glossary: KindCounts = field(default_factory=KindCounts)
    questions: KindCounts = field(default_factory=KindCounts)
    sets: KindCounts = field(default_factory=KindCounts)
    topics_changed: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return bool(
            self.topics_changed
            or self.glossary.changed
            or self.questions.changed
            or self.sets.changed
        )

    def summary(self) -> str:
        if not self.changed:
            return f"Nothing changed: {self.files} files match the database."
        parts = []
        for name in ("glossary", "questions", "sets"):
            counts: KindCounts = getattr(self, name)
            parts.append(
                f"{name}: {counts.added} added, {counts.updated} updated, "
                f"{counts.retired} retired, {counts.unchanged} unchanged"
            )
        return "Loaded " + "; ".join(parts) + "."


def content_sync(root: Path) -> SyncReport:
    tree = read_tree(root)
    report = SyncReport(problems=list(tree.problems), files=tree.files)
    if not tree.ok:
        return report
    with transaction.atomic():
        topics = _sync_topics(tree, report)
        terms = _sync_glossary(tree, topics, report.glossary)
        questions = _sync_questions(tree, topics, terms, report.questions)
        _sync_sets(tree, topics, questions, report.sets)
        if report.changed:
            # Cached pages show the old content: retire them once the new content is in.
            transaction.on_commit(page_cache.content_changed)
    return report


def _sync_topics(tree: ContentTree, report: SyncReport) -> dict[str, Topic]:
    existing = {topic.slug: topic for topic in Topic.objects.all()}
    for parsed in tree.topics:
        topic = existing.get(parsed.slug)
        values = {"title": parsed.title, "description": parsed.description, "order": parsed.order}
        if topic is None:
            existing[parsed.slug] = Topic.objects.create(slug=parsed.slug, **values)
            report.topics_changed += 1
        elif any(getattr(topic, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(topic, key, value)
            topic.save()
            report.topics_changed += 1
    return existing


_Item = TypeVar("_Item", bound=GlossaryItem | QuestionItem | SetItem)
_Row = TypeVar("_Row", bound=ContentItem)


def _upsert(
    model: type[_Row],
    items: list[_Item],
    hashes: dict[str, str],
    counts: KindCounts,
    fields: Callable[[_Item, dict[str, Any]], dict[str, Any]],
    render: Callable[[_Item], dict[str, Any]] | None = None,
) -> tuple[dict[str, int], list[_Item]]:
    """Create new items, update changed ones, retire rows whose file is gone.

    `fields(item, rendered)` gives an item's model fields; `render(item)`, if given, its HTML
    (run on every core, and only for new and changed items). Returns ({ext_id: pk} of every
    row, the new and changed items).
    """
    existing = {
        ext_id: (pk, content_hash, retired_at)
        for ext_id, pk, content_hash, retired_at in model.objects.values_list(
            "ext_id", "pk", "content_hash", "retired_at"
        )
    }
    new: list[_Item] = []
    changed: list[tuple[int, _Item]] = []
    for item in items:
        row = existing.get(item.id)
        if row is None:
            new.append(item)
        elif row[1] != hashes[item.id] or row[2] is not None:
            changed.append((row[0], item))
        else:
            counts.unchanged += 1
    present = {item.id for item in items}
    gone = [ext_id for ext_id, row in existing.items() if ext_id not in present and row[2] is None]
    if gone:
        counts.retired = model.objects.filter(ext_id__in=gone).update(retired_at=timezone.now())
    counts.added, counts.updated = len(new), len(changed)
    touched: list[_Item] = [*new, *(item for _, item in changed)]
    rendered = pmap(render, touched) if render else [{}] * len(touched)
    rows, update_fields = [], ["source_path", "content_hash", "retired_at"]
    pending: list[tuple[int | None, _Item]] = [*((None, i) for i in new), *changed]
    for (pk, item), html in zip(pending, rendered, strict=True):
        values = fields(item, html)
        rows.append(
            model(
                pk=pk,
                ext_id=item.id,
                source_path=item.path,
                content_hash=hashes[item.id],
                retired_at=None,
                **values,
            )
        )
        update_fields[3:] = values  # the same keys for every item of a kind
    model.objects.bulk_create(rows[: len(new)], batch_size=500)
    if changed:
        model.objects.bulk_update(rows[len(new) :], update_fields, batch_size=500)
    ids = {ext_id: row[0] for ext_id, row in existing.items()}
    if new:
        ids.update(model.objects.filter(ext_id__in=[i.id for i in new]).values_list("ext_id", "pk"))
    return ids, touched


def _set_m2m(
    through: type[models.Model], owner_field: str, target_field: str, links: dict[int, list[int]]
) -> None:
    """Replace the links of the given owners (only those: unchanged items keep theirs)."""
    if not links:
        return
    through._default_manager.filter(**{f"{owner_field}__in": list(links)}).delete()
    through._default_manager.bulk_create(
        [
            through(**{f"{owner_field}_id": owner, f"{target_field}_id": target})
            for owner, targets in links.items()
            for target in dict.fromkeys(targets)
        ],
        batch_size=1000,
    )


def _sort_key(term: str) -> str:
    return "".join(ch for ch in term.lower() if ch.isalnum() or ch == " ").strip() or term.lower()


def _sync_glossary(
    tree: ContentTree, topics: dict[str, Topic], counts: KindCounts
) -> dict[str, int]:
    def fields(item: GlossaryItem, rendered: dict[str, Any]) -> dict[str, Any]:
        return {
            "term": item.term,
            "aliases": item.aliases,
            "exercises": item.exercises,
            "topic": topics[item.topic],
            "definition": item.definition,
            "search_text": " | ".join([item.term, *item.aliases]).lower(),
            "sort_key": _sort_key(item.term),
            **rendered,
        }

    ids, touched = _upsert(GlossaryTerm, tree.glossary, tree.hashes, counts, fields, render_term)
    _set_m2m(
        GlossaryTerm.see_also.through,
        "from_glossaryterm",
        "to_glossaryterm",
        {ids[item.id]: [ids[ref] for ref in item.see_also] for item in touched},
    )
    return ids


def _sync_questions(
    tree: ContentTree, topics: dict[str, Topic], terms: dict[str, int], counts: KindCounts
) -> dict[str, int]:
    def fields(item: QuestionItem, rendered: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": item.title,
            "type": item.type,
            "difficulty": item.difficulty,
            "difficulty_rank": DIFFICULTIES.index(item.difficulty),
            "topic": topics[item.topic],
            "answer": item.answer,
            "shuffle": item.shuffle,
            **rendered,
        }

    ids, touched = _upsert(Question, tree.questions, tree.hashes, counts, fields, render_question)
    if touched:
        wanted = {tag for item in touched for tag in item.tags}
        tags = dict(Tag.objects.filter(name__in=wanted).values_list("name", "pk"))
        Tag.objects.bulk_create([Tag(name=name) for name in sorted(wanted - set(tags))])
        tags.update(Tag.objects.filter(name__in=wanted).values_list("name", "pk"))
        _set_m2m(
            Question.tags.through,
            "question",
            "tag",
            {ids[item.id]: [tags[tag] for tag in item.tags] for item in touched},
        )
        _set_m2m(
            Question.related_terms.through,
            "question",
            "glossaryterm",
            {ids[item.id]: [terms[ref] for ref in item.related] for item in touched},
        )
    return ids


def entry_fields(
    entry: SetEntrySpec, topics: dict[str, Topic], questions: dict[str, int]
) -> dict[str, Any]:
    """A parsed set entry as the columns of SetEntry or InterviewEntry."""
    random_topic = None
    if entry.random:
        assert entry.topic is not None  # the schema gives every random entry its topic
        random_topic = topics[entry.topic]
    return {
        "question_id": questions[entry.question] if entry.question else None,
        "exercise_kind": entry.exercise or "",
        "exercise_level": entry.level if entry.exercise else "",
        "exercise_seed": entry.seed if entry.exercise else None,
        "random_count": entry.random,
        "random_topic": random_topic,
        "random_difficulty": (entry.difficulty or "") if entry.random else "",
    }


def _sync_sets(
    tree: ContentTree, topics: dict[str, Topic], questions: dict[str, int], counts: KindCounts
) -> None:
    def fields(item: SetItem, rendered: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": item.title,
            "time_limit_minutes": item.time_limit,
            "description": item.description,
            "description_html": render_markdown(item.description),
            "show_answers": item.show_answers,
        }

    ids, touched = _upsert(QuestionSet, tree.sets, tree.hashes, counts, fields)
    if touched:
        SetEntry.objects.filter(question_set_id__in=[ids[i.id] for i in touched]).delete()
        SetEntry.objects.bulk_create(
            [
                SetEntry(
                    question_set_id=ids[item.id],
                    position=n,
                    **entry_fields(entry, topics, questions),
                )
                for item in touched
                for n, entry in enumerate(item.entries, start=1)
            ]
        )
