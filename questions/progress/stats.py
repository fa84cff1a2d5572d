"""The dashboard's figures, aggregated in the database: the query count does not depend on
how much history there is."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Case, Count, F, FloatField, Max, Min, Q, Sum, Value, When
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from ..models import Attempt, ProgressEvent, ReviewCard, TodaySession, Topic
from ..models.attempts import AttemptQuerySet
from ..models.owned import OwnedQuerySet
from ..owners import Owner
from ..spreadsheets import safe_row
from ..web.page_cache import content_memo
from .mastery import MONTH_DAYS, RECENT_DAYS, WEIGHTS, Mastery, mastery, streak

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

STREAK_LOOKBACK_DAYS = 400
HISTORY_WEEKS = 12


@dataclass
class TopicProgress:
    slug: str
    title: str
    total: int
    seen: int  # distinct bank questions answered at least once
    answers: int  # every answer behind the mastery: questions, exercises, reviews
    mastery: Mastery | None
    last_practised: datetime | None
    exercises: int = 0  # of the answers, live exercises
    pk: int = 0  # the topic's
    # When the mastery's weights next change by themselves (an answer turns RECENT_DAYS or
    # MONTH_DAYS old): the dashboard's cached copy is not shown past it.
    reweighs_at: datetime | None = None


def _events(owner: Owner) -> OwnedQuerySet[ProgressEvent]:
    return ProgressEvent.objects.owned_by(owner.user, owner.anon_token)


def topic_progress(owner: Owner, now: datetime | None = None) -> list[TopicProgress]:
    now = now or timezone.now()
    week, month = now - timedelta(days=RECENT_DAYS), now - timedelta(days=MONTH_DAYS)
    weight = Case(
        When(created_at__gte=week, then=Value(WEIGHTS[0])),
        When(created_at__gte=month, then=Value(WEIGHTS[1])),
        default=Value(WEIGHTS[2]),
        output_field=FloatField(),
    )
    rows = {
        row["topic"]: row
        for row in _events(owner)
        .exclude(topic=None)
        .values("topic")
        .annotate(
            answers=Count("id"),
            weight=Sum(weight),
            weighted=Sum(weight * F("score"), output_field=FloatField()),
            # The bank's questions only: an interviewer's imported ones are not in the total.
            seen=Count("question", distinct=True, filter=Q(question__private=False)),
            exercises=Count("id", filter=~Q(exercise_kind="")),
            last=Max("created_at"),
            # The oldest answers still weighted 1 and ½: the first to lose weight.
            first_in_week=Min("created_at", filter=Q(created_at__gte=week)),
            first_in_month=Min("created_at", filter=Q(created_at__gte=month)),
        )
    }
    result = []
    for topic in content_memo("topic-totals", _topic_totals):
        row = rows.get(topic.pk)
        result.append(
            TopicProgress(
                slug=topic.slug,
                title=topic.title,
                total=topic.total,
                seen=row["seen"] if row else 0,
                answers=row["answers"] if row else 0,
                exercises=row["exercises"] if row else 0,
                mastery=mastery(row["weighted"], row["weight"], row["answers"]) if row else None,
                last_practised=row["last"] if row else None,
                pk=topic.pk,
                reweighs_at=_reweighs_at(row) if row else None,
            )
        )
    return result


def _reweighs_at(row: dict[str, Any]) -> datetime | None:
    moments = []
    if row["first_in_week"] is not None:
        moments.append(row["first_in_week"] + timedelta(days=RECENT_DAYS))
    if row["first_in_month"] is not None:
        moments.append(row["first_in_month"] + timedelta(days=MONTH_DAYS))
    return min(moments, default=None)


@dataclass(frozen=True)
class _TopicTotal:
    pk: int
    slug: str
    title: str
    total: int  # active questions


def _topic_totals() -> list[_TopicTotal]:
    """Every topic with its number of active questions: the same for everyone until the
    content changes, so the dashboard takes it from the content memo."""
    topics = Topic.objects.annotate(
        total=Count(
            "questions", filter=Q(questions__retired_at__isnull=True, questions__private=False)
        )
    ).order_by("order", "slug")
    return [_TopicTotal(t.pk, t.slug, t.title, t.total) for t in topics]


# A topic whose estimate is surely above this (its low end is) is known: not suggested.
MASTERED = 0.7


@dataclass(frozen=True)
class Suggestion:
    topic: TopicProgress
    reason: str  # why it is listed, in a sentence


def practise_next(topics: list[TopicProgress], count: int = 3) -> list[Suggestion]:
    """The practised topics to work on next, lowest estimate first (see mastery.py): weak
    ones, and ones with too little evidence to tell, each with the reason it is listed."""
    practised = [t for t in topics if t.mastery is not None]
    ranked = sorted(
        (t for t in practised if t.mastery and t.mastery.lower < MASTERED),
        key=lambda t: (t.mastery.lower, t.mastery.value) if t.mastery else (0.0, 0.0),
    )
    chosen = ranked[:count]
    suggestions = []
    for topic in chosen:
        known = topic.mastery
        assert known is not None
        others = [t.mastery.value for t in practised if t is not topic and t.mastery]
        if known.confidence == "low":
            answers = f"{known.answers} answer{'s' if known.answers != 1 else ''}"
            reason = f"Only {answers} so far: too few to tell how well you know it."
        elif others and all(known.value <= other for other in others):
            reason = f"Mastery {known.percent}%: below your other topics."
        else:
            reason = f"Mastery {known.percent}% from {known.answers} answers: still uncertain."
        suggestions.append(Suggestion(topic, reason))
    return suggestions


def practice_streak(owner: Owner, today: date | None = None) -> int:
    today = today or timezone.localdate()
    days = (
        _events(owner)
        .filter(created_at__date__gte=today - timedelta(days=STREAK_LOOKBACK_DAYS))
        .annotate(day=TruncDate("created_at"))
        .values_list("day", flat=True)
        .distinct()
    )
    return streak(list(days), today)


def streak_and_history(
    owner: Owner, now: datetime | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """`practice_streak` and `weekly_history` from one query: per day practised in the
    streak's look-back, the day's answers and score within the history's window."""
    days, history, _leaves_at = _streak_and_history(owner, now or timezone.now())
    return days, history


