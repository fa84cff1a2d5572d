"""Interviewers' own question sets, the invites that share them, and nothing else: the
candidates' attempts are ordinary quiz attempts that point back here."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .content import EntryFields, Question, QuestionSet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

INTERVIEWER_GROUP = "interviewer"


# Set on a user loaded by questions.accounts.backends.RoleBackend (each request's user): the
# role, read in the user's own query.
ROLE_ATTRIBUTE = "loaded_interviewer_role"


def is_interviewer(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    loaded: bool | None = getattr(user, ROLE_ATTRIBUTE, None)
    if loaded is not None:
        return loaded
    return user.groups.filter(name=INTERVIEWER_GROUP).exists()


class InterviewSetQuerySet(models.QuerySet["InterviewSet"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """The owner's sets; staff see everyone's. Anyone else gets none (so 404)."""
        if not user.is_authenticated:
            return self.none()
        return self if user.is_staff else self.filter(owner=user)


class InterviewSet(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interview_sets"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()  # Markdown, shown to candidates before they start
    description_html = models.TextField()
    time_limit_minutes = models.PositiveIntegerField()
    show_answers = models.BooleanField(
        default=False, help_text="Show candidates the keys and explanations once they finish."
    )
    based_on = models.ForeignKey(
        QuestionSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterviewSetQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("interviews:set", args=[self.pk])


class InterviewEntry(EntryFields):
    interview_set = models.ForeignKey(
        InterviewSet, on_delete=models.CASCADE, related_name="entries"
    )
    # PROTECT: the bank never deletes a question, it retires it; the set keeps it, marked.
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.PROTECT, related_name="interview_entries"
    )

    class Meta(EntryFields.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["interview_set", "position"], name="interview_entry_position"
            ),
            models.CheckConstraint(condition=EntryFields.CONTENT, name="interview_entry_content"),
        ]

    def __str__(self) -> str:
        return f"{self.interview_set_id}#{self.position}"


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits


class Invite(models.Model):
    interview_set = models.ForeignKey(
        InterviewSet, on_delete=models.CASCADE, related_name="invites"
    )
    token = models.CharField(max_length=64, unique=True, default=new_invite_token, editable=False)
    label = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    max_attempts = models.PositiveIntegerField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Not auto_now_add: the invites of one batch (one pasted list) share one moment, so the
    # list can show the newest batch first and each batch in its pasted order (by pk).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The create form's one-time key, shared by the invites made together: a replayed POST
    # (a double click, a resent form) finds them instead of making a second batch.
    batch = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["interview_set", "batch"], name="invite_batch")]

    def __str__(self) -> str:
        return self.label or f"Invite {self.token[:6]}…"

    def get_absolute_url(self) -> str:
        return reverse("invites:open", args=[self.token])

    def state(self, attempts_used: int, now: datetime | None = None) -> str:
        """The invite's state in words, for the interviewer's list."""
        now = now or timezone.now()
        used = (
            f"used {attempts_used} of {self.max_attempts}"
            if self.max_attempts is not None
            else f"used {attempts_used} time{'s' if attempts_used != 1 else ''}"
        )
        if self.revoked_at:
            return f"withdrawn on {timezone.localtime(self.revoked_at):%d %b %Y}"
        if self.expires_at and now >= self.expires_at:
            return f"expired on {timezone.localtime(self.expires_at):%d %b %Y, %H:%M}"
        if self.max_attempts is not None and attempts_used >= self.max_attempts:
            return used
        return f"active, {used}" if attempts_used else "active, not opened yet"

    def refusal(self, attempts_used: int, now: datetime | None = None) -> str:
        """Why this invite cannot start a new attempt now, or "" if it can."""
        now = now or timezone.now()
        if self.revoked_at:
            return "This invite has been withdrawn by the interviewer."
        if self.expires_at and now >= self.expires_at:
            local = timezone.localtime(self.expires_at)
            return f"This invite expired on {local:%d %B %Y at %H:%M} {local.tzname()}."
        if self.max_attempts is not None and attempts_used >= self.max_attempts:
            plural = "s" if self.max_attempts != 1 else ""
            return f"This invite has been used for all of its {self.max_attempts} attempt{plural}."
        return ""
