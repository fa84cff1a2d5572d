"""What an interviewer reads about their set: candidates, scores by topic, per-question
difficulty across candidates, and the grading of open answers against the rubric."""

from __future__ import annotations

import csv
import io
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from ..models import Attempt, AttemptItem, InterviewSet
from ..models.attempts import AttemptQuerySet
from ..quizzes import services as attempt_service
from ..quizzes.item_stats import MIN_ATTEMPTS, ItemStats, item_statistics
from ..quizzes.review import Standing, standing
from ..spreadsheets import safe_row

RUBRIC_MARKS = (0.0, 0.5, 1.0)


@dataclass
class Column:
    """One question (or exercise) as it was put to several candidates."""

    key: tuple
    title: str
    topic: str
    asked: int = 0  # marked answers: finished attempts, open answers once graded
    marks: float = 0.0  # their scores summed: partial marks count as the share they are

    @property
    def share_right(self) -> int | None:
        """The mean mark as a percentage (4.5 of 5 rubric points counts 90 %, not 0)."""
        return round(100 * self.marks / self.asked) if self.asked else None


@dataclass
class CandidateRow:
    attempt: Attempt
    topics: dict[str, int] = field(default_factory=dict)  # topic -> percent
    cells: dict[tuple, AttemptItem] = field(default_factory=dict)
    to_grade: int = 0
    standing: Standing | None = None  # the score, provisional while answers await grading
    # Aligned with Results.columns and Results.topics, for templates.
    line: list[AttemptItem | None] = field(default_factory=list)
    topic_line: list[int | None] = field(default_factory=list)


@dataclass
class Results:
    rows: list[CandidateRow]
    columns: list[Column]
    topics: list[str]
    # Item analysis (questions/quizzes/item_stats.py), once MIN_CANDIDATES have finished.
    analysis: list[tuple[int, Column, ItemStats]] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return sum(1 for row in self.rows if row.attempt.is_finished)

    @property
    def candidates_needed(self) -> int:
        """How many more finished candidates before the item analysis is shown."""
        return max(0, MIN_CANDIDATES - self.finished)

    @property
    def to_grade(self) -> int:
        """Open answers of finished candidates that wait for the interviewer's grade."""
        return sum(row.to_grade for row in self.rows)


# Below this, a correlation across candidates says more about chance than about the question.
MIN_CANDIDATES = MIN_ATTEMPTS


def column_key(item: AttemptItem) -> tuple:
    if item.question_id:
        return ("question", item.question_id)
    # An exercise's data differs per candidate; its place in the set is what they share (two
    # exercises of one kind and level are two columns).
    return ("exercise", item.exercise_kind, item.exercise_level, item.position)


def result_attempts(interview_set: InterviewSet) -> AttemptQuerySet:
    return interview_set.attempts.select_related("user", "invite").prefetch_related(
        Prefetch("items", AttemptItem.objects.select_related("question__topic"))
    )


def set_results(interview_set: InterviewSet) -> Results:
    for overdue in interview_set.attempts.overdue():
        attempt_service.attempt_refresh(overdue)
    columns: OrderedDict[tuple, Column] = OrderedDict()
    topics: OrderedDict[str, None] = OrderedDict()
    rows = []
    for attempt in result_attempts(interview_set).order_by("started_at"):
        row = CandidateRow(attempt)
        by_topic: dict[str, list[float]] = {}
        for item in attempt.items.all():
            key = column_key(item)
            column = columns.setdefault(key, Column(key, item.title, item.topic_title))
            row.cells[key] = item
            topics.setdefault(item.topic_title)
            if not attempt.is_finished:
                continue
            if item.type == "open" and item.answer is not None and item.graded_at is None:
                row.to_grade += 1
                continue
            column.asked += 1
            column.marks += item.score or 0
            by_topic.setdefault(item.topic_title, []).append(item.score or 0)
        row.topics = {t: round(100 * sum(s) / len(s)) for t, s in by_topic.items()}
        if attempt.is_finished:
            row.standing = standing(attempt, list(attempt.items.all()))
        rows.append(row)
    for row in rows:
        row.line = [row.cells.get(key) for key in columns]
        row.topic_line = [row.topics.get(topic) for topic in topics]
    results = Results(rows, list(columns.values()), list(topics))
    if not results.candidates_needed:
        results.analysis = item_analysis(results)
    return results


