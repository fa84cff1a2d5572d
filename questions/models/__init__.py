"""Models: content items (owned by the files under content/) and quiz attempts."""

from .attempts import Attempt, AttemptItem
from .content import (
    ContentItem,
    GlossaryTerm,
    Question,
    QuestionQuerySet,
    QuestionSet,
    SetEntry,
    Tag,
    Topic,
)
from .exercises import ExerciseResult
from .progress import ProgressEvent, ReviewCard

__all__ = [
    "Attempt",
    "AttemptItem",
    "ContentItem",
    "ExerciseResult",
    "GlossaryTerm",
    "ProgressEvent",
    "Question",
    "QuestionQuerySet",
    "QuestionSet",
    "ReviewCard",
    "SetEntry",
    "Tag",
    "Topic",
]
