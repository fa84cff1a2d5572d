"""Today: start a day's session, answer, reveal and rate its items, set the daily goal.

The queue is drawn once, when the session starts, and stored item by item: the current item
is the first one not yet answered, so a reload, another tab or a later visit the same day
shows the same one. Answers are checked here, on the server, against keys the page never held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ..catalog import practice
from ..exercises import KINDS, FieldResult, check
from ..live_exercises.services import AnswerRefused, exercise_check
from ..models import (
    DailyGoal,
    ExerciseResult,
    ProgressEvent,
    Question,
    ReviewCard,
    TodayItem,
    TodaySession,
)
from ..models.today import DEFAULT_GOAL, MAX_GOAL, MIN_GOAL
from ..owners import Owner
from ..progress import services as progress
from ..progress import stats as progress_stats
from ..progress.mastery import streak
from ..progress.review_queue import card_reveal, due_cards
from ..quizzes.grading import grade
from . import plan

# Exercise seeds of a session come from beyond the public pages' 2^31, so the public checker
# (which shows the worked solution) cannot be used to answer them; as quizzes do.
PRIVATE_SEEDS = 2**52
STREAK_LOOKBACK_DAYS = 400


class TodayError(Exception):
    """Something the visitor asked that cannot be done now; the message says what to do."""


def _sessions(owner: Owner) -> QuerySet[TodaySession]:
    return TodaySession.objects.owned_by(owner.user, owner.anon_token)


def goal_of(owner: Owner) -> int:
    goal = DailyGoal.objects.owned_by(owner.user, owner.anon_token).first()
    return goal.items if goal is not None else DEFAULT_GOAL


def goal_set(*, owner: Owner, items: int) -> DailyGoal:
    """Store the owner's daily goal (MIN_GOAL to MAX_GOAL items) for the sessions to come."""
    if not MIN_GOAL <= items <= MAX_GOAL:
        raise TodayError(f"Choose a daily goal from {MIN_GOAL} to {MAX_GOAL} items.")
    with transaction.atomic():
        goal = DailyGoal.objects.owned_by(owner.user, owner.anon_token).first()
        if goal is None:
            goal = DailyGoal(**owner.fields())
        goal.items = items
        goal.save()
    return goal


def session_of_day(owner: Owner, day: date | None = None) -> TodaySession | None:
    return _sessions(owner).filter(day=day or timezone.localdate()).first()


