"""Practice mode: filter the bank, and check one answer to one question."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from ..markup import UNSTORABLE, storable
from ..models import (
    GlossaryTerm,
    ProgressEvent,
    Question,
    QuestionQuerySet,
    Tag,
    Topic,
    choice_ids,
)
from ..owners import Owner
from ..quizzes.grading import SELF_ASSESSMENT_LABELS, Grade, InvalidAnswer, grade
from ..quizzes.services import MAX_TEXT
from ..web.page_cache import csrf_token

_TYPES = set(Question.Type.values)
_DIFFICULTIES = set(Question.Difficulty.values)


def filter_choices() -> dict[str, Any]:
    """What the filter form of a question list offers (the bank page and the builder's)."""
    return {
        "topics": Topic.objects.all(),
        "types": Question.Type.choices,
        "difficulties": Question.Difficulty.choices,
        "tags": Tag.objects.filter(
            questions__retired_at__isnull=True, questions__private=False
        ).distinct(),
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
        """The active filters, for pagination links and for the links to each question, so
        "Next question" there follows the same list."""
        return urlencode(self.fields)

    @property
    def active(self) -> bool:
        return any(self.__dict__.values())

    @property
    def fields(self) -> list[tuple[str, str]]:
        """The active filters as (name, value), for the hidden fields of a form."""
        return [(name, value) for name, value in self.__dict__.items() if value]

    def describe(self) -> str:
        """The filter in words, for the title of a quiz drawn from it."""
        parts = []
        if self.topic:
            topic = Topic.objects.filter(slug=self.topic).first()
            parts.append(topic.title if topic else self.topic)
        if self.type:
            parts.append(Question.Type(self.type).label)
        if self.difficulty:
            parts.append(Question.Difficulty(self.difficulty).label)
        if self.tag:
            parts.append(f"tag {self.tag}")
        if self.q:
            parts.append(f"“{self.q}”")
        return "Practice: " + (" · ".join(parts) or "all questions")


# The query a question page's links and filter form make, in the form's order: each at
# most once. A link carries the active filters (QuestionFilter.querystring, then `page`); the
# form sends every field, empty ones too.
_FINITE_KEYS = ("q", "topic", "type", "difficulty", "tag", "page")


def finite_query(
    query_string: str, *, topics: Collection[str], tags: Collection[str], pages: int = 0
) -> bool:
    """Whether a question page's raw query string is one of finitely many: only the filter
    form's fields, in its order, each once, spelled as the site's links spell them, with
    values the page offers (one of `topics`, a type, a difficulty, one of `tags`, a page from
    1 to `pages`) and no text search. Anything else (a search, a tag nobody has, an unknown
    or repeated parameter, another encoding of the same filter) is one of endlessly many."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    if not pairs or urlencode(pairs) != query_string:
        return False
    places = [_FINITE_KEYS.index(key) if key in _FINITE_KEYS else -1 for key, _ in pairs]
    if -1 in places or places != sorted(set(places)):
        return False
    allowed = {
        "q": {""},
        "topic": {"", *topics},
        "type": {"", *_TYPES},
        "difficulty": {"", *_DIFFICULTIES},
        "tag": {"", *tags},
        "page": {str(number) for number in range(1, pages + 1)},
    }
    return all(value in allowed[key] for key, value in pairs)


def tag_suggestion(filters: QuestionFilter, tags: Iterable[Tag]) -> tuple[str, str] | None:
    """For a typed tag no question has: the nearest tag and the list's query with it, or
    ("", "") when nothing is near; None when the tag exists (or none was typed)."""
    names = [tag.name for tag in tags]
    if not filters.tag or filters.tag in names:
        return None
    close = difflib.get_close_matches(filters.tag.lower(), names, n=1, cutoff=0.6)
    if not close:
        return "", ""
    return close[0], replace(filters, tag=close[0]).querystring()


def next_question(question: Question, filters: QuestionFilter) -> Question | None:
    """The question after this one in the list the visitor came from: the same filter, in
    the list's order (topic, difficulty, id), in one query."""
    topic_order, rank = question.topic.order, question.difficulty_rank
    after = (
        Q(topic__order__gt=topic_order)
        | Q(topic__order=topic_order, difficulty_rank__gt=rank)
        | Q(topic__order=topic_order, difficulty_rank=rank, ext_id__gt=question.ext_id)
    )
    return (
        filters.apply(Question.objects.active())
        .filter(after)
        .only("ext_id", "title")
        .order_by("topic__order", "difficulty_rank", "ext_id")
        .first()
    )


# A quiz drawn from a filtered list takes at most this many questions: about a quarter of
# an hour at the types' usual times, long enough to practise, short enough to finish.
FILTERED_QUIZ_MAX = 15


def filtered_quiz_max() -> int:
    """At most FILTERED_QUIZ_MAX, and never more than the site lets any quiz take."""
    return min(FILTERED_QUIZ_MAX, settings.QUIZ_MAX_QUESTIONS)


# Open questions are rated against a model answer, not timed against a key.
QUIZ_TYPES = [t for t in Question.Type.values if t != Question.Type.OPEN]


@dataclass(frozen=True)
class FilteredQuiz:
    """What "Practise these as a quiz" would start, told on the list before the clock."""

    available: int  # timed questions in the list
    left_out: int  # open questions in the list, which a quiz does not take
    count: int  # questions the quiz draws
    seconds: int  # its time limit (exact when it takes them all, else the expected one)

    @property
    def capped(self) -> bool:
        return self.available > self.count

    @property
    def minutes(self) -> int:
        return max(1, round(self.seconds / 60))


def filtered_quiz(filters: QuestionFilter, seconds_by_type: dict[str, int]) -> FilteredQuiz:
    """How many questions of the filtered list a quiz can time, in one query."""
    by_type = dict(
        filters.apply(Question.objects.active())
        .order_by()
        .values_list("type")
        .annotate(n=Count("pk", distinct=True))
    )
    available = sum(n for qtype, n in by_type.items() if qtype in QUIZ_TYPES)
    total = sum(seconds_by_type[qtype] * n for qtype, n in by_type.items() if qtype in QUIZ_TYPES)
    count = min(available, filtered_quiz_max())
    return FilteredQuiz(
        available=available,
        left_out=by_type.get(Question.Type.OPEN, 0),
        count=count,
        seconds=round(total * count / available) if available else 0,
    )


def quiz_pool(filters: QuestionFilter) -> list[Question]:
    """The questions a quiz of the filtered list draws from: what the draw needs (type,
    choices, shuffle), not the rendered pages, since a loose filter can match most of the bank."""
    return list(
        filters.apply(Question.objects.active().filter(type__in=QUIZ_TYPES))
        .select_related("topic")
        .defer(
            "prompt_html",
            "explanation_html",
            "model_answer_html",
            "interviewer_notes_html",
            "rubric",
            "sources_html",
            "search_text",
        )
    )


@dataclass(frozen=True)
class Standing:
    """Where this visitor stands on one question: solved (ever right), attempted (answered,
    never right) or new, and how the last answer went."""

    status: str
    last_score: float | None = None
    last_at: Any = None

    @property
    def last_result(self) -> str:
        if self.last_score is None:
            return ""
        if self.last_score >= 1:
            return "right"
        return "partly right" if self.last_score > 0 else "wrong"

    @property
    def last_when(self) -> str:
        """ "just now", or "3 days ago"."""
        if self.last_at is None:
            return ""
        if (timezone.now() - self.last_at).total_seconds() < 60:
            return "just now"
        return f"{timesince(self.last_at)} ago"


NEW = Standing("new")


def with_standing(questions: QuestionQuerySet, owner: Owner) -> QuestionQuerySet:
    """Annotate each question with this visitor's record, as subqueries of the list's own
    query: no query per row, and none at all for a visitor who has answered nothing."""
    if owner.user is None and not owner.anon_token:
        return questions
    events = ProgressEvent.objects.owned_by(owner.user, owner.anon_token).filter(
        question=OuterRef("pk")
    )
    latest = events.order_by("-created_at", "-pk")
    return questions.annotate(
        answered=Exists(events),
        solved=Exists(events.filter(correct=True)),
        last_score=Subquery(latest.values("score")[:1]),
        last_at=Subquery(latest.values("created_at")[:1]),
    )


def standings(ext_ids: Sequence[str], owner: Owner) -> dict[str, Standing]:
    """The owner's standing on each of these questions they answered (the rest are NEW),
    in one query; none for a visitor who has answered nothing."""
    if owner.user is None and not owner.anon_token:
        return {}
    listed = Question.objects.filter(ext_id__in=ext_ids).only("ext_id")
    found = {}
    for question in with_standing(listed, owner):
        mark = standing(question)
        if mark is not NEW:
            found[question.ext_id] = mark
    return found


_STATUS_HTML = {
    "solved": '<span class="standing solved">Solved</span>',
    "attempted": '<span class="standing attempted">Attempted</span>',
}


def standing_html(mark: Standing) -> SafeString:
    """A listed question's standing, as the list shows it. Formatted here rather than by a
    template: a list fills up to 25 of these per request, and their template renders were a
    fifth of a cached list's time. The relative time ("3 days ago") is computed on every call."""
    html = _STATUS_HTML.get(mark.status, '<span class="standing new">New</span>')
    if mark.last_result:  # a word of ours; the ISO time is digits and signs
        html += (
            f' <span class="meta standing-last">last answer {mark.last_result}, <time datetime='
            f'"{timezone.localtime(mark.last_at).isoformat()}">{escape(mark.last_when)}</time>'
            "</span>"
        )
    return mark_safe(html + "\n")


def standing(question: Question) -> Standing:
    if not getattr(question, "answered", False):
        return NEW
    status = "solved" if getattr(question, "solved", False) else "attempted"
    return Standing(
        status, getattr(question, "last_score", None), getattr(question, "last_at", None)
    )


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


def visitor_scope(request: HttpRequest, question_id: str) -> str:
    """Whose practice page this is, for the order and ids of its choices (`question_id` is
    the question's ext_id).

    An account keeps its order on every device. An anonymous visitor is known by the CSRF
    cookie the answer form needs anyway (so no session is created just to read), which also
    arrives with the answer, so the ids the page showed map back.
    """
    if request.user.is_authenticated:
        return f"practice:user:{request.user.pk}:{question_id}"
    csrf_token(request)  # sets the cookie on this response if the visitor has none yet
    secret = request.META.get("CSRF_COOKIE", "")
    return f"practice:visitor:{secret}:{question_id}"


def choices_to_show(question: Question) -> dict[str, Any]:
    """What a practice form's choices need, kept with a page cached for everyone: their text,
    never which is right."""
    return {
        "ext_id": question.ext_id,
        "type": question.type,
        "shuffle": question.shuffle,
        "texts": [choice["text_html"] for choice in question.choices],
    }


@dataclass(frozen=True)
class ShownChoice:
    id: str
    index: int
    choice: dict[str, Any]


def choice_order(scope: str, count: int, shuffle: bool) -> list[tuple[str, int]]:
    """Each of `count` choices' opaque id and file position, in the order `scope` sees them."""
    order = choice_ids.display_order(scope, count) if shuffle else range(count)
    return [(choice_ids.choice_id(scope, index), index) for index in order]


def shown_choices(scope: str, question: Question) -> list[ShownChoice]:
    """The question's choices in this visitor's order, each with its opaque id."""
    return [
        ShownChoice(shown_id, index, question.choices[index])
        for shown_id, index in choice_order(scope, len(question.choices), question.shuffle)
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
    # Today keeps the answer given; what no database can keep, or a book, is refused first.
    if isinstance(response, str) and not storable(response):
        return PracticeResult(error=f"The answer {UNSTORABLE}")
    if isinstance(response, str) and len(response) > MAX_TEXT:
        return PracticeResult(error=f"Keep the answer under {MAX_TEXT} characters.")
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
