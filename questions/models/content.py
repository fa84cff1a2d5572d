"""Content items as the site stores them. The files under content/ own them: see loading.py.

Markdown is rendered once, when content is loaded, and kept as HTML; requests never parse it.
Items deleted from the files are retired (retired_at set), not deleted, because attempts and
progress refer to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self, TypeVar

from django.conf import settings
from django.db import models
from django.urls import reverse

_M = TypeVar("_M", bound=models.Model)


class ContentQuerySet(models.QuerySet[_M]):
    def active(self) -> Self:
        return self.filter(retired_at__isnull=True)


class Topic(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("questions:question_list") + f"?topic={self.slug}"


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContentItem(models.Model):
    """Fields every file-backed item shares."""

    ext_id = models.CharField("id", max_length=200, unique=True)
    source_path = models.CharField(max_length=500)
    content_hash = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class GlossaryTerm(ContentItem):
    term = models.CharField(max_length=200)
    aliases = models.JSONField(default=list, blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="terms")
    definition = models.TextField()
    body_html = models.TextField()
    sources_html = models.JSONField(default=list, blank=True)
    see_also = models.ManyToManyField("self", symmetrical=False, blank=True)
    # Live exercise kinds that drill the term (content's `exercises:` field).
    exercises = models.JSONField(default=list, blank=True)
    # Lower-cased term and aliases, so search is one indexed-free LIKE on one column.
    search_text = models.TextField(blank=True)
    sort_key = models.CharField(max_length=200, db_index=True)

    class Meta:
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        return reverse("questions:glossary_term", args=[self.ext_id])

    @property
    def other_aliases(self) -> list[str]:
        """The aliases the term does not already show in brackets: "Hounsfield unit (HU)"
        is not followed by "(HU, CT number)" but by "(CT number)"."""
        shown = self.term.lower()
        return [alias for alias in self.aliases if f"({alias.lower()})" not in shown]

    @property
    def letter(self) -> str:
        first = self.sort_key[:1].upper()
        return first if first.isalpha() else "#"


class QuestionQuerySet(ContentQuerySet["Question"]):
    def search(self, text: str) -> Self:
        text = text.strip().lower()
        return self.filter(search_text__contains=text) if text else self

    def auto_graded(self) -> Self:
        return self.exclude(type=Question.Type.OPEN)


_QuestionManager = models.Manager.from_queryset(QuestionQuerySet)


class QuestionManager(_QuestionManager):
    """The bank: every question but those interviewers imported into their own sets. The
    default manager, so lists, search, draws, the API and related managers never see an
    imported question; `Question.everything` does, for the owner's own pages."""

    # django-stubs types the generated manager's get_queryset loosely; this is the same
    # QuestionQuerySet the generated one returns, filtered.
    def get_queryset(self) -> QuestionQuerySet:  # type: ignore[override]
        return QuestionQuerySet(self.model, using=self._db).filter(private=False)


