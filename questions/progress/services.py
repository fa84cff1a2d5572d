"""Record what a candidate practised, and feed the review queue from it."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from ..models import (
    Attempt,
    AttemptItem,
    GlossaryTerm,
    ProgressEvent,
    Question,
    ReviewCard,
    Topic,
)
from ..owners import Owner
from ..web.owner_cache import owner_changed
from .review_queue import RATINGS, Review, rating_for, review_record, reviews_record

# Which topic an exercise kind practises, so it counts towards that topic's mastery.
# The progress score of a review: "again" was a miss, "hard" a half, "good"/"easy" a hit.
REVIEW_SCORES = {"again": 0.0, "hard": 0.5, "good": 1.0, "easy": 1.0}

EXERCISE_TOPICS = {
    "classification": "metrics",
    "roc": "metrics",
    "class_weights": "class-imbalance",
    "agreement": "label-quality",
    "segmentation": "segmentation",
    "leakage": "validation",
    "dicom": "dicom",
    "nifti": "geometry",
    "dicom_geometry": "geometry",
    "intervals": "statistics",
    "calibration": "calibration",
    "detection": "detection",
    "boundary": "segmentation",
}
_SHOWN_SALT = "questions.progress.shown"
MAX_TIME_SPENT = 3600


# The last stamp made, with its second and key: every page shown in the same second carries
# the same stamp, so it is signed once per second per process, not once per page.
_last_shown: tuple[int, str, str] = (0, "", "")


def shown_token() -> str:
    """A signed 'page shown at' stamp, sent back with the answer to measure time spent."""
    global _last_shown
    now, key = int(time.time()), settings.SECRET_KEY
    second, signed_with, token = _last_shown
    if second != now or signed_with != key:
        token = signing.dumps(now, salt=_SHOWN_SALT)
        _last_shown = (now, key, token)
    return token


def time_spent(token: str | None) -> int | None:
    try:
        shown = signing.loads(token or "", salt=_SHOWN_SALT, max_age=MAX_TIME_SPENT)
    except signing.BadSignature:
        return None
    return max(0, min(MAX_TIME_SPENT, int(time.time()) - int(shown)))


def question_answered(
    *,
    owner: Owner,
    question: Question,
    source: str,
    correct: bool,
    score: float,
    self_assessment: str = "",
    seconds: int | None = None,
    now: datetime | None = None,
) -> ProgressEvent:
    now = now or timezone.now()
    event = ProgressEvent.objects.create(
        **owner.fields(),
        source=source,
        question=question,
        topic_id=question.topic_id,
        correct=correct,
        score=score,
        time_spent_seconds=seconds,
        created_at=now,
    )
    # A miss enters the review queue; a later answer reschedules the card if there is one.
    rating = rating_for(correct=correct, score=score, self_assessment=self_assessment)
    review_record(owner=owner, question=question, rating=rating, create=not correct, now=now)
    owner_changed(owner)
    return event


def exercise_checked(
    *, owner: Owner, kind: str, score: float, seconds: int | None = None
) -> ProgressEvent:
    topic = Topic.objects.filter(slug=EXERCISE_TOPICS.get(kind, "")).first()
    event = ProgressEvent.objects.create(
        **owner.fields(),
        source=ProgressEvent.Source.EXERCISE,
        exercise_kind=kind,
        topic=topic,
        correct=score == 1,
        score=score,
        time_spent_seconds=seconds,
        created_at=timezone.now(),
    )
    owner_changed(owner)
    return event


def term_reviewed(*, owner: Owner, term: GlossaryTerm, rating_name: str) -> ReviewCard | None:
    """A glossary term marked hard on its page (no answer to reveal: the page shows it)."""
    return _reviewed(owner=owner, term=term, rating_name=rating_name)


def card_reviewed(
    *,
    owner: Owner,
    rating_name: str,
    card: ReviewCard | None = None,
    question: Question | None = None,
    term: GlossaryTerm | None = None,
) -> ReviewCard | None:
    """A card self-rated after its answer was shown (the review queue, Today), named by the
    card or by its item; NotRevealed if the answer was not shown first."""
    if card is not None:
        question, term = card.question, card.term
    return _reviewed(
        owner=owner, term=term, question=question, rating_name=rating_name, require_reveal=True
    )


def _reviewed(
    *,
    owner: Owner,
    rating_name: str,
    term: GlossaryTerm | None = None,
    question: Question | None = None,
    require_reveal: bool = False,
) -> ReviewCard | None:
    rating = RATINGS[rating_name]
    now = timezone.now()
    item = term if term is not None else question
    assert item is not None
    with transaction.atomic():
        card = review_record(
            owner=owner,
            term=term,
            question=question,
            rating=rating,
            require_reveal=require_reveal,
            now=now,
        )
        ProgressEvent.objects.create(
            **owner.fields(),
            source=ProgressEvent.Source.REVIEW,
            term=term,
            question=question,
            topic_id=item.topic_id,
            correct=rating_name in ("good", "easy"),
            score=REVIEW_SCORES[rating_name],
            created_at=now,
        )
        owner_changed(owner)
    return card


def attempt_recorded(attempt: Attempt, items: Iterable[AttemptItem] | None = None) -> None:
    """Record every answered item of a finished attempt (open items when rated).

    `items` are the attempt's items, with question and term loaded, when the caller has
    them (attempt_finish does); else they are read. A fixed number of queries whatever the
    number of items: the events in one insert, the review cards in one select, one insert and
    one update (reviews_record), the exercise topics in one select.

    An interview whose answers are kept from the candidate records nothing: right/wrong per
    topic on the dashboard, or a review card, would give the keys away."""
    if not attempt.reveal_answers:
        return
    if items is None:
        items = attempt.items.select_related("question", "term")
    owner = Owner(attempt.user, attempt.anon_token)
    now = timezone.now()
    # Time spent on an item runs from the previous answer (or the start); NULLs last, as
    # PostgreSQL orders them.
    answered = sorted(
        (item for item in items if item.answer is not None and item.score is not None),
        key=lambda item: (item.answered_at is None, item.answered_at or now, item.position),
    )
    kinds = {item.exercise_kind for item in answered if item.is_exercise}
    slugs = {EXERCISE_TOPICS.get(kind, "") for kind in kinds}
    topics = dict(Topic.objects.filter(slug__in=slugs).values_list("slug", "pk")) if kinds else {}
    events: list[ProgressEvent] = []
    reviews: list[Review] = []
    previous = attempt.started_at
    for item in answered:
        assert item.score is not None  # filtered above
        seconds = int((item.answered_at - previous).total_seconds()) if item.answered_at else None
        previous = item.answered_at or previous
        event = ProgressEvent(
            **owner.fields(),
            source=ProgressEvent.Source.QUIZ,
            correct=bool(item.correct),
            score=item.score,
            time_spent_seconds=seconds,
        )
        if item.question is not None:
            when = item.answered_at or attempt.finished_at or now
            event.question, event.topic_id, event.created_at = (
                item.question,
                item.question.topic_id,
                when,
            )
            # A miss enters the review queue; a later answer reschedules the card if any.
            rating = rating_for(correct=bool(item.correct), score=item.score)
            reviews.append(
                Review(rating, when, create=not item.correct, question_id=item.question_id)
            )
        elif item.is_exercise:
            event.source = ProgressEvent.Source.EXERCISE
            event.exercise_kind = item.exercise_kind
            event.topic_id = topics.get(EXERCISE_TOPICS.get(item.exercise_kind, ""))
            event.correct = item.score == 1
            event.created_at = now
        elif item.term is not None:
            event.term_id, event.topic_id = item.term_id, item.term.topic_id
            event.created_at = item.answered_at or now
            rating = rating_for(correct=bool(item.correct), score=item.score)
            reviews.append(Review(rating, now, create=not item.correct, term_id=item.term_id))
        else:
            continue
        events.append(event)
    ProgressEvent.objects.bulk_create(events)
    reviews_record(owner=owner, reviews=reviews)
    # owner_changed: by attempt_finish, the only caller, which changes the dashboard anyway.
