"""Pages of the timed quiz: start, take (answers saved as given), finish, review."""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

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
                begin=False,  # the start page says what comes; its Start starts the clock
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
    if not attempt.is_started:
        return _ready_page(request, attempt)
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
        return _review_page(request, attempt, items)
    remaining = attempt.remaining_seconds()
    context = {
        "attempt": attempt,
        "items": items,
        "shown": items,
        "grace": settings.QUIZ_GRACE_SECONDS,
        "remaining_display": f"{remaining // 60}:{remaining % 60:02d}",
        "answered": sum(item.is_answered for item in items),
    }
    if attempt.one_at_a_time and items:
        # Only the current question reaches the page; the map knows the others by number.
        current = _position(request.GET.get("q"), len(items))
        context.update(
            shown=[items[current - 1]],
            current=current,
            previous=current - 1 if current > 1 else None,
            next=current + 1 if current < len(items) else None,
        )
    return render(request, "questions/attempt_running.html", context)


def _position(given: str | None, count: int) -> int:
    """The question a one-at-a-time page shows: ?q=N, kept within the quiz (1 otherwise)."""
    try:
        position = int(given or 1)
    except ValueError:
        return 1
    return min(max(position, 1), count)


def _ready_page(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """The start page: what the quiz is and how it is scored, before any question is shown."""
    types = Counter(item.type for item in attempt.items.select_related("question"))
    return render(
        request,
        "questions/attempt_ready.html",
        {
            "attempt": attempt,
            "count": sum(types.values()),
            "types": [(TYPE_NAMES[name], n) for name, n in types.items()],  # in quiz order
            "has": set(types),
            "time_limit": _minutes(attempt.time_limit_seconds),
            "grace": settings.QUIZ_GRACE_SECONDS,
        },
    )


# The question types in words, for the start page's list of what the quiz holds.
TYPE_NAMES = {
    "single": ("single choice", "single choice"),
    "multiple": ("select all that apply", "select all that apply"),
    "truefalse": ("true or false", "true or false"),
    "numeric": ("number to work out", "numbers to work out"),
    "short": ("short answer", "short answers"),
    "open": ("open question", "open questions"),
    "exercise": ("live exercise", "live exercises"),
}


def _review_page(request: HttpRequest, attempt: Attempt, items: list[AttemptItem]) -> HttpResponse:
    review = build_review(
        attempt,
        items,
        figure_url=lambda item: reverse(
            "questions:attempt_exercise_figure", args=[attempt.pk, item.position]
        ),
        client=client_address(request),
    )
    mistakes = [row for row in review["rows"] if row.item.is_missed]
    only_mistakes = request.GET.get("show") == "mistakes"
    return render(
        request,
        "questions/attempt_review.html",
        {
            "attempt": attempt,
            "review": review,
            "rows": mistakes if only_mistakes else review["rows"],
            "mistakes": len(mistakes),
            "only_mistakes": only_mistakes,
            "flag_reasons": QuestionFlag.Reason.choices,
        },
    )


@require_POST
def attempt_begin(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    """The start page's Start button: the clock starts now, not when the page was read."""
    attempt = get_owned_attempt(request, attempt_id)
    try:
        attempt = service.attempt_begin(
            attempt=attempt, one_at_a_time=request.POST.get("layout") == "one"
        )
    except service.AttemptClosed:
        pass  # finished already: the attempt's page shows the review
    except service.QuizError as error:  # an invite withdrawn or expired before Start
        messages.error(request, str(error))
    return redirect(attempt)


@require_POST
def attempt_layout(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    """Switch between one question at a time and all on one page, keeping the place."""
    attempt = get_owned_attempt(request, attempt_id)
    one = request.POST.get("layout") == "one"
    position = _position(request.POST.get("q"), max(int(attempt.max_score), 1))
    try:
        service.attempt_set_layout(attempt=attempt, one_at_a_time=one)
    except service.AttemptClosed:
        return redirect(attempt)
    return redirect(question_url(attempt, position, one_at_a_time=one))


def question_url(attempt: Attempt, position: int, *, one_at_a_time: bool) -> str:
    """Where question N of a running attempt is: its own page, or its place on the one page."""
    url = reverse("questions:attempt", args=[attempt.pk])
    return f"{url}?q={position}" if one_at_a_time else f"{url}#q-{position}"


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
    go = _go(request, attempt)
    if go is not None and _blank(response):
        return redirect(question_url(attempt, go, one_at_a_time=True))  # Prev/Next, no answer
    try:
        service.attempt_answer(attempt=attempt, position=position, response=response)
    except Attempt.DoesNotExist:  # deleted since it was read ("Delete my account" elsewhere)
        raise Http404("No such quiz attempt.") from None
    except service.AttemptClosed as error:
        return _reply(request, attempt, position, str(error), status=409, closed=True)
    except (service.QuizError, InvalidAnswer) as error:
        return _reply(request, attempt, position, str(error), status=400)
    return _reply(request, attempt, position, "Saved.", status=200, go=go)


def _go(request: HttpRequest, attempt: Attempt) -> int | None:
    """The question a one-at-a-time page's Prev/Next (or map) button asked for, if any."""
    if "go" not in request.POST:
        return None
    return _position(request.POST.get("go"), max(int(attempt.max_score), 1))


def _blank(response: object) -> bool:
    if isinstance(response, dict):
        return all(not value for value in response.values())
    return not response


def _reply(
    request: HttpRequest,
    attempt: Attempt,
    position: int,
    message: str,
    *,
    status: int,
    closed: bool = False,
    go: int | None = None,
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"saved": status == 200, "message": message, "finished": closed}, status=status
        )
    if status == 200:
        messages.success(request, f"Question {position}: answer saved.")
    else:
        messages.error(request, f"Question {position}: {message}")
    target = go if status == 200 and go is not None else position
    return redirect(question_url(attempt, target, one_at_a_time=attempt.one_at_a_time))


@require_GET
def attempt_exercise_file(request: HttpRequest, attempt_id: UUID, position: int) -> HttpResponse:
    """The file of an exercise in an attempt (a .dcm, a .nii.gz, a zipped series), for its
    owner only. Its URL and bytes name the attempt's item, never the seed, which would unlock
    the answers elsewhere."""
    attempt = get_owned_attempt(request, attempt_id)
    item = attempt.items.filter(position=position, exercise_kind__in=list(DOWNLOADS)).first()
    if item is None or not attempt.is_started:  # the data is the question: not before Start
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


@require_http_methods(["GET", "POST"])
def attempt_finish(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    """GET: the summary before finishing (which questions are unanswered, each linked).
    POST: finish. The quiz page's Finish button sends `check`, so with questions unanswered it
    gets the summary to confirm instead; the summary's own button finishes."""
    attempt = service.attempt_refresh(get_owned_attempt(request, attempt_id))
    if attempt.is_finished or not attempt.is_started:
        return redirect(attempt)
    items = list(attempt.items.only("position", "answer", "attempt_id"))
    unanswered = [item.position for item in items if not item.is_answered]
    if request.method == "POST" and not (unanswered and request.POST.get("check")):
        service.attempt_finish(attempt=attempt)  # started: checked above, and never undone
        return redirect(attempt)
    remaining = attempt.remaining_seconds()
    return render(
        request,
        "questions/attempt_finish.html",
        {
            "attempt": attempt,
            "grace": settings.QUIZ_GRACE_SECONDS,
            "remaining_display": f"{remaining // 60}:{remaining % 60:02d}",
            "total": len(items),
            "unanswered": [
                (n, question_url(attempt, n, one_at_a_time=attempt.one_at_a_time))
                for n in unanswered
            ],
        },
    )


@require_POST
def attempt_retry(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    """ "Retry the ones I missed": a new attempt of them, at its start page."""
    attempt = get_owned_attempt(request, attempt_id)
    try:
        retry = service.attempt_retry(attempt=attempt)
    except service.QuizError as error:
        messages.error(request, str(error))
        return redirect(attempt)
    return redirect(retry)


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