def item_analysis(results: Results) -> list[tuple[int, Column, ItemStats]]:
    """(question number, column, statistics) per question marked for some finished candidate,
    in the set's order. Over the finished attempts that drew the question (random entries
    differ between candidates); an open answer still to grade is left out, not counted 0."""
    stats = item_statistics(
        {key: item.score for key, item in row.cells.items() if item.score is not None}
        for row in results.rows
        if row.attempt.is_finished
    )
    return [
        (number, column, stats[column.key])
        for number, column in enumerate(results.columns, start=1)
        if column.key in stats
    ]


def results_csv(interview_set: InterviewSet, results: Results) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    # Every cell through safe_row: names, invite labels and titles are typed by people.
    writer.writerow(
        safe_row(
            [
                "candidate",
                "account",
                "invite",
                "started",
                "finished",
                "ended_by",
                "seconds_taken",
                "score",
                "max_score",
                "percent",
                "score_status",
                "graded_max_score",
                "open_answers_to_grade",
                *(f"topic: {topic} (%)" for topic in results.topics),
                *(f"Q{n}: {column.title}" for n, column in enumerate(results.columns, start=1)),
            ]
        )
    )
    for row in results.rows:
        attempt = row.attempt
        writer.writerow(
            safe_row(
                [
                    attempt.candidate_name,
                    attempt.user.get_username() if attempt.user else "",
                    str(attempt.invite) if attempt.invite else "",
                    attempt.started_at.isoformat(),
                    attempt.finished_at.isoformat() if attempt.finished_at else "",
                    attempt.ended_by,
                    attempt.time_taken_seconds if attempt.is_finished else "",
                    attempt.score if attempt.is_finished else "",
                    attempt.max_score,
                    # Over the graded items while open answers wait (see the next columns).
                    row.standing.percent if row.standing else "",
                    _status(row.standing),
                    f"{row.standing.graded_max:g}" if row.standing else "",
                    row.to_grade,
                    *(row.topics.get(topic, "") for topic in results.topics),
                    *(_cell(row.cells.get(column.key)) for column in results.columns),
                ]
            )
        )
    return out.getvalue()


def _status(standing: Standing | None) -> str:
    """ "provisional" while open answers wait (score and percent are over the graded items),
    "final" once none does, "" while the candidate is still answering."""
    if standing is None:
        return ""
    return "provisional" if standing.provisional else "final"


def _cell(item: AttemptItem | None) -> str:
    if item is None or item.score is None:
        return ""
    return f"{item.score:g}"


class GradeConflict(attempt_service.QuizError):
    """The answer's grade changed after the grading page was drawn (another tab, another
    panel member): the marks sent were not saved. The item carries the grade that stands."""

    def __init__(self, message: str, item: AttemptItem) -> None:
        super().__init__(message)
        self.item = item


def grade_version(item: AttemptItem) -> str:
    """What a grading form remembers of the grade it was drawn over: "" if ungraded."""
    return item.graded_at.isoformat() if item.graded_at else ""


def attempt_grade_open(
    *,
    attempt: Attempt,
    position: int,
    marks: list[float],
    comment: str = "",
    expect_version: str | None = None,
) -> AttemptItem:
    """Score an open answer from the interviewer's mark per rubric point (0, ½ or 1).

    With `expect_version` (the form's `grade_version` of the item) a grade that changed in
    the meantime is not overwritten: GradeConflict, unless the marks and comment sent are
    the ones saved (the same form sent twice), which changes nothing.
    """
    comment = comment.strip()[:2000]
    with transaction.atomic():
        # lock_open_item takes the attempt row first, then reads the item: the lock order
        # of every attempt write (quizzes.services).
        locked, item = attempt_service.lock_open_item(
            attempt,
            position,
            unfinished="The candidate is still answering: grade once they finish.",
        )
        assert item.question is not None  # an open item is a bank question
        points = len(item.question.rubric) or 1
        if len(marks) != points or any(mark not in RUBRIC_MARKS for mark in marks):
            raise attempt_service.QuizError(
                f"Give each of the {points} rubric point{'s' if points != 1 else ''} a mark "
                "of 0, ½ or 1."
            )
        if expect_version is not None and grade_version(item) != expect_version:
            if item.rubric_marks == list(marks) and item.grader_comment == comment:
                return item
            raise GradeConflict(
                "This answer was graded meanwhile (in another tab or by someone else): your "
                "marks were not saved.",
                item,
            )
        item.rubric_marks = list(marks)
        item.score = round(sum(marks) / points, 4)
        item.correct = item.score == 1
        item.self_assessed = False
        item.grader_comment = comment
        item.graded_at = timezone.now()
        item.save(
            update_fields=[
                "rubric_marks",
                "score",
                "correct",
                "self_assessed",
                "grader_comment",
                "graded_at",
            ]
        )
        attempt_service.rescore(locked)
    return item
