"""Mastery and streaks, as the dashboard documents them. Pure Python: no Django.

Mastery of a topic is a recency-weighted accuracy pulled towards 50 % when there is little
evidence:

    weight = 1 for answers in the last 7 days, 0.5 for 8-30 days, 0.25 before that
    mastery = (Σ weight × score + 1) / (Σ weight + 2)

so one right answer gives 67 %, not 100 %. Confidence says how much evidence there is:
"low" under 5 answers, "medium" under 15, "high" from 15.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

RECENT_DAYS = 7
MONTH_DAYS = 30
WEIGHTS = (1.0, 0.5, 0.25)  # last week, last month, older


@dataclass(frozen=True)
class Mastery:
    value: float  # 0..1
    answers: int

    @property
    def percent(self) -> int:
        return round(100 * self.value)

    @property
    def confidence(self) -> str:
        if self.answers < 5:
            return "low"
        return "medium" if self.answers < 15 else "high"


def mastery(weighted_score: float, weight: float, answers: int) -> Mastery:
    return Mastery((weighted_score + 1) / (weight + 2), answers)


def streak(days: list[date], today: date) -> int:
    """Consecutive days with practice, ending today (or yesterday: today is not over yet)."""
    practised = set(days)
    day = today if today in practised else today - timedelta(days=1)
    count = 0
    while day in practised:
        count += 1
        day -= timedelta(days=1)
    return count
