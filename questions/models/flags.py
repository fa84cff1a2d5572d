"""Candidates' flags on bank questions: "the key looks wrong", "unclear", a typo. Staff triage
them in the admin; a contributor fixes the Markdown file by pull request (CONTRIBUTING.md)."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from .content import Question
from .owned import OwnedQuerySet

COMMENT_MAX_LENGTH = 1000
STAFF_NOTE_MAX_LENGTH = 2000


class QuestionFlagQuerySet(OwnedQuerySet["QuestionFlag"]):
    def open(self) -> Self:
        return self.filter(status=QuestionFlag.Status.OPEN)


class QuestionFlag(models.Model):
    class Reason(models.TextChoices):
        WRONG_KEY = "wrong_key", "The key looks wrong"
        UNCLEAR = "unclear", "Unclear"
        TYPO = "typo", "Typo"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    # PROTECT: the bank retires questions rather than deleting them, and a flag is evidence.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="flags")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    comment = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)
    # Who flagged it: an account, or an anonymous session's token (questions/owners.py).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="question_flags",
    )
    anon_token = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    staff_note = models.TextField(max_length=STAFF_NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(anon_token=""), name="question_flag_has_owner"
            ),
            # One open flag per owner per question: flagging again updates it.
            models.UniqueConstraint(
                fields=["question", "user"],
                condition=Q(status="open", user__isnull=False),
                name="question_flag_open_per_user",
            ),
            models.UniqueConstraint(
                fields=["question", "anon_token"],
                condition=Q(status="open", user__isnull=True),
                name="question_flag_open_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.question_id}"
