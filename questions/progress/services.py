"""Record what a candidate practised, and feed the review queue from it."""

from __future__ import annotations

import time
from datetime import datetime

from django.core import signing
from django.db import transaction
from django.utils import timezone

from ..models import Attempt, GlossaryTerm, ProgressEvent, Question, ReviewCard, Topic
from ..owners import Owner
from .review_queue import RATINGS, rating_for, review_record

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


def shown_token() -> str:
    """A signed 'page shown at' stamp, sent back with the answer to measure time spent."""
    return signing.dumps(int(time.time()), salt=_SHOWN_SALT)


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
    return event


def exercise_checked(
    *, owner: Owner, kind: str, score: float, seconds: int | None = None
) -> ProgressEvent:
    topic = Topic.objects.filter(slug=EXERCISE_TOPICS.get(kind, "")).first()
    return ProgressEvent.objects.create(
        **owner.fields(),
        source=ProgressEvent.Source.EXERCISE,
        exercise_kind=kind,
        topic=topic,
        correct=score == 1,
        score=score,
        time_spent_seconds=seconds,
        created_at=timezone.now(),
    )


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
    return card


def attempt_recorded(attempt: Attempt) -> None:
    """Record every answered item of a finished attempt (open items when rated).

    An interview whose answers are kept from the candidate records nothing: right/wrong per
    topic on the dashboard, or a review card, would give the keys away."""
    if not attempt.reveal_answers:
        return
    owner = Owner(attempt.user, attempt.anon_token)
    previous = attempt.started_at
    items = attempt.items.select_related("question", "term").order_by("answered_at", "position")
    for item in items:
        if item.answer is None or item.score is None:
            continue
        seconds = int((item.answered_at - previous).total_seconds()) if item.answered_at else None
        previous = item.answered_at or previous
        if item.question is not None:
            question_answered(
                owner=owner,
                question=item.question,
                source=ProgressEvent.Source.QUIZ,
                correct=bool(item.correct),
                score=item.score,
                seconds=seconds,
                now=item.answered_at or attempt.finished_at,
            )
        elif item.is_exercise:
            exercise_checked(
                owner=owner, kind=item.exercise_kind, score=item.score, seconds=seconds
            )
        elif item.term is not None:
            ProgressEvent.objects.create(
                **owner.fields(),
                source=ProgressEvent.Source.QUIZ,
                term_id=item.term_id,
                topic_id=item.term.topic_id,
                correct=bool(item.correct),
                score=item.score,
                time_spent_seconds=seconds,
                created_at=item.answered_at or timezone.now(),
            )
            rating = rating_for(correct=bool(item.correct), score=item.score)
            review_record(owner=owner, term=item.term, rating=rating, create=not item.correct)