def session_start(*, owner: Owner, now: datetime | None = None) -> TodaySession:
    """Today's session, drawn now if it does not exist yet (a second start returns it)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    existing = session_of_day(owner, day)
    if existing is not None:
        return existing
    goal = goal_of(owner)
    try:
        with transaction.atomic():
            session = TodaySession.objects.create(
                **owner.fields(), day=day, goal=goal, started_at=now
            )
            TodayItem.objects.bulk_create(_draw(owner, session, now))
    except IntegrityError:  # started at the same moment in another tab: that one stands
        found = session_of_day(owner, day)
        assert found is not None
        return found
    return session


def _draw(owner: Owner, session: TodaySession, now: datetime) -> list[TodayItem]:
    due = list(due_cards(owner, now)[: session.goal])
    slots = plan.slots(session.goal, len(due))
    ranking = topic_ranking(owner, now)
    new = new_questions(owner, ranking, slots.new)
    # A bank with too few new questions left gives the room back to due reviews.
    reviews = due[: slots.reviews + (slots.new - len(new))]
    items: list[TodayItem] = []
    for card in reviews:
        items.append(
            TodayItem(
                source=TodayItem.Source.REVIEW,
                question=card.question,
                term=card.term,
                topic_id=card.question.topic_id if card.question else card.term.topic_id,  # type: ignore[union-attr]
            )
        )
    for question in new:
        items.append(
            TodayItem(source=TodayItem.Source.NEW, question=question, topic_id=question.topic_id)
        )
    kind, level, topic_id = exercise_choice(owner, ranking)
    seed = salted_hmac("questions.today-seed", f"{session.pk}:{kind}").digest()
    items.append(
        TodayItem(
            source=TodayItem.Source.EXERCISE,
            exercise_kind=kind,
            exercise_seed=int.from_bytes(seed[:8], "big") % PRIVATE_SEEDS,
            exercise_level=level,
            topic_id=topic_id,
        )
    )
    for position, item in enumerate(items, start=1):
        item.session = session
        item.position = position
    return items


@dataclass(frozen=True)
class RankedTopic:
    pk: int
    slug: str
    title: str


def topic_ranking(owner: Owner, now: datetime | None = None) -> list[RankedTopic]:
    """Topics weakest first: the dashboard's "practise next" ranking (low end of the mastery
    estimate), then topics never practised in the site's order (a new visitor's starter
    topics), then the remaining practised ones from the least to the best known."""
    topics = progress_stats.topic_progress(owner, now)
    weak = [s.topic for s in progress_stats.practise_next(topics, count=len(topics))]
    fresh = [t for t in topics if t.mastery is None]
    known = sorted(
        (t for t in topics if t.mastery is not None and t not in weak),
        key=lambda t: t.mastery.lower if t.mastery else 0.0,
    )
    return [RankedTopic(t.pk, t.slug, t.title) for t in [*weak, *fresh, *known]]


def new_questions(owner: Owner, ranking: list[RankedTopic], count: int) -> list[Question]:
    """Questions the owner has never answered nor has under review, easiest first within a
    topic, taken in turn from the weakest topics."""
    if count <= 0:
        return []
    answered = ProgressEvent.objects.owned_by(owner.user, owner.anon_token).exclude(question=None)
    reviewed = ReviewCard.objects.owned_by(owner.user, owner.anon_token).exclude(question=None)
    fresh = (
        Question.objects.active()
        .exclude(pk__in=answered.values("question"))
        .exclude(pk__in=reviewed.values("question"))
        .order_by("difficulty_rank", "ext_id")
        .only("pk", "topic_id", "title")
    )
    by_topic: dict[int, list[Question]] = {}
    for question in fresh:
        by_topic.setdefault(question.topic_id, []).append(question)
    return plan.spread([by_topic.get(topic.pk, []) for topic in ranking], count)


def exercise_choice(owner: Owner, ranking: list[RankedTopic]) -> tuple[str, str, int | None]:
    """(kind, level, topic id) of the session's exercise: a kind not yet mastered, from the
    weakest topic; easy the first time, medium after."""
    results = {
        row["kind"]: row
        for row in ExerciseResult.objects.owned_by(owner.user, owner.anon_token)
        .values("kind")
        .annotate(perfect=Count("id", filter=Q(score=1)), last=Max("created_at"))
    }
    rank = {topic.slug: n for n, topic in enumerate(ranking)}
    topic_pk = {topic.slug: topic.pk for topic in ranking}
    records = [
        plan.KindRecord(
            name=name,
            topic_rank=rank.get(progress.EXERCISE_TOPICS.get(name, ""), len(rank)),
            perfect=results[name]["perfect"] if name in results else 0,
            tried=name in results,
        )
        for name in KINDS
    ]
    chosen = plan.pick_exercise(records)
    topic_slug = progress.EXERCISE_TOPICS.get(chosen.name, "")
    return chosen.name, "medium" if chosen.tried else "easy", topic_pk.get(topic_slug)


def items_of(session: TodaySession) -> list[TodayItem]:
    return list(session.items.select_related("question__topic", "term__topic", "topic"))


def current_item(items: list[TodayItem]) -> TodayItem | None:
    return next((item for item in items if item.answered_at is None), None)


def _locked_item(session: TodaySession, position: int) -> TodayItem:
    """The item at `position`, locked, if it is the one to answer now; TodayError if not."""
    # Only the item row is locked: question and term are nullable, so select_related joins
    # them with LEFT OUTER JOIN, and PostgreSQL refuses FOR UPDATE on an outer join's
    # nullable side.
    item = (
        TodayItem.objects.select_for_update(of=("self",))
        .select_related("question", "term")
        .filter(session=session, position=position)
        .first()
    )
    if item is None:
        raise TodayError("Today's session has no item at that place.")
    if item.answered_at is not None:
        raise TodayError("You have answered this item already; here is the next one.")
    earlier = session.items.filter(position__lt=position, answered_at=None).exists()
    if earlier:
        raise TodayError("Answer the items in order: this is the one to answer now.")
    return item


def _done(item: TodayItem, *, answer: Any, correct: bool, score: float, now: datetime) -> None:
    item.answer, item.correct, item.score, item.answered_at = answer, correct, score, now
    item.save(update_fields=["answer", "correct", "score", "rating", "answered_at"])
    session = item.session
    if not session.items.filter(answered_at=None).exists():
        session.finished_at = now
        session.save(update_fields=["finished_at"])


@dataclass
class Answered:
    """What checking one answer gave: a practice result, or an exercise's marks."""

    practice: practice.PracticeResult | None = None
    fields: dict[str, FieldResult] = field(default_factory=dict)

    @property
    def error(self) -> str:
        return self.practice.error if self.practice else ""


