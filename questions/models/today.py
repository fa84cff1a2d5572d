"""Today: one short practice session a day (due reviews, new questions, one exercise), and the
daily goal that sizes it. Owned like everything else: a user, or an anonymous session."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac

from ..exercises import KINDS, Exercise
from ..exercises.lookup import exercise_for
from .content import GlossaryTerm, Question, Topic
from .progress import Owned

DEFAULT_GOAL = 10
MIN_GOAL = 3
MAX_GOAL = 50


def _owner_constraints(prefix: str, fields: list[str]) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(user__isnull=False) | ~Q(anon_token=""), name=f"{prefix}_has_owner"
        ),
        models.UniqueConstraint(
            fields=["user", *fields], condition=Q(user__isnull=False), name=f"{prefix}_user"
        ),
        models.UniqueConstraint(
            fields=["anon_token", *fields],
            condition=Q(user__isnull=True),
            name=f"{prefix}_anon",
        ),
    ]


class DailyGoal(Owned):
    """How many items the visitor wants in a day's session."""

    items = models.PositiveSmallIntegerField(default=DEFAULT_GOAL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = _owner_constraints("daily_goal", [])

    def __str__(self) -> str:
        return f"goal {self.items}"


class TodaySession(Owned):
    """One day's session. Its items are drawn once, when it starts, and stored: a reload, another
    tab or another day's visit finds the same queue at the same place."""

    day = models.DateField()
    goal = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day"]
        constraints = _owner_constraints("today_session", ["day"])

    def __str__(self) -> str:
        return f"today {self.day}"


class TodayItem(models.Model):
    class Source(models.TextChoices):
        REVIEW = "review", "Review"
        NEW = "new", "New question"
        EXERCISE = "exercise", "Exercise"

    session = models.ForeignKey(TodaySession, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE)
    term = models.ForeignKey(GlossaryTerm, null=True, blank=True, on_delete=models.CASCADE)
    exercise_kind = models.CharField(max_length=40, blank=True)
    exercise_seed = models.BigIntegerField(null=True, blank=True)
    exercise_level = models.CharField(max_length=10, blank=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL)
    # What was given: choice positions, a number or text, an exercise's fields, or a rating.
    answer = models.JSONField(null=True, blank=True)
    correct = models.BooleanField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    rating = models.CharField(max_length=5, blank=True)  # reviews: again/hard/good/easy
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="today_item_position"),
            models.CheckConstraint(
                condition=Q(question__isnull=False) | Q(term__isnull=False) | ~Q(exercise_kind=""),
                name="today_item_has_content",
            ),
        ]

    def __str__(self) -> str:
        return f"today item {self.position}"

    @property
    def label(self) -> str:
        if self.question is not None:
            return self.question.title
        if self.term is not None:
            return self.term.term
        kind = KINDS.get(self.exercise_kind)
        return f"Exercise: {kind.title}" if kind else ""

    @cached_property
    def exercise(self) -> Exercise:
        assert self.exercise_seed is not None
        return exercise_for(self.exercise_kind, self.exercise_seed, self.exercise_level)

    @property
    def choice_scope(self) -> str:
        """Whose choice ids and order these are: this item of this session only."""
        return f"today:{self.session_id}:{self.position}"

    @property
    def file_identity(self) -> str:
        """A secret naming this item's copy of an exercise file (see AttemptItem's)."""
        return salted_hmac("questions.today-file", f"{self.session_id}:{self.position}").hexdigest()

    def exercise_answers(self) -> dict[str, Any]:
        return self.answer if isinstance(self.answer, dict) else {}
