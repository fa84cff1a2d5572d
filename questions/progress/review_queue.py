"""Spaced review with FSRS: wrong answers and hard terms come back when they are due."""

from __future__ import annotations

from datetime import datetime

import fsrs
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import GlossaryTerm, Question, ReviewCard
from ..models.owned import OwnedQuerySet
from ..owners import Owner

# Fuzz off: the same history gives the same schedule, which tests and candidates can follow.
SCHEDULER = fsrs.Scheduler(enable_fuzzing=False)
RATINGS = {
    "again": fsrs.Rating.Again,
    "hard": fsrs.Rating.Hard,
    "good": fsrs.Rating.Good,
    "easy": fsrs.Rating.Easy,
}
SELF_ASSESSED = {"no": fsrs.Rating.Again, "partly": fsrs.Rating.Hard, "fully": fsrs.Rating.Good}


def rating_for(*, correct: bool, score: float, self_assessment: str = "") -> fsrs.Rating:
    if self_assessment:
        return SELF_ASSESSED[self_assessment]
    if correct:
        return fsrs.Rating.Good
    return fsrs.Rating.Hard if score > 0 else fsrs.Rating.Again


def review_record(
    *,
    owner: Owner,
    rating: fsrs.Rating,
    question: Question | None = None,
    term: GlossaryTerm | None = None,
    create: bool = True,
    now: datetime | None = None,
) -> ReviewCard | None:
    """Schedule the item's next review. Creates the card only when `create` (a wrong answer or
    a term marked hard); a right answer to an item never missed leaves no card."""
    now = now or timezone.now()
    lookup = {"question": question} if question is not None else {"term": term}
    cards = ReviewCard.objects.owned_by(owner.user, owner.anon_token)
    with transaction.atomic():
        card = cards.select_for_update().filter(**lookup).first()
        if card is None:
            if not create:
                return None
            card = ReviewCard(**owner.fields(), **lookup, card=fsrs.Card().to_dict(), due=now)
        scheduled, _log = SCHEDULER.review_card(
            fsrs.Card.from_dict(card.card), rating, review_datetime=now
        )
        card.card = scheduled.to_dict()
        card.due = scheduled.due
        card.reviews += 1
        card.last_rating = int(rating)
        try:
            with transaction.atomic():
                card.save()
        except IntegrityError:  # the same card created at the same moment by another request
            return None
    return card


def due_cards(owner: Owner, now: datetime | None = None) -> OwnedQuerySet[ReviewCard]:
    return (
        ReviewCard.objects.owned_by(owner.user, owner.anon_token)
        .filter(due__lte=now or timezone.now())
        .select_related("question__topic", "term")
    )
