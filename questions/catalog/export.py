"""Anki decks of the public practice material: the glossary, a topic's questions, a curated
set. The database side: which items, in which order; content/anki.py builds the file.

Everything here is public: any visitor may read every bank question with its key and
explanation in practice mode. Interviewers' own sets are not (interviews/sets.py builds
theirs, for the owner only).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Q

from ..content.anki import (
    AUTO_GRADED,
    DeckFile,
    LeftOut,
    QuestionCard,
    TermCard,
    glossary_deck,
    left_out_sentence,
    question_deck,
)
from ..models import EntryFields, GlossaryTerm, Question, QuestionSet, SetEntry, Topic
from ..web.page_cache import content_version


class DeckNotFound(LookupError):
    """No such deck; the message says what exists instead."""


def _timestamp(times: Iterable[datetime | None]) -> float:
    """The notes' modification time: the newest change among the items, so a new build of
    changed content is newer to Anki than the copy a learner has, and unchanged content
    gives the same file."""
    known = [time for time in times if time is not None]
    return max(known).timestamp() if known else 0.0


def question_card(question: Question) -> QuestionCard:
    """A bank question as a card; `question.topic` should be loaded with it."""
    return QuestionCard(
        id=question.ext_id,
        title=question.title,
        type=question.type,
        topic=question.topic.title,
        difficulty=question.get_difficulty_display(),
        prompt_html=question.prompt_html,
        explanation_html=question.explanation_html,
        choices=tuple(question.choices),
        answer=dict(question.answer),
        shuffle=question.shuffle,
    )


def entry_kind(entry: EntryFields) -> str:
    """'card' for an auto-graded question, else why it is left out: open, exercise, random."""
    if entry.question is not None:
        return "card" if entry.question.type in AUTO_GRADED else "open"
    return "exercise" if entry.exercise_kind else "random"


def left_out_counts(kinds: Iterable[str]) -> tuple[LeftOut, ...]:
    counts = Counter(kinds)
    return tuple(LeftOut(kind, counts[kind]) for kind in ("open", "exercise", "random"))


def entries_deck(
    entries: Iterable[EntryFields], *, key: str, path: list[str], filename: str
) -> DeckFile:
    """A set's deck: its auto-graded questions in the set's order; the rest counted as left
    out. `entries` must come with `question__topic` selected."""
    entries = list(entries)
    kinds = [entry_kind(entry) for entry in entries]
    cards = [
        question_card(entry.question)
        for entry, kind in zip(entries, kinds, strict=True)
        if kind == "card" and entry.question is not None
    ]
    return question_deck(
        key=key,
        path=path,
        filename=filename,
        questions=cards,
        left_out=left_out_counts(kinds),
        timestamp=_timestamp(e.question.updated_at for e in entries if e.question is not None),
    )


def glossary_anki() -> DeckFile:
    terms = GlossaryTerm.objects.active().select_related("topic").order_by("sort_key")
    cards = [
        TermCard(
            id=term.ext_id,
            term=term.term,
            aliases=tuple(term.aliases),
            definition=term.definition,
            body_html=term.body_html,
            topic=term.topic.title,
        )
        for term in terms
    ]
    return glossary_deck(cards, timestamp=_timestamp(term.updated_at for term in terms))


def topic_anki(slug: str) -> DeckFile:
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        known = ", ".join(Topic.objects.values_list("slug", flat=True))
        raise DeckNotFound(f"There is no topic {slug!r}. Topics: {known}.")
    questions = list(Question.objects.active().filter(topic=topic).select_related("topic"))
    cards = [question_card(q) for q in questions if q.type in AUTO_GRADED]
    if not cards:
        raise DeckNotFound(f"The topic {slug!r} has no auto-graded questions to put in a deck.")
    return question_deck(
        key=f"topic:{topic.slug}",
        path=["Topics", topic.title],
        filename=f"imagingprep-topic-{topic.slug}.apkg",
        questions=cards,
        left_out=left_out_counts("open" for q in questions if q.type not in AUTO_GRADED),
        timestamp=_timestamp(q.updated_at for q in questions),
    )


def curated_set_anki(slug: str) -> DeckFile:
    question_set = QuestionSet.objects.active().filter(ext_id=slug).first()
    if question_set is None:
        known = ", ".join(
            QuestionSet.objects.active().order_by("ext_id").values_list("ext_id", flat=True)
        )
        raise DeckNotFound(f"There is no curated set {slug!r}. Sets: {known}.")
    return entries_deck(
        question_set.entries.select_related("question__topic"),
        key=f"set:{question_set.ext_id}",
        path=["Sets", question_set.title],
        filename=f"imagingprep-set-{question_set.ext_id}.apkg",
    )


# The download page -------------------------------------------------------------------


@dataclass(frozen=True)
class DeckSummary:
    """One deck as the download page lists it, counted without building it."""

    kind: str  # glossary, topic, set
    slug: str
    title: str
    notes: int
    cards: int
    left_out: tuple[LeftOut, ...] = ()

    @property
    def left_out_text(self) -> str:
        return left_out_sentence(self.left_out)


def deck_summaries() -> list[DeckSummary]:
    """Every public deck with its counts, in three queries."""
    terms = GlossaryTerm.objects.active().count()
    summaries = [DeckSummary("glossary", "glossary", "Every term", terms, 2 * terms)]
    active = Q(questions__retired_at__isnull=True, questions__private=False)
    topics = (
        Topic.objects.annotate(
            auto=Count("questions", filter=active & Q(questions__type__in=AUTO_GRADED)),
            open=Count("questions", filter=active & ~Q(questions__type__in=AUTO_GRADED)),
        )
        .filter(auto__gt=0)
        .order_by("order", "slug")
    )
    for topic in topics:
        summaries.append(
            DeckSummary(
                "topic",
                topic.slug,
                topic.title,
                topic.auto,
                topic.auto,
                left_out_counts(["open"] * topic.open),
            )
        )
    kinds: dict[int, list[str]] = {}
    entries = SetEntry.objects.filter(question_set__retired_at__isnull=True).select_related(
        "question"
    )
    for entry in entries.only("question_set_id", "exercise_kind", "question__type"):
        kinds.setdefault(entry.question_set_id, []).append(entry_kind(entry))
    for question_set in QuestionSet.objects.active().order_by("title"):
        set_kinds = kinds.get(question_set.pk, [])
        cards = set_kinds.count("card")
        summaries.append(
            DeckSummary(
                "set",
                question_set.ext_id,
                question_set.title,
                cards,
                cards,
                left_out_counts(set_kinds),
            )
        )
    return summaries


_BUILDERS: dict[str, Callable[[str], DeckFile]] = {
    "glossary": lambda slug: glossary_anki(),
    "topic": topic_anki,
    "set": curated_set_anki,
}
# A built deck is kept until the content changes (load_content bumps the version), so
# repeated downloads cost a cache read, not a build (the glossary takes about 0.1 s).
_CACHE_SECONDS = 24 * 3600


def public_deck(kind: str, slug: str = "") -> DeckFile:
    """The glossary's, a topic's or a curated set's deck, built once per content version."""
    if kind not in _BUILDERS:
        raise DeckNotFound(f"There is no {kind!r} deck: choose glossary, topic or set.")
    # Hashed: the slug comes from the URL unchecked (it may be long or odd), and a deck that
    # does not exist is found out by its builder only on a miss.
    slug_key = hashlib.sha256(slug.encode()).hexdigest()
    key = f"anki:{content_version()}:{kind}:{slug_key}"
    deck = cache.get(key)
    if not isinstance(deck, DeckFile):
        deck = _BUILDERS[kind](slug)
        cache.set(key, deck, _CACHE_SECONDS)
    return deck
