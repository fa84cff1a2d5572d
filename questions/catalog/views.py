"""Pages for browsing the glossary and practising questions. Views coordinate; logic lives
in grading.py, practice.py and the QuerySets."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..content.anki import DeckFile
from ..exercises import KINDS
from ..models import Attempt, GlossaryTerm, Question, QuestionFlag, QuestionSet, Tag, Topic
from ..owners import request_owner
from ..progress import services as progress
from ..progress import stats as progress_stats
from ..quizzes import services as quizzes
from ..web.owner_cache import owner_memo
from ..web.page_cache import (
    finite_query,
    keep,
    late,
    late_value,
    late_values,
    rendering,
    shared_page_cache,
)
from . import export, practice

# The signed time a question was shown, for time spent: per visitor, never from the cache.
late_value("shown")(lambda request: progress.shown_token())


@late_value("today_call")
def _today_call(request: HttpRequest) -> str:
    """The home page's first button for a returning visitor: today's practice, with what is
    due. Per visitor, so a page cached for everyone holds a marker here."""
    call = progress_stats.today_call(request_owner(request, create=False))
    if call is None:
        return ""
    return render_to_string("questions/_today_call.html", {"call": call})


@shared_page_cache
def home(request: HttpRequest) -> HttpResponse:
    topics = (
        Topic.objects.annotate(
            question_count=Count(
                "questions", filter=Q(questions__retired_at__isnull=True, questions__private=False)
            )
        )
        .filter(question_count__gt=0)
        .order_by("order", "slug")
    )  # GROUP BY drops Meta.ordering
    context = {
        "topics": topics,
        "question_count": sum(topic.question_count for topic in topics),
        "term_count": GlossaryTerm.objects.active().count(),
        "exercise_count": len(KINDS),
        "sets": QuestionSet.objects.active().annotate(size=Count("entries")).order_by("title"),
        "today_call": late(request, "today_call"),
    }
    return render(request, "questions/home.html", context)


@shared_page_cache
def glossary_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    terms = GlossaryTerm.objects.active().select_related("topic")
    if query:
        terms = terms.filter(search_text__contains=query.lower())
    exact, others = practice.exact_matches_first(list(terms), query)
    letters: dict[str, list[GlossaryTerm]] = {}
    for term in others:
        letters.setdefault(term.letter, []).append(term)
    context = {
        "exact": exact,
        "letters": letters,
        "query": query,
        "count": len(exact) + len(others),
    }
    return render(request, "questions/glossary_index.html", context)


@shared_page_cache
def glossary_term(request: HttpRequest, term_id: str) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm.objects.active().select_related("topic"), ext_id=term_id)
    context = {
        "term": term,
        "see_also": term.see_also.active().order_by("sort_key"),
        "questions": term.questions.active().select_related("topic"),
        "exercises": [KINDS[kind] for kind in term.exercises if kind in KINDS],
    }
    return render(request, "questions/glossary_term.html", context)


@shared_page_cache
def question_list(request: HttpRequest) -> HttpResponse:
    filters = practice.QuestionFilter.from_query(request.GET)
    questions = filters.apply(
        Question.objects.active()
        .select_related("topic")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    )
    cached = rendering(request)
    if not cached:  # a fresh page: the standing in the list's own query
        questions = practice.with_standing(questions, request_owner(request, create=False))
    page = Paginator(questions, settings.QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    choices = practice.filter_choices()
    if request.GET and practice.finite_query(
        request.META.get("QUERY_STRING", ""),
        topics=[topic.slug for topic in choices["topics"]],  # the form lists them anyway
        tags=[tag.name for tag in choices["tags"]],
        pages=page.paginator.num_pages,
    ):
        finite_query(request)  # a filter or page the list links to: cached without budget
    context = {
        "page": page,
        "rows": [
            (question, _late_standing(request, question) if cached else _shown(question))
            for question in page
        ],
        "filters": filters,
        **choices,
        "tag_suggestion": practice.tag_suggestion(filters, choices["tags"]),
        "querystring": filters.querystring(),
        "quiz": (
            practice.filtered_quiz(filters, quizzes.SECONDS_BY_TYPE) if filters.active else None
        ),
    }
    return render(request, "questions/question_list.html", context)


@dataclass(frozen=True)
class _ShownStanding:
    """A listed question's standing as the list shows it, or in a page for everyone its
    markers, filled per visitor."""

    status: str
    html: str


def _late_standing(request: HttpRequest, question: Question) -> _ShownStanding:
    return _ShownStanding(
        late(request, "standing_status", question.ext_id),
        late(request, "standing", question.ext_id),
    )


def _shown(question: Question) -> _ShownStanding:
    mark = practice.standing(question)
    return _ShownStanding(mark.status, practice.standing_html(mark))


def _standings(request: HttpRequest, ext_ids: Sequence[str]) -> dict[str, practice.Standing]:
    """This visitor's standing on each listed question, once per request for both of the
    row's markers: kept per visitor until their progress changes (owner_memo; the relative
    times are computed on each request from the kept moments), else one query."""
    found: dict[str, practice.Standing] | None = getattr(request, "_listed_standings", None)
    if found is None:
        owner = request_owner(request, create=False)
        listed = hashlib.sha256(" ".join(ext_ids).encode()).hexdigest()[:32]
        found = owner_memo(
            owner, f"standings:{listed}", lambda: (practice.standings(ext_ids, owner), None)
        )
        request._listed_standings = found  # type: ignore[attr-defined]
    return found


@late_values("standing_status")
def _standing_status(
    request: HttpRequest, ext_ids: Sequence[str], kept: Mapping[str, Any]
) -> dict[str, str]:
    found = _standings(request, ext_ids)
    return {ext_id: found.get(ext_id, practice.NEW).status for ext_id in ext_ids}


@late_values("standing")
def _standing_marks(
    request: HttpRequest, ext_ids: Sequence[str], kept: Mapping[str, Any]
) -> dict[str, str]:
    found = _standings(request, ext_ids)
    return {ext_id: practice.standing_html(found.get(ext_id, practice.NEW)) for ext_id in ext_ids}


@require_POST
def question_list_quiz(request: HttpRequest) -> HttpResponse:
    """Start a timed quiz of the filtered list (its timed questions, at most
    practice.filtered_quiz_max() of them drawn at random), timed like a topic quiz."""
    filters = practice.QuestionFilter.from_query(request.POST)
    if not filters.active:  # the list offers no quiz of the whole bank; nor does this
        messages.error(
            request,
            "Choose a topic, type, difficulty, tag or search first: a quiz is drawn from a "
            "filtered list, not from the whole bank.",
        )
        return redirect("questions:question_list")
    try:
        attempt = quizzes.attempt_start(
            owner=request_owner(request),
            kind=Attempt.Kind.FILTERED,
            pool=practice.quiz_pool(filters),
            title=filters.describe(),
            count=practice.filtered_quiz_max(),
            begin=False,  # the clock starts on the start page's Start, as for every quiz
        )
    except quizzes.QuizError as error:
        messages.error(request, str(error))
        return redirect(reverse("questions:question_list") + f"?{filters.querystring()}")
    return redirect(attempt)


@require_http_methods(["GET", "POST"])
@shared_page_cache
def question_detail(request: HttpRequest, question_id: str) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.active()
        .select_related("topic")
        .prefetch_related("tags", Prefetch("related_terms", GlossaryTerm.objects.active())),
        ext_id=question_id,
    )
    result = None
    choices: list[practice.ShownChoice] = []
    filters = practice.QuestionFilter.from_query(request.GET)
    if request.method == "POST":
        scope = practice.visitor_scope(request, question.ext_id)
        result = practice.check_answer(question, request.POST, scope)
        if result.grade is not None:
            progress.question_answered(
                owner=request_owner(request),
                question=question,
                source="practice",
                correct=result.grade.correct,
                score=result.grade.score,
                self_assessment=result.given if result.grade.self_assessed else "",
                seconds=progress.time_spent(request.POST.get("shown")),
            )
            choices = practice.shown_choices(scope, question)
    if request.GET and practice.finite_query(
        request.META.get("QUERY_STRING", ""),
        # A list links to its own questions: their topic and tags are the filter's.
        topics=[question.topic.slug],
        tags=[tag.name for tag in question.tags.all()],
    ):
        finite_query(request)
    context = {
        "question": question,
        "result": result,
        "choices": choices,
        "shown": late(request, "shown"),
        "querystring": filters.querystring(),
        "filters": filters,
        "flag_reasons": QuestionFlag.Reason.choices,
    }
    if result is not None and result.grade is not None:
        context["next_question"] = practice.next_question(question, filters)
    if question.type in practice.CHOICE_TYPES and not (result and result.grade):
        # The form's choices differ per visitor (order and ids), so a page cached for
        # everyone carries a marker there, filled on each response from the choices' text
        # kept with the page (the fresh render fills it at once).
        keep(request, "practice_choices", practice.choices_to_show(question))
        context["choices_html"] = late(request, "practice_choices")
    return render(
        request,
        "questions/question_detail.html",
        context,
        status=400 if result and result.error else 200,
    )


# The choice inputs as questions/_practice_choices.html writes them (a test holds the two
# to the same bytes): filled for every view of a cached question page, where rendering that
# template was a third of the request.
_CHOICES_OPEN = "<fieldset>\n    <legend>{legend}</legend>\n    "
_CHOICE = (
    '\n    <div class="choice">\n      <input type="{input}" name="choice" id="c-{id}"'
    ' value="{id}">\n      <label for="c-{id}">{text}</label>\n    </div>\n    '
)
_CHOICES_CLOSE = "\n  </fieldset>\n"
_CHOICES_KIND = {
    Question.Type.SINGLE: ("Choose one answer", "radio"),
    Question.Type.MULTIPLE: ("Select all that apply", "checkbox"),
}


def practice_choices_html(question_type: str, shown: Sequence[tuple[str, str]]) -> str:
    """The choice inputs of a practice form: `shown` is each choice's id and text (its HTML,
    rendered from the content at load time), in the visitor's order."""
    legend, input_type = _CHOICES_KIND[question_type]  # type: ignore[index]
    return "".join(
        (
            _CHOICES_OPEN.format(legend=legend),
            *(_CHOICE.format(input=input_type, id=escape(id_), text=text) for id_, text in shown),
            _CHOICES_CLOSE,
        )
    )


