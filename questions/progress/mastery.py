"""Mastery and streaks, as the dashboard documents them. Pure Python: no Django.

Mastery of a topic is a recency-weighted accuracy pulled towards 50 % when there is little
evidence:

    weight = 1 for answers in the last 7 days, 0.5 for 8-30 days, 0.25 before that
    mastery = (Σ weight × score + 1) / (Σ weight + 2)

so one right answer gives 67 %, not 100 %. Confidence says how much evidence there is:
"low" under 5 answers, "medium" under 15, "high" from 15.

What to practise next is ranked by `lower`, the low end of the estimate: mastery less 1.645
standard deviations of the Beta(Σ w·score + 1, Σ w·(1 − score) + 1) belief behind it (about
its 5th percentile). Thin evidence widens the belief and lowers that end, so a topic answered
twice ranks as uncertain, neither hidden nor called strong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

RECENT_DAYS = 7
MONTH_DAYS = 30
WEIGHTS = (1.0, 0.5, 0.25)  # last week, last month, older


@dataclass(frozen=True)
class Mastery:
    value: float  # 0..1
    answers: int
    weight: float = 0.0  # Σ weights of the answers behind the value

    @property
    def lower(self) -> float:
        """The low end of the estimate (about its 5th percentile), for ranking."""
        a = self.value * (self.weight + 2)  # the Beta belief: a = Σ w·score + 1
        b = self.weight + 2 - a
        spread = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        return max(0.0, self.value - 1.645 * spread)

    @property
    def percent(self) -> int:
        return round(100 * self.value)

    @property
    def confidence(self) -> str:
        if self.answers < 5:
            return "low"
        return "medium" if self.answers < 15 else "high"


def mastery(weighted_score: float, weight: float, answers: int) -> Mastery:
    return Mastery((weighted_score + 1) / (weight + 2), answers, weight)


def streak(days: list[date], today: date) -> int:
    """Consecutive days with practice, ending today (or yesterday: today is not over yet)."""
    practised = set(days)
    day = today if today in practised else today - timedelta(days=1)
    count = 0
    while day in practised:
        count += 1
        day -= timedelta(days=1)
    return count
