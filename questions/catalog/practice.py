"""Practice mode: filter the bank, and check one answer to one question."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict

from ..models import Question, QuestionQuerySet, Tag, Topic
from ..quizzes.grading import SELF_ASSESSMENT_LABELS, Grade, InvalidAnswer, grade

_TYPES = set(Question.Type.values)
_DIFFICULTIES = set(Question.Difficulty.values)


def filter_choices() -> dict[str, Any]:
    """What the filter form of a question list offers (the bank page and the builder's)."""
    return {
        "topics": Topic.objects.all(),
        "types": Question.Type.choices,
        "difficulties": Question.Difficulty.choices,
        "tags": Tag.objects.filter(questions__retired_at__isnull=True).distinct(),
    }


@dataclass(frozen=True)
class QuestionFilter:
    topic: str = ""
    type: str = ""
    difficulty: str = ""
    tag: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> QuestionFilter:
        """Unknown values are dropped, not errors: a stale link still lists questions."""
        qtype = query.get("type", "")
        difficulty = query.get("difficulty", "")
        return cls(
            topic=query.get("topic", "")[:50],
            type=qtype if qtype in _TYPES else "",
            difficulty=difficulty if difficulty in _DIFFICULTIES else "",
            tag=query.get("tag", "")[:100],
            q=query.get("q", "").strip()[:100],
        )

    def apply(self, questions: QuestionQuerySet) -> QuestionQuerySet:
        if self.topic:
            questions = questions.filter(topic__slug=self.topic)
        if self.type:
            questions = questions.filter(type=self.type)
        if self.difficulty:
            questions = questions.filter(difficulty=self.difficulty)
        if self.tag:
            questions = questions.filter(tags__name=self.tag)
        return questions.search(self.q)

    def querystring(self) -> str:
        """The active filters, for pagination links."""
        return urlencode({k: v for k, v in self.__dict__.items() if v})

    @property
    def active(self) -> bool:
        return any(self.__dict__.values())


@dataclass
class PracticeResult:
    error: str = ""
    grade: Grade | None = None
    given: Any = None
    picked: set[int] = field(default_factory=set)
    # Open questions: the model answer is shown before the candidate rates themselves.
    revealed: bool = False
    draft: str = ""

    @property
    def given_label(self) -> str:
        return SELF_ASSESSMENT_LABELS.get(self.given, "")


def check_answer(question: Question, form: QueryDict) -> PracticeResult:
    """Grade the posted answer; on bad input return the message to show, key unrevealed."""
    qtype = question.type
    if qtype == Question.Type.OPEN and "self_assessment" not in form:
        return PracticeResult(revealed=True, draft=form.get("draft", "")[:5000])
    if qtype == Question.Type.MULTIPLE:
        response: Any = form.getlist("choice")
    elif qtype in (Question.Type.SINGLE,):
        response = form.get("choice")
    elif qtype == Question.Type.OPEN:
        response = form.get("self_assessment")
    else:
        response = form.get("answer", "")
    if response in (None, "", []):
        return PracticeResult(error=_EMPTY_MESSAGES[qtype], revealed=qtype == Question.Type.OPEN)
    try:
        result = grade(qtype, question.answer, question.choices, response)
    except InvalidAnswer as error:
        return PracticeResult(error=str(error), given=response)
    picked = set()
    if qtype in (Question.Type.SINGLE, Question.Type.MULTIPLE):
        picked = {int(i) for i in (response if isinstance(response, list) else [response])}
    return PracticeResult(
        grade=result, given=response, picked=picked, revealed=qtype == Question.Type.OPEN
    )


_EMPTY_MESSAGES = {
    "single": "Choose one of the options, then check.",
    "multiple": "Select every option you think is right, then check.",
    "truefalse": "Choose true or false, then check.",
    "numeric": "Enter a number, then check.",
    "short": "Type your answer, then check.",
    "open": "Say how your answer compared with the model answer.",
}
