"""Pages of the timed quiz: start, take (answers saved as given), finish, review."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..clients import client_address
from ..exercises.downloads import DOWNLOADS
from ..models import Attempt, AttemptItem, GlossaryTerm, QuestionFlag, QuestionSet, Topic
from ..owners import request_owner
from . import services as service
from .forms import StartQuizForm
from .grading import InvalidAnswer
from .review import build_review
from .selectors import get_owned_attempt, owned_attempts


def _start_context(form: StartQuizForm) -> dict[str, Any]:
    return {
        "form": form,
        "grace": settings.QUIZ_GRACE_SECONDS,
        "sets": QuestionSet.objects.active().annotate(size=Count("entries")).order_by("title"),
        "topics": Topic.objects.annotate(
            n=Count(
                "questions", filter=Q(questions__retired_at__isnull=True, questions__private=False)
            )
        )
        .filter(n__gt=0)
        .order_by("order", "slug"),
    }


@require_GET
def quiz_start_page(request: HttpRequest) -> HttpResponse:
    return render(request, "questions/quiz_start.html", _start_context(StartQuizForm()))


def _minutes(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if not rest:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{minutes} min {rest} s"


def _smaller_than_asked(data: dict[str, Any]) -> dict[str, Any] | None:
    """A topic quiz the bank cannot fill: what it would be instead, to confirm before the
    clock starts."""
    if data["kind"] != Attempt.Kind.TOPIC or data.get("topic") is None:
        return None
    difficulty = data.get("difficulty") or ""
    pool = service.topic_pool(data["topic"], difficulty)
    if not 0 < len(pool) < data["count"]:
        return None
    return {
        "topic": data["topic"],
        "difficulty": difficulty,
        "count": len(pool),
        "asked": data["count"],
        "time": _minutes(service.quiz_seconds(pool)),
    }


@require_POST
def quiz_start(request: HttpRequest) -> HttpResponse:
    form = StartQuizForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        smaller = None if request.POST.get("confirmed") else _smaller_than_asked(data)
        if smaller is not None:
            context = {**_start_context(StartQuizForm()), "smaller": smaller}
            return render(request, "questions/quiz_start.html", context)
        try:
            attempt = service.attempt_start(
                owner=request_owner(request),
                kind=data["kind"],
                question_set=data.get("question_set"),
                topic=data.get("topic"),
                difficulty=data.get("difficulty") or "",
                count=data["count"],
            )
        except service.QuizError as error:
            form.add_error(None, str(error))
        else:
            return redirect(attempt)
    return render(request, "questions/quiz_start.html", _start_context(form), status=400)


def _items(attempt: Attempt) -> QuerySet[AttemptItem]:
    return attempt.items.select_related("question__topic").prefetch_related(
        Prefetch("question__related_terms", GlossaryTerm.objects.active())
    )


@require_GET
def attempt_detail(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    attempt = service.attempt_refresh(get_owned_attempt(request, attempt_id))
    items = list(_items(attempt))
    if attempt.is_finished and not attempt.reveal_answers:
        return render(
            request,
            "interviews/attempt_submitted.html",
            {
                "attempt": attempt,
                "total": len(items),
                "answered": sum(item.is_answered for item in items),
            },
        )
    if attempt.is_finished:
        return render(
            request,
            "questions/attempt_review.html",
            {
                "attempt": attempt,
                "review": build_review(
                    attempt,
                    items,
                    figure_url=lambda item: reverse(
                        "questions:attempt_exercise_figure", args=[attempt.pk, item.position]
                    ),
                    client=client_address(request),
                ),
                "flag_reasons": QuestionFlag.Reason.choices,
            },
        )
    remaining = attempt.remaining_seconds()
    context = {
        "attempt": attempt,
        "items": items,
        "grace": settings.QUIZ_GRACE_SECONDS,
        "remaining_display": f"{remaining // 60}:{remaining % 60:02d}",
    }
    return render(request, "questions/attempt_running.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def attempt_answer(request: HttpRequest, attempt_id: UUID, position: int) -> HttpResponse:
    attempt = get_owned_attempt(request, attempt_id)
    item_type = (
        AttemptItem.objects.filter(attempt=attempt, position=position)
        .select_related("question")
        .first()
    )
    response: dict[str, str] | list[str] | str | None = None
    if item_type is not None and item_type.is_exercise:
        response = {f.name: request.POST.get(f.name, "") for f in item_type.exercise.fields}
    elif item_type is not None:
        key = "choice" if item_type.type in ("single", "multiple") else "answer"
        response = (
            request.POST.getlist(key) if item_type.type == "multiple" else request.POST.get(key)
        )
    try:
        service.attempt_answer(attempt=attempt, position=position, response=response)
    except service.AttemptClosed as error:
        return _reply(request, attempt, position, str(error), status=409, closed=True)
    except (service.QuizError, InvalidAnswer) as error:
        return _reply(request, attempt, position, str(error), status=400)
    return _reply(request, attempt, position, "Saved.", status=200)


def _reply(
    request: HttpRequest,
    attempt: Attempt,
    position: int,
    message: str,
    *,
    status: int,
    closed: bool = False,
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"saved": status == 200, "message": message, "finished": closed}, status=status
        )
    if status == 200:
        messages.success(request, f"Question {position}: answer saved.")
    else:
        messages.error(request, f"Question {position}: {message}")
    return redirect(reverse("questions:attempt", args=[attempt.pk]) + f"#q-{position}")


@require_GET
def attempt_exercise_file(request: HttpRequest, attempt_id: UUID, position: int) -> HttpResponse:
    """The file of an exercise in an attempt (a .dcm, a .nii.gz, a zipped series), for its
    owner only. Its URL and bytes name the attempt's item, never the seed, which would unlock
    the answers elsewhere."""
    attempt = get_owned_attempt(request, attempt_id)
    item = attempt.items.filter(position=position, exercise_kind__in=list(DOWNLOADS)).first()
    if item is None:
        raise Http404("This quiz has no exercise with a file at that position.")
    download = DOWNLOADS[item.exercise_kind]
    try:
        content = service.exercise_file(item)
    except ValueError as error:  # an exercise no valid file can carry; say so, no traceback
        return HttpResponse(f"No DICOM file for this exercise: {error}", status=400)
    response = HttpResponse(content, content_type=download.content_type)
    name = f"question-{position}{download.suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def exercise_figure_response(request: HttpRequest, item: AttemptItem) -> HttpResponse:
    """The worked-solution figure of an attempt's exercise, by its place in the attempt."""
    from ..live_exercises import services as exercises  # the figure's cache and budget

    fmt = "png" if request.GET.get("format") == "png" else "svg"
    try:
        content, content_type, _alt = exercises.figure_for(
            item.exercise, fmt, client=client_address(request)
        )
    except exercises.RenderRefused as refused:
        response = HttpResponse(str(refused), status=429, content_type="text/plain")
        response["Retry-After"] = str(refused.wait_seconds)
        return response
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_GET
def attempt_exercise_figure(request: HttpRequest, attempt_id: UUID, position: int) -> HttpResponse:
    """A finished attempt's exercise figure, for its owner, once its answers may be shown."""
    attempt = get_owned_attempt(request, attempt_id)
    item = attempt.items.filter(position=position).exclude(exercise_kind="").first()
    if item is None or not (attempt.is_finished and attempt.reveal_answers):
        raise Http404("No figure to show here.")
    return exercise_figure_response(request, item)


@require_POST
def attempt_finish(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    attempt = get_owned_attempt(request, attempt_id)
    service.attempt_finish(attempt=attempt)
    return redirect(attempt)


@require_POST
def attempt_assess(request: HttpRequest, attempt_id: UUID, position: int) -> HttpResponse:
    attempt = get_owned_attempt(request, attempt_id)
    try:
        service.attempt_self_assess(
            attempt=attempt, position=position, rating=request.POST.get("rating", "")
        )
    except (service.QuizError, InvalidAnswer) as error:
        messages.error(request, f"Question {position}: {error}")
    return redirect(reverse("questions:attempt", args=[attempt.pk]) + f"#q-{position}")


@require_GET
def attempt_list(request: HttpRequest) -> HttpResponse:
    for overdue in owned_attempts(request).overdue():
        service.attempt_refresh(overdue)
    attempts = owned_attempts(request).select_related("question_set", "topic")[:50]
    return render(request, "questions/attempt_list.html", {"attempts": attempts})
