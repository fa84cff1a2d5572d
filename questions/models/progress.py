"""What a candidate has practised (events) and what they should review (FSRS cards)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .content import GlossaryTerm, Question, Topic
from .owned import OwnedQuerySet


class Owned(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    anon_token = models.CharField(max_length=64, blank=True, db_index=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True


class ProgressEvent(Owned):
    """One answered question, checked exercise or review, as the dashboard counts it."""

    class Source(models.TextChoices):
        PRACTICE = "practice", "Practice"
        QUIZ = "quiz", "Quiz"
        EXERCISE = "exercise", "Exercise"
        REVIEW = "review", "Review"

    source = models.CharField(max_length=10, choices=Source.choices)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL)
    term = models.ForeignKey(GlossaryTerm, null=True, blank=True, on_delete=models.SET_NULL)
    exercise_kind = models.CharField(max_length=40, blank=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL)
    correct = models.BooleanField()
    score = models.FloatField()  # 0..1
    time_spent_seconds = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "created_at"]),
            # A question list's standing per visitor (catalog.practice.with_standing) asks,
            # for each question, the visitor's latest event on it: these answer that from
            # the index alone, not by reading the visitor's whole history per question.
            models.Index(
                fields=["user", "question", "created_at"], name="progress_user_question_at"
            ),
            models.Index(
                fields=["anon_token", "question", "created_at"], name="progress_anon_question_at"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(anon_token=""), name="progress_event_has_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.created_at:%Y-%m-%d} {self.score:.2f}"

    @property
    def label(self) -> str:
        if self.question is not None:
            return self.question.title
        if self.term is not None:
            return self.term.term
        return f"Exercise: {self.exercise_kind}"


class ReviewCard(Owned):
    """A question answered wrong, or a term marked hard, scheduled with FSRS."""

    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE)
    term = models.ForeignKey(GlossaryTerm, null=True, blank=True, on_delete=models.CASCADE)
    card = models.JSONField()  # fsrs.Card.to_dict()
    due = models.DateTimeField(db_index=True)
    reviews = models.PositiveIntegerField(default=0)
    last_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the answer was shown for the coming rating; a rating needs it, and clears it.
    revealed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False) | Q(term__isnull=False),
                name="review_card_has_item",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(anon_token=""), name="review_card_has_owner"
            ),
            # One card per item and owner: a second wrong answer reschedules, never duplicates.
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(user__isnull=False, question__isnull=False),
                name="review_card_user_question",
            ),
            models.UniqueConstraint(
                fields=["user", "term"],
                condition=Q(user__isnull=False, term__isnull=False),
                name="review_card_user_term",
            ),
            models.UniqueConstraint(
                fields=["anon_token", "question"],
                condition=Q(user__isnull=True, question__isnull=False),
                name="review_card_anon_question",
            ),
            models.UniqueConstraint(
                fields=["anon_token", "term"],
                condition=Q(user__isnull=True, term__isnull=False),
                name="review_card_anon_term",
            ),
        ]

    def __str__(self) -> str:
        return f"review {self.question_id or self.term_id} due {self.due:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        if self.question is not None:
            return self.question.title
        assert self.term is not None  # review_card_has_item: a question or a term
        return self.term.term