def _streak_and_history(
    owner: Owner, now: datetime
) -> tuple[int, list[dict[str, Any]], datetime | None]:
    """`streak_and_history`, and when its oldest answer leaves the history's window."""
    today = timezone.localdate(now)
    recent = Q(created_at__gte=now - timedelta(weeks=HISTORY_WEEKS))
    days = (
        _events(owner)
        .filter(created_at__date__gte=today - timedelta(days=STREAK_LOOKBACK_DAYS))
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            answers=Count("id", filter=recent),
            score=Sum("score", filter=recent),
            first=Min("created_at", filter=recent),
        )
        .order_by("day")
    )
    weeks: dict[date, list[float]] = {}
    practised = []
    first: datetime | None = None
    for row in days:
        practised.append(row["day"])
        if row["first"] is not None and (first is None or row["first"] < first):
            first = row["first"]
        if row["answers"]:
            week = weeks.setdefault(row["day"] - timedelta(days=row["day"].weekday()), [0, 0.0])
            week[0] += row["answers"]
            week[1] += row["score"]
    history = [
        {"week": week, "answers": int(n), "accuracy": total / n}
        for week, (n, total) in sorted(weeks.items())
    ]
    leaves_at = first + timedelta(weeks=HISTORY_WEEKS) if first is not None else None
    return streak(practised, today), history, leaves_at


def due_count(owner: Owner, now: datetime | None = None) -> int:
    return (
        ReviewCard.objects.owned_by(owner.user, owner.anon_token)
        .filter(due__lte=now or timezone.now())
        .count()
    )


def due_and_next(owner: Owner, now: datetime) -> tuple[int, datetime | None]:
    """The number of review cards due now, and when the next one falls due, in one query."""
    found = (
        ReviewCard.objects.owned_by(owner.user, owner.anon_token)
        .order_by()
        .aggregate(
            # Not named "due": a later filter on the field would read the count.
            due_now=Count("id", filter=Q(due__lte=now)),
            next_due=Min("due", filter=Q(due__gt=now)),
        )
    )
    return found["due_now"], found["next_due"]