def item_answer(
    *,
    owner: Owner,
    session: TodaySession,
    position: int,
    form: QueryDict,
    seconds: int | None = None,
) -> Answered:
    """Check the posted answer to the new question or exercise at `position`. An open
    question's first post only shows the model answer (the self-rating is its answer)."""
    now = timezone.now()
    with transaction.atomic():
        item = _locked_item(session, position)
        item.session = session
        if item.source == TodayItem.Source.EXERCISE:
            answers = {f.name: form.get(f.name, "")[:100] for f in item.exercise.fields}
            try:
                results, record = exercise_check(
                    owner=owner, exercise=item.exercise, answers=answers, seconds=seconds
                )
            except AnswerRefused as refused:
                raise TodayError(str(refused)) from None
            _done(item, answer=answers, correct=record.score == 1, score=record.score, now=now)
            return Answered(fields=results)
        if item.source != TodayItem.Source.NEW or item.question is None:
            raise TodayError("Show the answer of a review item, then rate it.")
        question = item.question
        result = practice.check_answer(question, form, item.choice_scope)
        if result.grade is None:
            return Answered(practice=result)
        progress.question_answered(
            owner=owner,
            question=question,
            source=ProgressEvent.Source.PRACTICE,
            correct=result.grade.correct,
            score=result.grade.score,
            self_assessment=result.given if result.grade.self_assessed else "",
            seconds=seconds,
            now=now,
        )
        _done(
            item,
            answer=result.given,
            correct=result.grade.correct,
            score=result.grade.score,
            now=now,
        )
    return Answered(practice=result)


def _card(owner: Owner, item: TodayItem) -> ReviewCard:
    lookup = {"question": item.question} if item.question is not None else {"term": item.term}
    card = ReviewCard.objects.owned_by(owner.user, owner.anon_token).filter(**lookup).first()
    if card is None:
        raise TodayError("This item is no longer in your review queue.")
    return card


def review_card_of(owner: Owner, item: TodayItem) -> ReviewCard | None:
    try:
        return _card(owner, item)
    except TodayError:
        return None


def item_reveal(*, owner: Owner, session: TodaySession, position: int) -> None:
    with transaction.atomic():
        item = _locked_item(session, position)
        if item.source != TodayItem.Source.REVIEW:
            raise TodayError("Only review items have an answer to show; answer this one.")
        card_reveal(card=_card(owner, item))


def item_rate(
    *, owner: Owner, session: TodaySession, position: int, rating: str
) -> ReviewCard | None:
    """Rate the review item at `position` (again/hard/good/easy) after its answer was shown;
    NotRevealed (from the review queue) if it was not."""
    if rating not in progress.REVIEW_SCORES:
        raise TodayError("Choose again, hard, good or easy.")
    now = timezone.now()
    with transaction.atomic():
        item = _locked_item(session, position)
        item.session = session
        if item.source != TodayItem.Source.REVIEW:
            raise TodayError("Only review items are rated; answer this one.")
        card = progress.card_reviewed(
            owner=owner, question=item.question, term=item.term, rating_name=rating
        )
        item.rating = rating
        _done(
            item,
            answer=rating,
            correct=rating in ("good", "easy"),
            score=progress.REVIEW_SCORES[rating],
            now=now,
        )
    return card


def regraded(item: TodayItem) -> Answered:
    """An answered item's result again, from what was stored (grading is deterministic)."""
    if item.source == TodayItem.Source.EXERCISE:
        return Answered(fields=check(item.exercise, item.exercise_answers()))
    question = item.question
    if item.source != TodayItem.Source.NEW or question is None:
        return Answered()
    result = grade(question.type, question.answer, question.choices, item.answer)
    picked: set[int] = set()
    if question.type in practice.CHOICE_TYPES:
        given: Any = item.answer  # choice positions: one, or a list for select-all
        picked = set(given) if isinstance(given, list) else {int(given)}
    return Answered(
        practice=practice.PracticeResult(
            grade=result,
            given=item.answer,
            picked=picked,
            revealed=question.type == Question.Type.OPEN,
        )
    )


def goal_streak(owner: Owner, today: date | None = None) -> int:
    """Consecutive days on which the daily session was finished (every item done), ending
    today, or yesterday while today's is not finished yet."""
    today = today or timezone.localdate()
    days = (
        _sessions(owner)
        .filter(finished_at__isnull=False, day__gte=today - timedelta(days=STREAK_LOOKBACK_DAYS))
        .values_list("day", flat=True)
    )
    return streak(list(days), today)


@dataclass(frozen=True)
class NextReviews:
    first: ReviewCard | None
    within_day: int
    within_week: int


def next_reviews(owner: Owner, now: datetime | None = None) -> NextReviews:
    now = now or timezone.now()
    cards = ReviewCard.objects.owned_by(owner.user, owner.anon_token).filter(due__gt=now)
    counts = cards.aggregate(
        day=Count("id", filter=Q(due__lte=now + timedelta(days=1))),
        week=Count("id", filter=Q(due__lte=now + timedelta(days=7))),
    )
    first = cards.select_related("question", "term").order_by("due", "pk").first()
    return NextReviews(first, counts["day"], counts["week"])
