"""Practice mode: filter the bank, and check one answer to one question."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token

from ..models import GlossaryTerm, Question, QuestionQuerySet, Tag, Topic, choice_ids
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


CHOICE_TYPES = (Question.Type.SINGLE, Question.Type.MULTIPLE)


def _names(term: GlossaryTerm) -> set[str]:
    """What a search must equal to find this term exactly: the term, the term without its
    bracketed abbreviation ("Hounsfield unit" of "Hounsfield unit (HU)"), and its aliases."""
    names = {term.term.lower(), *(alias.lower() for alias in term.aliases)}
    before, bracket, _ = term.term.partition(" (")
    if bracket:
        names.add(before.lower())
    return names


def exact_matches_first(
    terms: list[GlossaryTerm], query: str
) -> tuple[list[GlossaryTerm], list[GlossaryTerm]]:
    """The terms a search names exactly (a search for "HU" wants Hounsfield unit, not the
    dozen terms whose names contain "hu"), then the rest in their order."""
    wanted = query.strip().lower()
    if not wanted:
        return [], terms
    exact = [term for term in terms if wanted in _names(term)]
    return exact, [term for term in terms if term not in exact]


def visitor_scope(request: HttpRequest, question: Question) -> str:
    """Whose practice page this is, for the order and ids of its choices.

    An account keeps its order on every device. An anonymous visitor is known by the CSRF
    cookie the answer form needs anyway (so no session is created just to read), which also
    arrives with the answer, so the ids the page showed map back.
    """
    if request.user.is_authenticated:
        return f"practice:user:{request.user.pk}:{question.ext_id}"
    get_token(request)  # sets the cookie on this response if the visitor has none yet
    secret = request.META.get("CSRF_COOKIE", "")
    return f"practice:visitor:{secret}:{question.ext_id}"


@dataclass(frozen=True)
class ShownChoice:
    id: str
    index: int
    choice: dict[str, Any]


def shown_choices(scope: str, question: Question) -> list[ShownChoice]:
    """The question's choices in this visitor's order, each with its opaque id."""
    count = len(question.choices)
    order = choice_ids.display_order(scope, count) if question.shuffle else range(count)
    return [
        ShownChoice(choice_ids.choice_id(scope, index), index, question.choices[index])
        for index in order
    ]


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


def check_answer(question: Question, form: QueryDict, scope: str) -> PracticeResult:
    """Grade the posted answer; on bad input return the message to show, key unrevealed.

    Choices arrive as the ids this visitor's page showed (`scope`); an id the page did not
    show, such as a file position, is refused like any other unknown option."""
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
    picked: set[int] = set()
    if qtype in CHOICE_TYPES:
        given = response if isinstance(response, list) else [response]
        ids = choice_ids.ids_of(scope, len(question.choices))
        if len(given) > len(ids) or any(value not in ids for value in given):
            return PracticeResult(error="Choose among the options shown, then check.")
        picked = {ids[value] for value in given}
        response = sorted(picked) if qtype == Question.Type.MULTIPLE else next(iter(picked))
    try:
        result = grade(qtype, question.answer, question.choices, response)
    except InvalidAnswer as error:
        return PracticeResult(error=str(error), given=response)
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