def next_midnight(now: datetime) -> datetime:
    """The start of tomorrow in the site's time zone, when "today" (a streak's) changes."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


def dashboard(owner: Owner, now: datetime | None = None) -> tuple[dict[str, Any], datetime]:
    """The dashboard's figures, and the moment they go stale by themselves even if the
    owner does nothing: the next midnight (the streak), the next review card falling due,
    the next answer to lose weight in a topic's mastery or to leave the history's window."""
    now = now or timezone.now()
    topics = topic_progress(owner, now)
    days, weeks, leaves_at = _streak_and_history(owner, now)
    due, next_due = due_and_next(owner, now)
    stale_at = min(
        m
        for m in [next_midnight(now), next_due, leaves_at, *(t.reweighs_at for t in topics)]
        if m is not None
    )
    context = {
        "topics": topics,
        "practise_next": practise_next(topics),
        "streak": days,
        "due": due,
        "weeks": weeks,
        "recent": recent_attempts(owner),
        "answers": sum(t.answers for t in topics),
    }
    return context, stale_at


@dataclass(frozen=True)
class TodayCall:
    """What the home page's first button says to a returning visitor."""

    due: int  # review cards due now
    done: int  # items answered in today's session
    total: int  # items in today's session; 0 before it starts


def today_call(owner: Owner, now: datetime | None = None) -> TodayCall | None:
    """None for a visitor with nothing practised yet (or no session at all: no query)."""
    if owner.user is None and not owner.anon_token:
        return None
    now = now or timezone.now()
    cards = ReviewCard.objects.owned_by(owner.user, owner.anon_token).aggregate(
        every=Count("id"), due=Count("id", filter=Q(due__lte=now))
    )
    session = (
        TodaySession.objects.owned_by(owner.user, owner.anon_token)
        .filter(day=timezone.localdate(now))
        .annotate(
            total=Count("items"), done=Count("items", filter=Q(items__answered_at__isnull=False))
        )
        .values("total", "done")
        .first()
    )
    if not cards["every"] and session is None and not _events(owner).exists():
        return None
    if session is None:
        return TodayCall(due=cards["due"], done=0, total=0)
    return TodayCall(due=cards["due"], done=session["done"], total=session["total"])


def weekly_history(owner: Owner, now: datetime | None = None) -> list[dict]:
    """Per week (Monday): answers and mean score, for the last HISTORY_WEEKS weeks."""
    now = now or timezone.now()
    start = now - timedelta(weeks=HISTORY_WEEKS)
    rows = (
        _events(owner)
        .filter(created_at__gte=start)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(answers=Count("id"), accuracy=Avg("score"))
        .order_by("week")
    )
    return [
        {
            "week": row["week"].date() if hasattr(row["week"], "date") else row["week"],
            "answers": row["answers"],
            "accuracy": row["accuracy"],
        }
        for row in rows
    ]


def recent_attempts(owner: Owner, count: int = 5) -> AttemptQuerySet:
    return Attempt.objects.owned_by(owner.user, owner.anon_token).filter(finished_at__isnull=False)[
        :count
    ]


CSV_HEADER = ["time", "source", "topic", "item", "item_id", "correct", "score", "seconds"]


def history_csv(owner: Owner, out: SupportsWrite[str]) -> None:
    """Every progress event of the owner, oldest first, as CSV written to `out`."""
    events = (
        ProgressEvent.objects.owned_by(owner.user, owner.anon_token)
        .select_related("question", "term", "topic")
        .order_by("created_at")
    )
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    # Labels are content titles, which contributors write: no cell may run as a formula.
    for event in events.iterator(chunk_size=1000):
        if event.question is not None:
            item_id = event.question.ext_id
        elif event.term is not None:
            item_id = event.term.ext_id
        else:
            item_id = event.exercise_kind
        writer.writerow(
            safe_row(
                [
                    event.created_at.isoformat(),
                    event.source,
                    event.topic.slug if event.topic else "",
                    event.label,
                    item_id,
                    int(event.correct),
                    f"{event.score:.3f}",
                    "" if event.time_spent_seconds is None else event.time_spent_seconds,
                ]
            )
        )
