"""Models: content items (owned by the files under content/) and quiz attempts."""

from .attempts import Attempt, AttemptItem
from .content import (
    ContentItem,
    EntryFields,
    GlossaryTerm,
    Question,
    QuestionQuerySet,
    QuestionSet,
    SetEntry,
    Tag,
    Topic,
)
from .exercises import ExerciseResult
from .flags import QuestionFlag
from .interviews import InterviewEntry, InterviewSet, Invite, is_interviewer
from .progress import ProgressEvent, ReviewCard
from .today import DailyGoal, TodayItem, TodaySession

__all__ = [
    "Attempt",
    "AttemptItem",
    "ContentItem",
    "DailyGoal",
    "EntryFields",
    "ExerciseResult",
    "GlossaryTerm",
    "InterviewEntry",
    "InterviewSet",
    "Invite",
    "ProgressEvent",
    "Question",
    "QuestionFlag",
    "QuestionQuerySet",
    "QuestionSet",
    "ReviewCard",
    "SetEntry",
    "Tag",
    "TodayItem",
    "TodaySession",
    "Topic",
    "is_interviewer",
]
