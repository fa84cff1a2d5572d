"""What each rating of a review card would do, as Anki shows it above its buttons ("10 min",
"2 d"). Pure Python with the fsrs package: no Django."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import fsrs

# Fuzz off: the same history gives the same schedule, which tests and candidates can follow.
SCHEDULER = fsrs.Scheduler(enable_fuzzing=False)
RATINGS = {
    "again": fsrs.Rating.Again,
    "hard": fsrs.Rating.Hard,
    "good": fsrs.Rating.Good,
    "easy": fsrs.Rating.Easy,
}


@dataclass(frozen=True)
class Outcome:
    rating: str  # again, hard, good or easy
    due: datetime
    label: str  # the wait until then, "10 min", "2 d"


def interval_label(wait: timedelta) -> str:
    """A wait as a card's button shows it: minutes, hours, days, months or years, rounded."""
    seconds = max(0.0, wait.total_seconds())
    minutes = seconds / 60
    if minutes < 59.5:
        return f"{max(1, round(minutes))} min"
    hours = minutes / 60
    if hours < 23.5:
        return f"{round(hours)} h"
    days = hours / 24
    if days < 30.5:
        return f"{round(days)} d"
    if days < 365:
        return f"{_one_decimal(days / 30)} mo"
    return f"{_one_decimal(days / 365)} y"


def _one_decimal(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def preview(card: Any, now: datetime) -> list[Outcome]:
    """The four outcomes of rating `card` (fsrs.Card.to_dict()) at `now`, Again first."""
    current = fsrs.Card.from_dict(card)
    outcomes = []
    for name, rating in RATINGS.items():
        scheduled, _log = SCHEDULER.review_card(current, rating, review_datetime=now)
        outcomes.append(Outcome(name, scheduled.due, interval_label(scheduled.due - now)))
    return outcomes
