"""Item analysis, as Moodle's quiz statistics report does it: per question, how easy it was
(facility), how spread its marks were (standard deviation) and whether the candidates who did
well on it also did well on the rest of the test (discrimination).

Pure: it reads attempts as mappings {item key: score share 0..1} and knows nothing of Django.

Definitions (each over the attempts that contain the item and have marked it):

- facility index: the mean score share, shown as a percentage;
- standard deviation: of the item's score share, the sample one (divisor n - 1), as Moodle;
- discrimination index: Pearson's correlation between the item's score share and the score
  share of the rest of the test, i.e. the mean score of the attempt's *other* marked items.

Why the rest as a mean, not a sum: attempts that draw questions at random (a topic quiz, a
set's random entries) hold different numbers of items, so a summed rest would correlate with
the test's length rather than with the candidate's skill. The mean of the other items is on
the same 0..1 scale whatever the draw. An attempt with no other marked item has no rest: it
counts towards the facility but not towards the discrimination.

Moments are accumulated one attempt at a time (Welford's update), so a caller can stream
rows from the database without holding them, and a variance that is zero in exact arithmetic
is not turned into a tiny positive number by cancellation.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

# Below this many attempts a question's numbers are shown but neither judged nor correlated:
# a correlation over two or three candidates is +1 or -1 by chance.
MIN_ATTEMPTS = 5
# Facility below 10 % or above 90 % leaves too little spread to tell candidates apart.
FACILITY_LOW = 0.10
FACILITY_HIGH = 0.90
# Candidates who did better on the rest of the test did worse on this item: often a wrong key.
DISCRIMINATION_LOW = 0.0
# Variances below this are zero: scores are shares with at most four decimals.
_ZERO = 1e-12


@dataclass
class _Moments:
    """Running means and (co-)moments of pairs (x, y), Welford-style."""

    n: int = 0
    mean_x: float = 0.0
    mean_y: float = 0.0
    m2_x: float = 0.0
    m2_y: float = 0.0
    c_xy: float = 0.0

    def add(self, x: float, y: float = 0.0) -> None:
        self.n += 1
        dx = x - self.mean_x
        self.mean_x += dx / self.n
        dy = y - self.mean_y
        self.mean_y += dy / self.n
        self.m2_x += dx * (x - self.mean_x)
        self.m2_y += dy * (y - self.mean_y)
        self.c_xy += dx * (y - self.mean_y)


@dataclass(frozen=True)
class ItemStats:
    attempts: int  # attempts that marked the item
    facility: float  # mean score share, 0..1
    sd: float | None  # None below two attempts
    discrimination: float | None
    # Why the discrimination is missing ("" when it is there), in words for the page.
    discrimination_note: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def facility_percent(self) -> float:
        return 100 * self.facility

    @property
    def sd_percent(self) -> float | None:
        return None if self.sd is None else 100 * self.sd

    def badness(self) -> tuple[int, float, float]:
        """A sort key, worst first: most warnings, then lowest discrimination, then the
        facility furthest from the middle."""
        discrimination = 2.0 if self.discrimination is None else self.discrimination
        return (-len(self.warnings), discrimination, -abs(self.facility - 0.5))


@dataclass
class _Item:
    alone: _Moments = field(default_factory=_Moments)  # every marked attempt: x only
    paired: _Moments = field(default_factory=_Moments)  # attempts with a rest: (x, rest)


class ItemAnalysis(Generic[K]):
    """Add attempts one at a time; read the statistics of every item seen."""

    def __init__(self, *, min_attempts: int = MIN_ATTEMPTS) -> None:
        if min_attempts < 2:
            raise ValueError("min_attempts must be at least 2: a correlation needs two points")
        self.min_attempts = min_attempts
        self._items: dict[K, _Item] = {}

    def add(self, scores: Mapping[K, float], *, counted: Collection[K] | None = None) -> None:
        """One attempt: each marked item's score share (0..1). Unmarked items are left out.

        With `counted`, only those items gain an observation; the others still make up the
        rest of the test (an owner's later attempt at a question they have seen before)."""
        count = len(scores)
        total = math.fsum(scores.values())
        for key, score in scores.items():
            if not 0.0 <= score <= 1.0 or math.isnan(score):
                raise ValueError(f"score share of {key!r} must be within 0..1, got {score!r}")
            if counted is not None and key not in counted:
                continue
            item = self._items.setdefault(key, _Item())
            item.alone.add(score)
            if count > 1:
                item.paired.add(score, (total - score) / (count - 1))

    def result(self) -> dict[K, ItemStats]:
        return {key: self._stats(item) for key, item in self._items.items()}

    def _stats(self, item: _Item) -> ItemStats:
        alone, paired = item.alone, item.paired
        sd = math.sqrt(max(alone.m2_x, 0.0) / (alone.n - 1)) if alone.n > 1 else None
        discrimination, note = self._correlation(paired)
        warnings: list[str] = []
        if alone.n >= self.min_attempts:
            if alone.mean_x < FACILITY_LOW:
                warnings.append(f"Very hard: facility below {FACILITY_LOW:.0%}")
            elif alone.mean_x > FACILITY_HIGH:
                warnings.append(f"Very easy: facility above {FACILITY_HIGH:.0%}")
            if discrimination is not None and discrimination < DISCRIMINATION_LOW:
                warnings.append("Negative discrimination: stronger candidates scored lower")
        return ItemStats(alone.n, alone.mean_x, sd, discrimination, note, tuple(warnings))

    def _correlation(self, paired: _Moments) -> tuple[float | None, str]:
        if paired.n < self.min_attempts:
            others = "attempt" if paired.n == 1 else "attempts"
            return None, (
                f"needs {self.min_attempts} attempts with other marked questions "
                f"(has {paired.n} {others})"
            )
        if paired.m2_x <= _ZERO * paired.n:
            return None, "everyone scored the same on this question"
        if paired.m2_y <= _ZERO * paired.n:
            return None, "everyone scored the same on the rest of the test"
        r = paired.c_xy / math.sqrt(paired.m2_x * paired.m2_y)
        return max(-1.0, min(1.0, r)), ""


def item_statistics(
    attempts: Iterable[Mapping[K, float]], *, min_attempts: int = MIN_ATTEMPTS
) -> dict[K, ItemStats]:
    """The statistics of every item over `attempts` (each {item: score share})."""
    analysis: ItemAnalysis[K] = ItemAnalysis(min_attempts=min_attempts)
    for scores in attempts:
        analysis.add(scores)
    return analysis.result()
