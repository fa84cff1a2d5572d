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

__all__ = [
    "Attempt",
    "AttemptItem",
    "ContentItem",
    "GlossaryTerm",
    "Question",
    "QuestionQuerySet",
    "QuestionSet",
    "SetEntry",
    "Tag",
    "Topic",
]
