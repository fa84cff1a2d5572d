"""What the review page of a finished attempt shows: per item and per topic."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..exercises import check
from ..exercises.lookup import solution_html
from ..live_exercises.services import RenderRefused, figure_for
from ..models import Attempt, AttemptItem
from .grading import SELF_ASSESSMENT_LABELS


@dataclass
class ReviewRow:
    item: AttemptItem
    picked: set[int] = field(default_factory=set)
    # Exercises: (field, FieldResult) pairs, the worked solution and the figure's URL.
    marks: list = field(default_factory=list)
    solution: tuple[str, ...] = ()
    figure_url: str = ""
    figure_alt: str = ""
    graded_by_interviewer: bool = False  # an interview: open answers are not self-rated

    @property
    def status(self) -> str:
        item = self.item
        if item.answer is None:
            return "unanswered"
        if item.type == "open" and self.graded_by_interviewer:
            return "graded" if item.graded_at else "awaiting"
        if item.type == "open":
            return "rated" if item.self_assessed else "to-rate"
        if item.correct:
            return "right"
        return "partial" if item.score else "wrong"


@dataclass
class TopicScore:
    title: str
    score: float = 0
    total: int = 0  # marked items
    awaiting: int = 0  # open answers the interviewer has not graded yet

    @property
    def percent(self) -> int | None:
        return round(100 * self.score / self.total) if self.total else None


@dataclass(frozen=True)
class Standing:
    """An attempt's score while an interviewer has open answers left to grade.

    Ungraded answers are neither right nor wrong yet: the provisional score is over the graded
    items only, and says how many wait. Once nothing waits it is the final score."""

    score: float
    max_score: float
    awaiting: int

    @property
    def graded_max(self) -> float:
        return self.max_score - self.awaiting

    @property
    def percent(self) -> int | None:
        return round(100 * self.score / self.graded_max) if self.graded_max else None

    @property
    def provisional(self) -> bool:
        return self.awaiting > 0


def is_awaiting(attempt: Attempt, item: AttemptItem) -> bool:
    """An interview's open answer that the interviewer has not graded yet (a blank one has
    nothing to grade: it scored 0 at the finish)."""
    return (
        attempt.is_interview
        and item.type == "open"
        and item.answer is not None
        and item.graded_at is None
    )


def standing(attempt: Attempt, items: list[AttemptItem]) -> Standing:
    awaiting = sum(is_awaiting(attempt, item) for item in items)
    return Standing(attempt.score or 0, attempt.max_score, awaiting)


def build_review(
    attempt: Attempt,
    items: list[AttemptItem],
    *,
    figure_url: Callable[[AttemptItem], str] | None = None,
    client: str | None = None,
) -> dict:
    """The review of a finished attempt. `figure_url` names where an exercise's figure is
    served for this reader (the attempt's own URL: never the seed's public page); `client`
    is the reader's address, which a figure rendered for the review counts against."""
    rows = []
    topics: OrderedDict[str, TopicScore] = OrderedDict()
    for item in items:
        row = ReviewRow(item, item.saved_choices, graded_by_interviewer=attempt.is_interview)
        if item.is_exercise:
            _add_exercise(row, figure_url, client)
        rows.append(row)
        topic = topics.setdefault(item.topic_title, TopicScore(item.topic_title))
        if is_awaiting(attempt, item):
            topic.awaiting += 1
            continue  # not a zero: it has no mark yet
        topic.score += item.score or 0
        topic.total += 1
    return {
        "rows": rows,
        "topics": list(topics.values()),
        "standing": standing(attempt, items),
        "to_rate": sum(1 for row in rows if row.status == "to-rate"),
        "ratings": SELF_ASSESSMENT_LABELS,
    }


def _add_exercise(
    row: ReviewRow, figure_url: Callable[[AttemptItem], str] | None, client: str | None
) -> None:
    item = row.item
    exercise = item.exercise
    results = check(exercise, item.answer or {})
    row.marks = [(f, results[f.name], (item.answer or {}).get(f.name)) for f in exercise.fields]
    row.solution = solution_html(item.exercise_kind, item.exercise_seed, item.exercise_level)
    if figure_url is None:
        return
    try:
        row.figure_alt = figure_for(exercise, client=client)[2]
    except RenderRefused:
        row.figure_alt = "The figure of this exercise (drawn on request)."
    row.figure_url = figure_url(item)
