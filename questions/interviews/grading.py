"""The grading queue of a set: its finished candidates' open answers, one at a time.

Order: by question, then by candidate in the order they finished. Grading one question
across all candidates before the next keeps one rubric in mind and applies it the same way
to everyone, and nobody's earlier answers colour the next mark (no halo). Questions come in
the order they reached the queue: those of the first candidate to finish, in the order that
candidate was asked them (the set's order), then each question a later candidate was the
first to answer (a random draw), after all of those. Candidates who finish later join the
end of each question's run. Nothing that happens later can move a question's place (it is
fixed by its first answer, and answers are never taken out of the queue), so the order of
what is already queued never changes: a later candidate's answers only join it, and those
behind the grader's place are reached when the walk comes round again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from ..models import AttemptItem, InterviewSet
from ..quizzes import services as attempt_service


@dataclass(frozen=True)
class Entry:
    """One open answer of a finished candidate, as the queue orders it."""

    item_id: int
    attempt_id: UUID
    question_id: int
    position: int
    finished_at: datetime
    graded: bool


@dataclass(frozen=True)
class Queue:
    entries: list[Entry]  # in grading order, graded ones included (they keep their place)

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def graded(self) -> int:
        return sum(entry.graded for entry in self.entries)

    @property
    def left(self) -> int:
        return self.total - self.graded

    def next_after(self, item_id: int | None) -> tuple[Entry | None, bool]:
        """The next ungraded answer after `item_id` (the one just saved or skipped) in queue
        order, and whether the walk went back to the start to find it (answers skipped
        earlier come round again). From the start without `item_id`."""
        ungraded = [entry for entry in self.entries if not entry.graded]
        if not ungraded:
            return None, False
        ids = [entry.item_id for entry in self.entries]
        if item_id is None or item_id not in ids:
            return ungraded[0], False
        place = ids.index(item_id)
        later = [entry for entry in self.entries[place + 1 :] if not entry.graded]
        if later:
            return later[0], False
        return ungraded[0], True

    def place_of(self, entry: Entry) -> tuple[int, int]:
        """(n, of): the entry is the n-th answer to its question, of that many."""
        same = [e.item_id for e in self.entries if e.question_id == entry.question_id]
        return same.index(entry.item_id) + 1, len(same)


def grading_order(entries: list[Entry]) -> list[Entry]:
    """The entries in queue order. A question's place is that of its first answer to reach
    the queue (the earliest finish, then the attempt, then where that candidate was asked
    it), not the earliest position anyone was asked it: a later candidate whose random draw
    asks it first must not move its run ahead of answers already queued."""
    arrival: dict[int, tuple[datetime, str, int]] = {}
    for entry in entries:
        mark = (entry.finished_at, str(entry.attempt_id), entry.position)
        if entry.question_id not in arrival or mark < arrival[entry.question_id]:
            arrival[entry.question_id] = mark
    return sorted(
        entries,
        key=lambda e: (arrival[e.question_id], e.finished_at, str(e.attempt_id)),
    )


def set_grading_queue(interview_set: InterviewSet) -> Queue:
    """Every answered open question of the set's finished attempts, in grading order (one
    query, plus one per attempt whose time ran out unseen, which this finishes)."""
    for overdue in interview_set.attempts.overdue():
        attempt_service.attempt_refresh(overdue)
    rows = (
        AttemptItem.objects.filter(
            attempt__interview_set=interview_set,
            attempt__finished_at__isnull=False,
            question__type="open",
            answer__isnull=False,  # a blank open answer scored 0 at the finish
        )
        .values_list(
            "pk", "attempt_id", "question_id", "position", "attempt__finished_at", "graded_at"
        )
        .order_by()
    )
    entries = []
    for pk, attempt_id, question_id, position, finished_at, graded_at in rows:
        assert finished_at is not None and question_id is not None  # filtered above
        entries.append(
            Entry(pk, attempt_id, question_id, position, finished_at, graded_at is not None)
        )
    return Queue(grading_order(entries))


def queue_item(interview_set: InterviewSet, item_id: int) -> AttemptItem | None:
    """An open answer of the set with what the grading page shows beside it; the same
    answers the queue holds (a blank one scored 0 at the finish and is not graded)."""
    return (
        AttemptItem.objects.select_related("attempt__user", "question__topic")
        .filter(
            pk=item_id,
            attempt__interview_set=interview_set,
            attempt__finished_at__isnull=False,
            question__type="open",
            answer__isnull=False,
        )
        .first()
    )
