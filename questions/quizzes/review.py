"""What the review page of a finished attempt shows: per item and per topic."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from django.urls import reverse

from ..exercises import check
from ..exercises.lookup import solution_html
from ..live_exercises.services import figure_for
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
        if item.type == "open" and self.graded_by_interviewer:
            return "graded" if item.graded_at else "awaiting"
        if item.type == "open":
            return "rated" if item.self_assessed else "to-rate"
        if item.answer is None:
            return "unanswered"
        if item.correct:
            return "right"
        return "partial" if item.score else "wrong"


@dataclass
class TopicScore:
    title: str
    score: float = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.total) if self.total else 0


def build_review(attempt: Attempt, items: list[AttemptItem]) -> dict:
    rows = []
    topics: OrderedDict[str, TopicScore] = OrderedDict()
    for item in items:
        row = ReviewRow(item, item.saved_choices, graded_by_interviewer=attempt.is_interview)
        if item.is_exercise:
            _add_exercise(row)
        rows.append(row)
        topic = topics.setdefault(item.topic_title, TopicScore(item.topic_title))
        topic.score += item.score or 0
        topic.total += 1
    return {
        "rows": rows,
        "topics": list(topics.values()),
        "to_rate": sum(1 for row in rows if row.status == "to-rate"),
        "ratings": SELF_ASSESSMENT_LABELS,
    }


def _add_exercise(row: ReviewRow) -> None:
    item = row.item
    exercise = item.exercise
    results = check(exercise, item.answer or {})
    row.marks = [(f, results[f.name], (item.answer or {}).get(f.name)) for f in exercise.fields]
    row.solution = solution_html(item.exercise_kind, item.exercise_seed, item.exercise_level)
    row.figure_alt = figure_for(exercise)[2]
    row.figure_url = (
        reverse("questions:exercise_figure", args=[item.exercise_kind, item.exercise_seed])
        + f"?level={item.exercise_level}"
    )