@late_values("practice_choices")
def _practice_choices(
    request: HttpRequest, arguments: Sequence[str], kept: Mapping[str, Any]
) -> dict[str, str]:
    """The choice inputs of a practice question, in this visitor's order with their ids."""
    choices = kept["practice_choices"]
    texts = choices["texts"]
    order = practice.choice_order(
        practice.visitor_scope(request, choices["ext_id"]), len(texts), choices["shuffle"]
    )
    html = practice_choices_html(choices["type"], [(id_, texts[index]) for id_, index in order])
    return dict.fromkeys(arguments, html)


@require_GET
@shared_page_cache
def anki_decks(request: HttpRequest) -> HttpResponse:
    """Every public deck: what it holds and what it leaves out, with its download."""
    return render(request, "questions/anki_decks.html", {"decks": export.deck_summaries()})


@require_GET
def anki_download(request: HttpRequest, kind: str, slug: str = "") -> HttpResponse:
    try:
        deck = export.public_deck(kind, slug)
    except export.DeckNotFound as error:
        raise Http404(str(error)) from None
    return anki_response(deck, public=True)


def anki_response(deck: DeckFile, *, public: bool) -> HttpResponse:
    """A deck as a download. Public decks may sit in any cache for an hour; a deck with an
    interviewer's keys must never be stored by a browser or proxy."""
    response = HttpResponse(deck.data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{deck.filename}"'
    response["Content-Length"] = str(len(deck.data))
    if public:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True, no_cache=True, max_age=0)
    return response
