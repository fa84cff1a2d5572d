"""Timed quiz attempts. The server's clock is the only clock: see questions/quizzes/services.py."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import choice_ids
from .content import GlossaryTerm, Question, QuestionSet, Topic
from .interviews import InterviewSet, Invite
from .owned import OwnedQuerySet

if TYPE_CHECKING:
    from ..exercises import Exercise


class AttemptQuerySet(OwnedQuerySet["Attempt"]):
    def overdue(self, now: datetime | None = None) -> Self:
        grace = timedelta(seconds=settings.QUIZ_GRACE_SECONDS)
        return self.filter(finished_at__isnull=True, deadline__lt=(now or timezone.now()) - grace)


class Attempt(models.Model):
    class Kind(models.TextChoices):
        SET = "set", "Question set"
        TOPIC = "topic", "Topic quiz"
        GLOSSARY = "glossary", "Glossary quiz"
        QUICK = "quick", "Quick mixed quiz"
        INTERVIEW = "interview", "Interview set"
        # The question list's filter (topic, type, difficulty, tag, text) taken as a quiz.
        FILTERED = "filtered", "Filtered questions"
        RETRY = "retry", "Retry of missed questions"

    class End(models.TextChoices):
        SUBMITTED = "submitted", "Finished by the candidate"
        EXPIRED = "expired", "Time ran out"

    # The public id: unguessable, so a URL alone reveals nothing about other attempts.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    # Anonymous owners: a random token kept in the session (which survives log-in, so the
    # attempts can be handed to the account then).
    anon_token = models.CharField(max_length=64, blank=True, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=300)
    question_set = models.ForeignKey(QuestionSet, null=True, blank=True, on_delete=models.SET_NULL)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL)
    difficulty = models.CharField(max_length=10, blank=True)
    # An interviewer's set taken through an invite: results belong to the set's owner too.
    interview_set = models.ForeignKey(
        InterviewSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    invite = models.ForeignKey(
        Invite, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    candidate_name = models.CharField(max_length=100, blank=True)
    # A retry's source: pressing Retry again while that retry is open returns it.
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    # Whether the review shows keys and explanations (an interviewer may keep them back).
    reveal_answers = models.BooleanField(default=True)
    # Until the candidate presses Start on the start page the attempt is drawn but "ready":
    # `started_at` is when it was drawn, `deadline` is empty and `limit_seconds` holds the
    # time it will get. Start sets both from the server's clock (services.attempt_begin).
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    limit_seconds = models.PositiveIntegerField(null=True, blank=True)
    # The candidate's choice of layout: every question on one page, or one at a time.
    one_at_a_time = models.BooleanField(default=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=10, choices=End.choices, blank=True)
    score = models.FloatField(default=0)
    max_score = models.FloatField(default=0)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(anon_token=""), name="attempt_has_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("questions:attempt", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def is_started(self) -> bool:
        """Whether the clock runs (or ran): false while the attempt waits at its start page."""
        return self.deadline is not None

    def remaining_seconds(self, now: datetime | None = None) -> int:
        if self.is_finished:
            return 0
        if self.deadline is None:
            return self.time_limit_seconds
        left = (self.deadline - (now or timezone.now())).total_seconds()
        return max(0, int(left))

    @property
    def time_limit_seconds(self) -> int:
        if self.deadline is None or self.limit_seconds is not None:
            return self.limit_seconds or 0
        # Attempts started before the limit was stored.
        return int((self.deadline - self.started_at).total_seconds())

    @property
    def time_taken_seconds(self) -> int | None:
        if not self.finished_at or self.deadline is None:
            return None
        return int((min(self.finished_at, self.deadline) - self.started_at).total_seconds())

    @property
    def time_taken_display(self) -> str:
        return _clock(self.time_taken_seconds or 0)

    @property
    def time_limit_display(self) -> str:
        return _clock(self.time_limit_seconds)

    @property
    def is_interview(self) -> bool:
        return self.kind == self.Kind.INTERVIEW

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score) if self.max_score else 0


def _clock(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


# What a visitor may start directly; an interview starts only through its invite, a retry
# only from the review of a finished attempt, and a filtered quiz from the question list,
# which carries the filter (catalog views).
SELF_STARTED = [
    (k.value, k.label)
    for k in Attempt.Kind
    if k not in (Attempt.Kind.INTERVIEW, Attempt.Kind.RETRY, Attempt.Kind.FILTERED)
]


class AttemptItem(models.Model):
    """One question of an attempt, in its drawn position, with the candidate's answer.

    A bank question is referenced; a generated glossary item carries its own content in
    `generated`. `choice_order` is the drawn order of choices (indexes into the original).
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT)
    term = models.ForeignKey(GlossaryTerm, null=True, blank=True, on_delete=models.PROTECT)
    generated = models.JSONField(null=True, blank=True)
    # A live exercise: (kind, seed, level) regenerates its data.
    exercise_kind = models.CharField(max_length=40, blank=True)
    exercise_seed = models.BigIntegerField(null=True, blank=True)
    exercise_level = models.CharField(max_length=10, blank=True)
    choice_order = models.JSONField(default=list, blank=True)
    answer = models.JSONField(null=True, blank=True)  # choices as original indexes
    # A numeric answer as typed ("76", "0,727"), shown back instead of the parsed float.
    answer_text = models.CharField(max_length=100, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    correct = models.BooleanField(null=True)
    self_assessed = models.BooleanField(default=False)
    # An interviewer's grading of an open answer: a mark per rubric point (0, 0.5 or 1).
    rubric_marks = models.JSONField(null=True, blank=True)
    grader_comment = models.TextField(blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_position"),
            models.CheckConstraint(
                condition=Q(question__isnull=False)
                | Q(generated__isnull=False)
                | ~Q(exercise_kind=""),
                name="attempt_item_has_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"

    # The item as a question, whichever its source: templates and serializers read these.
    @property
    def is_exercise(self) -> bool:
        return bool(self.exercise_kind)

    @property
    def _generated_data(self) -> dict[str, Any]:
        """`generated`, for an item that is neither a bank question nor an exercise."""
        assert self.generated is not None  # attempt_item_has_content
        return self.generated

    @property
    def exercise(self) -> Exercise:
        """The generated exercise (pure data; regenerated from kind, seed and level)."""
        from ..exercises.lookup import exercise_for

        return exercise_for(self.exercise_kind, self.exercise_seed, self.exercise_level)

    @property
    def type(self) -> str:
        if self.is_exercise:
            return "exercise"
        return self.question.type if self.question is not None else self._generated_data["type"]

    @property
    def prompt_html(self) -> str:
        if self.is_exercise:
            from ..exercises.lookup import prompt_html

            return prompt_html(self.exercise_kind, self.exercise_seed, self.exercise_level)
        if self.question is not None:
            return self.question.prompt_html
        return self._generated_data["prompt_html"]

    @property
    def title(self) -> str:
        if self.is_exercise:
            from ..exercises import KINDS

            return f"Exercise: {KINDS[self.exercise_kind].title} ({self.exercise_level})"
        return self.question.title if self.question is not None else self._generated_data["title"]

    @property
    def choices(self) -> list[dict]:
        if self.is_exercise:
            return []
        return (
            self.question.choices if self.question is not None else self._generated_data["choices"]
        )

    @property
    def key(self) -> dict:
        return self.question.answer if self.question is not None else {}

    @property
    def explanation_html(self) -> str:
        if self.is_exercise:
            return ""  # the worked solution is shown instead
        if self.question is not None:
            return self.question.explanation_html
        return self._generated_data.get("explanation_html", "")

    @property
    def topic_title(self) -> str:
        if self.is_exercise:
            return "Live exercises"
        if self.question is not None:
            return self.question.topic.title
        return self._generated_data.get("topic_title", "Glossary")

    @property
    def ordered_choices(self) -> list[tuple[int, dict]]:
        """(original index, choice) in the order this attempt shows them."""
        choices = self.choices
        # The bank may have changed since the draw: a removed choice drops out, an added one
        # goes last, and the page keeps working.
        order = [index for index in self.choice_order or [] if 0 <= index < len(choices)]
        order += [index for index in range(len(choices)) if index not in order]
        return [(index, choices[index]) for index in order]

    @property
    def is_answered(self) -> bool:
        return self.answer is not None

    @property
    def is_missed(self) -> bool:
        """A finished item that did not earn full marks: wrong, partly right or not answered.
        An open answer nobody has rated or graded yet has no mark, so it is not (yet) missed."""
        return self.score is not None and self.score < 1

    @property
    def saved_choices(self) -> set[int]:
        if self.answer is None or self.type not in ("single", "multiple"):
            return set()
        return set(self.answer) if isinstance(self.answer, list) else {self.answer}

    @property
    def file_identity(self) -> str:
        """A secret naming this item's copy of an exercise file, so the file's UIDs and patient
        ID say nothing about the seed (see exercises.dicom_file.build_dicom)."""
        return salted_hmac("questions.item-file", f"{self.attempt_id}:{self.position}").hexdigest()

    # What the candidate's browser sees of choices: opaque ids, never file positions (see
    # choice_ids). Stored answers stay file positions, mapped at this boundary.
    @property
    def choice_scope(self) -> str:
        return f"attempt:{self.attempt_id}:{self.position}"

    def choice_id(self, index: int) -> str:
        return choice_ids.choice_id(self.choice_scope, index)

    def choice_index(self, given: object) -> int | None:
        """The file position of the choice with id `given`; None for anything else."""
        return choice_ids.index_of(self.choice_scope, len(self.choices), given)

    @property
    def choice_inputs(self) -> list[tuple[str, dict[str, Any], bool]]:
        """(id, choice, saved) per choice, in the order this attempt shows them."""
        saved = self.saved_choices
        return [
            (self.choice_id(index), choice, index in saved)
            for index, choice in self.ordered_choices
        ]

    @property
    def answer_shown(self) -> Any:
        """The answer as the candidate wrote it, for pages: a numeric answer as typed ("76",
        not 76.0); other types as stored."""
        if self.type == "numeric" and self.answer is not None:
            if self.answer_text:
                return self.answer_text
            if isinstance(self.answer, float) and self.answer.is_integer():
                return str(int(self.answer))  # answers saved before the typed text was kept
        return self.answer

    @property
    def answer_for_client(self) -> Any:
        """The saved answer as the candidate gave it: choice ids, or the text they typed."""
        if self.answer is None:
            return None
        if self.type in ("single", "multiple"):
            # In the order shown: sorting by file position would leak that order.
            saved = self.saved_choices
            ids = [self.choice_id(index) for index, _ in self.ordered_choices if index in saved]
            return ids if self.type == "multiple" else (ids[0] if ids else None)
        return self.answer_shown
