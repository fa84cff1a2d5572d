"""Pages for browsing the glossary and practising questions. Views coordinate; logic lives
in grading.py, practice.py and the QuerySets."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from ..models import GlossaryTerm, Question, QuestionSet, Tag, Topic
from ..owners import request_owner
from ..progress import services as progress
from ..progress import stats as progress_stats
from ..web.page_cache import anonymous_page_cache, late, late_value
from . import practice

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


@anonymous_page_cache
def home(request: HttpRequest) -> HttpResponse:
    topics = (
        Topic.objects.annotate(
            question_count=Count("questions", filter=Q(questions__retired_at__isnull=True))
        )
        .filter(question_count__gt=0)
        .order_by("order", "slug")
    )  # GROUP BY drops Meta.ordering
    context = {
        "topics": topics,
        "question_count": sum(topic.question_count for topic in topics),
        "term_count": GlossaryTerm.objects.active().count(),
        "sets": QuestionSet.objects.active().annotate(size=Count("entries")).order_by("title"),
        "today_call": late(request, "today_call"),
    }
    return render(request, "questions/home.html", context)


@anonymous_page_cache
def glossary_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    terms = GlossaryTerm.objects.active().select_related("topic")
    if query:
        terms = terms.filter(search_text__contains=query.lower())
    letters: dict[str, list[GlossaryTerm]] = {}
    for term in terms:
        letters.setdefault(term.letter, []).append(term)
    return render(
        request,
        "questions/glossary_index.html",
        {"letters": letters, "query": query, "count": sum(map(len, letters.values()))},
    )


@anonymous_page_cache
def glossary_term(request: HttpRequest, term_id: str) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm.objects.active().select_related("topic"), ext_id=term_id)
    context = {
        "term": term,
        "see_also": term.see_also.active().order_by("sort_key"),
        "questions": term.questions.active().select_related("topic"),
    }
    return render(request, "questions/glossary_term.html", context)


@anonymous_page_cache
def question_list(request: HttpRequest) -> HttpResponse:
    filters = practice.QuestionFilter.from_query(request.GET)
    questions = filters.apply(
        Question.objects.active()
        .select_related("topic")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    )
    page = Paginator(questions, settings.QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        **practice.filter_choices(),
        "querystring": filters.querystring(),
    }
    return render(request, "questions/question_list.html", context)


@require_http_methods(["GET", "POST"])
@anonymous_page_cache
def question_detail(request: HttpRequest, question_id: str) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.active()
        .select_related("topic")
        .prefetch_related("tags", Prefetch("related_terms", GlossaryTerm.objects.active())),
        ext_id=question_id,
    )
    result = None
    scope = practice.visitor_scope(request, question)
    if request.method == "POST":
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
    context = {
        "question": question,
        "result": result,
        "choices": choices,
        "shown": late(request, "shown"),
    }
    if question.type in practice.CHOICE_TYPES and not (result and result.grade):
        # The form's choices differ per visitor, so a page cached for everyone carries a
        # marker there, filled on each response (the fresh render fills it at once).
        request.practice_choices = (question, choices)  # type: ignore[attr-defined]
        context["choices_html"] = late(request, "practice_choices")
    return render(
        request,
        "questions/question_detail.html",
        context,
        status=400 if result and result.error else 200,
    )


@late_value("practice_choices")
def _practice_choices(request: HttpRequest) -> str:
    """The choice inputs of a practice question, in this visitor's order with their ids."""
    question, choices = getattr(request, "practice_choices", (None, None))
    if question is None:  # a page from the cache: look the question up for this visitor
        assert request.resolver_match is not None
        question = (
            Question.objects.active()
            .only("ext_id", "type", "choices", "shuffle")
            .get(ext_id=request.resolver_match.kwargs["question_id"])
        )
        choices = practice.shown_choices(practice.visitor_scope(request, question), question)
    return render_to_string(
        "questions/_practice_choices.html", {"question": question, "choices": choices}
    )
