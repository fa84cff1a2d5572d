"""Spaced review with FSRS: wrong answers and hard terms come back when they are due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import fsrs
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ..models import GlossaryTerm, Question, ReviewCard, choice_ids
from ..models.bulk import update_rows
from ..models.owned import OwnedQuerySet
from ..owners import Owner
from .intervals import RATINGS, SCHEDULER, Outcome, interval_label, preview

__all__ = [
    "RATINGS",
    "SCHEDULER",
    "NotRevealed",
    "Outcome",
    "card_front",
    "card_reveal",
    "due_cards",
    "due_phrase",
    "outcomes",
    "review_record",
    "upcoming_cards",
]
SELF_ASSESSED = {"no": fsrs.Rating.Again, "partly": fsrs.Rating.Hard, "fully": fsrs.Rating.Good}


class NotRevealed(Exception):
    """A rating posted before the answer was shown: the rating would be a guess."""

    def __init__(self) -> None:
        super().__init__("Show the answer first, then rate how well you knew it.")


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
    require_reveal: bool = False,
    now: datetime | None = None,
) -> ReviewCard | None:
    """Schedule the item's next review. Creates the card only when `create` (a wrong answer or
    a term marked hard); a right answer to an item never missed leaves no card.

    With `require_reveal` (a self-rating in the review queue) the card must have had its
    answer shown since its last rating, checked under the row lock so that two ratings sent
    together count once; NotRevealed otherwise."""
    now = now or timezone.now()
    lookup = {"question": question} if question is not None else {"term": term}
    cards = ReviewCard.objects.owned_by(owner.user, owner.anon_token)
    with transaction.atomic():
        card = cards.select_for_update().filter(**lookup).first()
        if card is None:
            if not create:
                return None
            card = ReviewCard(**owner.fields(), **lookup, card=fsrs.Card().to_dict(), due=now)
        if require_reveal and card.revealed_at is None:
            raise NotRevealed
        _schedule(card, rating, now, first=card.pk is None)
        try:
            with transaction.atomic():
                card.save()
        except IntegrityError:  # the same card created at the same moment by another request
            return None
    return card


def _schedule(card: ReviewCard, rating: fsrs.Rating, now: datetime, *, first: bool) -> None:
    scheduled, _log = SCHEDULER.review_card(
        fsrs.Card.from_dict(card.card), rating, review_datetime=now
    )
    card.card = scheduled.to_dict()
    card.due = scheduled.due
    # The answer that created the card is not a review of it; every later rating is.
    if not first:
        card.reviews += 1
    card.revealed_at = None  # the next rating needs the answer shown again
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
        .order_by("pk")  # locked in one order (see the insert below)
    )
    cards = {(card.question_id, card.term_id): card for card in found}
    changed: dict[tuple[int | None, int | None], ReviewCard] = {}
    created: dict[tuple[int | None, int | None], ReviewCard] = {}
    scheduled: set[tuple[int | None, int | None]] = set()
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
        _schedule(card, review.rating, review.now, first=key in created and key not in scheduled)
        scheduled.add(key)
    if created:
        # In one order, not the answers': a card another request inserted first (and has not
        # committed) makes this insert wait for it, so two finishes of one owner inserting
        # the same cards in opposite orders would each wait for the other (a deadlock).
        ReviewCard.objects.bulk_create(
            [created[key] for key in sorted(created, key=_card_order)], ignore_conflicts=True
        )
    if changed:
        update_rows(
            list(changed.values()), ["card", "due", "reviews", "revealed_at", "last_rating"]
        )


def _card_order(key: tuple[int | None, int | None]) -> tuple[int, int]:
    question_id, term_id = key
    return (question_id or 0, term_id or 0)


def due_cards(owner: Owner, now: datetime | None = None) -> OwnedQuerySet[ReviewCard]:
    return (
        ReviewCard.objects.owned_by(owner.user, owner.anon_token)
        .filter(due__lte=now or timezone.now())
        .select_related("question__topic", "term")
        .order_by("due", "pk")
    )


def outcomes(card: ReviewCard, now: datetime | None = None) -> list[Outcome]:
    """What Again, Hard, Good and Easy would each schedule for the card, rated now."""
    return preview(card.card, now or timezone.now())


def upcoming_cards(owner: Owner, now: datetime | None = None) -> OwnedQuerySet[ReviewCard]:
    """The owner's cards not yet due, soonest first."""
    return (
        ReviewCard.objects.owned_by(owner.user, owner.anon_token)
        .filter(due__gt=now or timezone.now())
        .select_related("question__topic", "term")
        .order_by("due", "pk")
    )


def card_reveal(*, card: ReviewCard, now: datetime | None = None) -> ReviewCard:
    """Note that the card's answer was shown, which its next rating requires."""
    if card.revealed_at is None:
        card.revealed_at = now or timezone.now()
        ReviewCard.objects.filter(pk=card.pk, revealed_at=None).update(revealed_at=card.revealed_at)
    return card


def due_phrase(due: datetime, now: datetime | None = None) -> str:
    """When a card is due, for a sentence: "in 1 min, at 14:33 UTC", or with its date when it
    is not today ("in 2 d, on Wed 2 Dec at 14:32 UTC")."""
    now = now or timezone.now()
    local, today = timezone.localtime(due), timezone.localtime(now).date()
    zone = timezone.get_current_timezone_name()
    when = f"at {local:%H:%M} {zone}"
    if local.date() != today:
        when = f"on {local:%a} {local.day} {local:%b} {when}"
    if due <= now:
        return f"now (it was due {when})"
    return f"in {interval_label(due - now)}, {when}"


def card_front(question: Question | None, scope: str) -> list[dict[str, Any]]:
    """A question card's choices in the order this viewer sees them (`scope`), so the file's
    order, where authors often put the right choice first, says nothing. Terms have none."""
    if question is None or not question.choices:
        return []
    count = len(question.choices)
    order = choice_ids.display_order(scope, count) if question.shuffle else range(count)
    return [question.choices[index] for index in order]
