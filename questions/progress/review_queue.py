"""Spaced review with FSRS: wrong answers and hard terms come back when they are due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import fsrs
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ..models import GlossaryTerm, Question, ReviewCard
from ..models.bulk import update_rows
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
        _schedule(card, rating, now)
        try:
            with transaction.atomic():
                card.save()
        except IntegrityError:  # the same card created at the same moment by another request
            return None
    return card


def _schedule(card: ReviewCard, rating: fsrs.Rating, now: datetime) -> None:
    scheduled, _log = SCHEDULER.review_card(
        fsrs.Card.from_dict(card.card), rating, review_datetime=now
    )
    card.card = scheduled.to_dict()
    card.due = scheduled.due
    card.reviews += 1
    card.last_rating = int(rating)


@dataclass(frozen=True)
class Review:
    """One answer to schedule: a question's or a term's, rated, at `now`."""

    rating: fsrs.Rating
    now: datetime
    create: bool
    question_id: int | None = None
    term_id: int | None = None


def reviews_record(*, owner: Owner, reviews: Sequence[Review]) -> None:
    """`review_record` for many answers at once (a finished quiz's), in a fixed number of
    queries: one select of the owner's existing cards (locked), one insert of the new ones,
    one update of the rest. Applied in order, so an item answered twice is scheduled twice,
    as one call per answer would. Call it inside a transaction.

    A card another request created meanwhile (same owner and item) is left as that request
    made it, as `review_record` leaves it: the insert skips rows that hit the unique
    constraints instead of failing the whole quiz."""
    if not reviews:
        return
    question_ids = {r.question_id for r in reviews if r.question_id is not None}
    term_ids = {r.term_id for r in reviews if r.term_id is not None}
    found = (
        ReviewCard.objects.owned_by(owner.user, owner.anon_token)
        .select_for_update()
        .filter(Q(question_id__in=question_ids) | Q(term_id__in=term_ids))
    )
    cards = {(card.question_id, card.term_id): card for card in found}
    changed: dict[tuple[int | None, int | None], ReviewCard] = {}
    created: dict[tuple[int | None, int | None], ReviewCard] = {}
    for review in reviews:
        key = (review.question_id, review.term_id)
        card = cards.get(key)
        if card is None:
            if not review.create:
                continue
            card = cards[key] = created[key] = ReviewCard(
                **owner.fields(),
                question_id=review.question_id,
                term_id=review.term_id,
                card=fsrs.Card().to_dict(),
                due=review.now,
            )
        elif key not in created:
            changed[key] = card
        _schedule(card, review.rating, review.now)
    if created:
        ReviewCard.objects.bulk_create(created.values(), ignore_conflicts=True)
    if changed:
        update_rows(list(changed.values()), ["card", "due", "reviews", "last_rating"])


def due_cards(owner: Owner, now: datetime | None = None) -> OwnedQuerySet[ReviewCard]:
    return (
        ReviewCard.objects.owned_by(owner.user, owner.anon_token)
        .filter(due__lte=now or timezone.now())
        .select_related("question__topic", "term")
    )