class Question(ContentItem):
    class Type(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Select all that apply"
        TRUEFALSE = "truefalse", "True or false"
        NUMERIC = "numeric", "Numeric answer"
        SHORT = "short", "Short answer"
        OPEN = "open", "Open interview question"

    class Difficulty(models.TextChoices):
        EASY = "easy", "Easy"
        MEDIUM = "medium", "Medium"
        HARD = "hard", "Hard"

    title = models.CharField(max_length=300)
    type = models.CharField(max_length=20, choices=Type.choices)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    related_terms = models.ManyToManyField(GlossaryTerm, blank=True, related_name="questions")
    sources_html = models.JSONField(default=list, blank=True)
    prompt_html = models.TextField()
    # The key and everything that gives it away. Never put these in a page or a response
    # before the candidate has answered (practice) or the attempt has ended (quizzes).
    choices = models.JSONField(default=list, blank=True)  # [{text_html, correct, feedback_html}]
    # False keeps the file's order of choices (ordered scales); every other question shuffles.
    shuffle = models.BooleanField(default=True)
    answer = models.JSONField(default=dict, blank=True)
    explanation_html = models.TextField(blank=True)
    model_answer_html = models.TextField(blank=True)
    # Interviewer-only.
    rubric = models.JSONField(default=list, blank=True)  # [html, ...]
    interviewer_notes_html = models.TextField(blank=True)
    search_text = models.TextField(blank=True)
    # easy=0, medium=1, hard=2: lists sort by it.
    difficulty_rank = models.PositiveSmallIntegerField(default=0)
    # Imported by an interviewer (Moodle XML, GIFT) into a set of theirs: not in the bank.
    # SET_NULL keeps it private when the account goes (candidates' answers still refer to it).
    private = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_questions",
    )

    objects: ClassVar[QuestionManager] = QuestionManager()
    everything: ClassVar[_QuestionManager] = _QuestionManager()

    class Meta:
        ordering = ["topic__order", "difficulty_rank", "ext_id"]
        indexes = [models.Index(fields=["type", "difficulty"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("questions:question_detail", args=[self.ext_id])

    @property
    def is_auto_graded(self) -> bool:
        return self.type != self.Type.OPEN

    @property
    def choice_texts(self) -> list[str]:
        """The choices without their keys: safe to show before answering."""
        return [choice["text_html"] for choice in self.choices]


class QuestionSet(ContentItem):
    title = models.CharField(max_length=300)
    time_limit_minutes = models.PositiveIntegerField()
    description = models.TextField(blank=True)  # the Markdown, for copies and exports
    description_html = models.TextField()
    show_answers = models.BooleanField(default=True)
    questions: models.ManyToManyField[Question, SetEntry] = models.ManyToManyField(
        Question, through="SetEntry", related_name="sets"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class EntryFields(models.Model):
    """What one entry of a set draws when an attempt starts: a bank question, a live
    exercise (a fresh seed per attempt unless `exercise_seed` fixes one), or
    `random_count` questions from a topic, optionally of one difficulty."""

    exercise_kind = models.CharField(max_length=40, blank=True)
    exercise_level = models.CharField(max_length=10, blank=True)
    exercise_seed = models.BigIntegerField(null=True, blank=True)
    random_count = models.PositiveSmallIntegerField(default=0)
    random_topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    random_difficulty = models.CharField(max_length=10, blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        abstract = True
        ordering = ["position"]

    # Exactly one of: a question, an exercise kind, a random draw.
    CONTENT = (
        models.Q(question__isnull=False, exercise_kind="", random_count=0)
        | (models.Q(question__isnull=True, random_count=0) & ~models.Q(exercise_kind=""))
        | models.Q(question__isnull=True, exercise_kind="", random_count__gt=0)
    )

    if TYPE_CHECKING:
        # Each concrete entry model declares its own `question` (its own related_name).
        question_id: int | None
        question: models.ForeignKey[Question | None, Question | None]

    @property
    def entry_kind(self) -> str:
        if self.question_id:
            return "question"
        return "exercise" if self.exercise_kind else "random"

    def describe(self) -> str:
        """A one-line label for lists and exports."""
        if self.question is not None:
            return self.question.title
        if self.exercise_kind:
            from ..exercises import KINDS

            seed = f", seed {self.exercise_seed}" if self.exercise_seed is not None else ""
            return f"Exercise: {KINDS[self.exercise_kind].title} ({self.exercise_level}{seed})"
        level = f" {self.random_difficulty}" if self.random_difficulty else ""
        plural = "s" if self.random_count != 1 else ""
        assert self.random_topic is not None  # CONTENT: a random draw names its topic
        return f"{self.random_count} random{level} question{plural} on {self.random_topic.title}"


class SetEntry(EntryFields):
    """An entry of a curated set (content/sets/)."""

    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="entries")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.PROTECT, related_name="set_entries"
    )

    class Meta(EntryFields.Meta):
        constraints = [
            models.UniqueConstraint(fields=["question_set", "position"], name="set_entry_position"),
            models.UniqueConstraint(
                fields=["question_set", "question"], name="set_entry_question_once"
            ),
            models.CheckConstraint(
                condition=EntryFields.CONTENT, name="set_entry_question_or_exercise"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_set_id}#{self.position}"
