"""How a day's session is made up, and which exercise it ends with. Pure Python: no Django.

A session of `goal` items runs, in this order: the reviews that are due (oldest first), a few
new questions from the topics where the candidate is weakest, and one live exercise. Reviews
take what they need but leave room for at least `goal // 5` new questions (one at least), so
a long backlog does not crowd out everything new; when the bank has no new question left,
more due reviews take the place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# New questions come from this many topics at a time, taken in turn, so a session mixes a
# few weak topics instead of emptying the weakest one.
TOPICS_AT_ONCE = 3
# An exercise kind checked fully right this many times is mastered: the session prefers others.
MASTERED_AFTER = 2


@dataclass(frozen=True)
class Slots:
    reviews: int
    new: int
    exercise: int


def slots(goal: int, due: int) -> Slots:
    """How many of the `goal` items are reviews, new questions and the exercise."""
    exercise = 1
    least_new = max(1, goal // 5)
    reviews = max(0, min(due, goal - exercise - least_new))
    return Slots(reviews=reviews, new=goal - exercise - reviews, exercise=exercise)


def spread(groups: Sequence[Sequence[T]], count: int, width: int = TOPICS_AT_ONCE) -> list[T]:
    """Up to `count` items taken in turn from the first `width` groups that still have some,
    in group order; when a group runs out the next one joins."""
    queues = [list(group) for group in groups if group]
    picked: list[T] = []
    while len(picked) < count and queues:
        for queue in list(queues[:width]):
            if len(picked) == count:
                break
            picked.append(queue.pop(0))
            if not queue:
                queues.remove(queue)
    return picked


@dataclass(frozen=True)
class KindRecord:
    name: str
    topic_rank: int  # where its topic stands in the weakest-first ranking
    perfect: int  # results with every field right
    tried: bool


def pick_exercise(kinds: Sequence[KindRecord]) -> KindRecord:
    """The kind to practise: one not yet mastered, from the weakest topic, never-tried ones
    first within a topic; if all are mastered, the one with the fewest perfect results."""
    unmastered = [kind for kind in kinds if kind.perfect < MASTERED_AFTER]
    if unmastered:
        return min(unmastered, key=lambda kind: (kind.topic_rank, kind.tried, kind.perfect))
    return min(kinds, key=lambda kind: (kind.perfect, kind.topic_rank))
