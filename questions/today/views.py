"""Today's practice: one session a day, one item at a time. Views coordinate; services.py
draws the queue and checks the answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..catalog import practice
from ..clients import client_address
from ..exercises import KINDS
from ..exercises.downloads import DOWNLOADS
from ..exercises.lookup import prompt_html, solution_html
from ..live_exercises import services as exercises
from ..models import TodayItem, TodaySession
from ..models.today import MAX_GOAL, MIN_GOAL
from ..owners import Owner, request_owner
from ..progress import services as progress
from ..progress import stats as progress_stats
from ..progress.review_queue import NotRevealed, card_front, due_phrase, outcomes
from . import services
from .forms import GoalForm
from .services import Answered, TodayError


@require_GET
def today(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request, create=False)
    session = services.session_of_day(owner)
    if session is None:
        return _intro(request, owner)
    items = services.items_of(session)
    current = services.current_item(items)
    if current is None:
        return _finish(request, owner, session, items)
    return _item_page(request, owner, items, current)


@require_GET
def item(request: HttpRequest, position: int) -> HttpResponse:
    """An item already answered, with its result; the current one lives at /today/."""
    owner = request_owner(request, create=False)
    _session, items, found = _session_item(owner, position)
    if found.answered_at is None:
        return redirect("today:today")
    return _item_page(request, owner, items, found, answered=services.regraded(found))


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    services.session_start(owner=request_owner(request))
    return redirect("today:today")


@require_POST
def goal(request: HttpRequest) -> HttpResponse:
    form = GoalForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["items"]))
        return redirect("today:today")
    owner = request_owner(request)
    items = services.goal_set(owner=owner, items=form.cleaned_data["items"]).items
    running = services.session_of_day(owner)
    if running is not None and running.goal != items:
        messages.success(
            request,
            f"Daily goal set to {items} items, from tomorrow's session; "
            f"today's keeps its {running.goal}.",
        )
    else:
        messages.success(request, f"Daily goal set to {items} items.")
    return redirect("today:today")


@require_POST
def answer(request: HttpRequest, position: int) -> HttpResponse:
    owner = request_owner(request)
    session = _session_or_404(owner)
    try:
        answered = services.item_answer(
            owner=owner,
            session=session,
            position=position,
            form=request.POST,
            seconds=progress.time_spent(request.POST.get("shown")),
        )
    except TodayError as refused:
        messages.error(request, str(refused))
        return redirect("today:today")
    if answered.practice is not None and answered.practice.grade is None:
        # A bad answer to correct, or an open question's model answer to rate against.
        items = services.items_of(session)
        current = next(i for i in items if i.position == position)
        status = 400 if answered.error else 200
        return _item_page(request, owner, items, current, pending=answered, status=status)
    return redirect("today:item", position)


@require_POST
def reveal(request: HttpRequest, position: int) -> HttpResponse:
    owner = request_owner(request)
    try:
        services.item_reveal(owner=owner, session=_session_or_404(owner), position=position)
    except TodayError as refused:
        messages.error(request, str(refused))
    return redirect(reverse("today:today") + "#answer")


@require_POST
def rate(request: HttpRequest, position: int) -> HttpResponse:
    owner = request_owner(request)
    session = _session_or_404(owner)
    try:
        card = services.item_rate(
            owner=owner, session=session, position=position, rating=request.POST.get("rating", "")
        )
    except (TodayError, NotRevealed) as refused:
        messages.error(request, str(refused))
        return redirect("today:today")
    if card is not None:
        messages.success(request, f"{card.label}: next review {due_phrase(card.due)}.")
    return redirect("today:today")


@require_GET
def exercise_file(request: HttpRequest, position: int) -> HttpResponse:
    """The exercise's file, named for the session's item: never the seed."""
    _session, _items, found = _session_item(request_owner(request, create=False), position)
    download = DOWNLOADS.get(found.exercise_kind)
    if download is None:
        raise Http404("This item has no file.")
    try:
        content = download.build(found.exercise, found.file_identity)
    except ValueError as error:  # an exercise no valid file can carry; say so, no traceback
        return HttpResponse(f"No file for this exercise: {error}", status=400)
    response = HttpResponse(content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="today-{position}{download.suffix}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def exercise_figure(request: HttpRequest, position: int) -> HttpResponse:
    """The worked-solution figure, once the exercise is answered."""
    _session, _items, found = _session_item(request_owner(request, create=False), position)
    if not found.exercise_kind or found.answered_at is None:
        raise Http404("The figure comes with the solution, after you check your answers.")
    try:
        content, content_type, _alt = exercises.figure_for(
            found.exercise, client=client_address(request)
        )
    except exercises.RenderRefused as refused:
        response = HttpResponse(str(refused), status=429, content_type="text/plain")
        response["Retry-After"] = str(refused.wait_seconds)
        return response
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _session_or_404(owner: Owner) -> TodaySession:
    session = services.session_of_day(owner)
    if session is None:
        raise Http404("You have not started today's practice.")
    return session


def _session_item(owner: Owner, position: int) -> tuple[TodaySession, list[TodayItem], TodayItem]:
    session = _session_or_404(owner)
    items = services.items_of(session)
    found = next((i for i in items if i.position == position), None)
    if found is None:
        raise Http404("Today's session has no item at that place.")
    return session, items, found


def _goal_context(owner: Owner) -> dict[str, Any]:
    return {
        "goal": services.goal_of(owner),
        "min_goal": MIN_GOAL,
        "max_goal": MAX_GOAL,
        "streak": services.goal_streak(owner),
    }


def _intro(request: HttpRequest, owner: Owner) -> HttpResponse:
    context = {**_goal_context(owner), "due": progress_stats.due_count(owner)}
    return render(request, "today/intro.html", context)


def _finish(
    request: HttpRequest, owner: Owner, session: TodaySession, items: list[TodayItem]
) -> HttpResponse:
    topics: dict[str, dict[str, Any]] = {}
    for done in items:
        title = done.topic.title if done.topic else "Other"
        row = topics.setdefault(title, {"title": title, "right": 0, "total": 0})
        row["total"] += 1
        row["right"] += bool(done.correct)
    upcoming = services.next_reviews(owner)
    context = {
        **_goal_context(owner),
        "session": session,
        "items": items,
        "right": sum(bool(done.correct) for done in items),
        "topics": sorted(topics.values(), key=lambda row: row["title"]),
        "next": upcoming,
        "next_due": due_phrase(upcoming.first.due) if upcoming.first else "",
    }
    return render(request, "today/finish.html", context)


def _item_page(
    request: HttpRequest,
    owner: Owner,
    items: list[TodayItem],
    current: TodayItem,
    *,
    answered: Answered | None = None,
    pending: Answered | None = None,
    status: int = 200,
) -> HttpResponse:
    done = sum(i.answered_at is not None for i in items)
    context: dict[str, Any] = {
        "item": current,
        "total": len(items),
        "done": done,
        "percent": round(100 * done / len(items)),
        "next_position": current.position + 1 if current.position < len(items) else None,
    }
    if current.source == TodayItem.Source.EXERCISE:
        context.update(_exercise_context(current, answered, request))
    elif current.source == TodayItem.Source.REVIEW:
        card = services.review_card_of(owner, current)
        context["card"] = card
        context["front"] = card_front(current.question, current.choice_scope)
        context["revealed"] = current.answered_at is not None or (card and card.revealed_at)
        if card is not None and current.answered_at is None and card.revealed_at is not None:
            context["outcomes"] = outcomes(card)
            context["rate_url"] = reverse("today:rate", args=[current.position])
        if card is not None and current.answered_at is not None:
            context["due_phrase"] = due_phrase(card.due)
    else:
        context.update(_question_context(current, answered or pending, request))
    return render(request, "today/item.html", context, status=status)


def _question_context(
    current: TodayItem, answered: Answered | None, request: HttpRequest
) -> dict[str, Any]:
    question = current.question
    assert question is not None
    result = answered.practice if answered else None
    choices = practice.shown_choices(current.choice_scope, question)
    context: dict[str, Any] = {
        "question": question,
        "result": result,
        "choices": choices,
        "in_today": True,
        "form_action": reverse("today:answer", args=[current.position]),
        "shown": progress.shown_token(),
    }
    if question.type in practice.CHOICE_TYPES and not (result and result.grade):
        context["choices_html"] = render_to_string(
            "questions/_practice_choices.html", {"question": question, "choices": choices}
        )
    return context


def _exercise_context(
    current: TodayItem, answered: Answered | None, request: HttpRequest
) -> dict[str, Any]:
    exercise = current.exercise
    key = (exercise.kind, exercise.seed, exercise.level)
    results = answered.fields if answered else None
    given = current.exercise_answers()
    rows = [
        (f, given.get(f.name, ""), results[f.name] if results else None) for f in exercise.fields
    ]
    context: dict[str, Any] = {
        "exercise": exercise,
        "kind": KINDS[exercise.kind],
        "prompt_html": prompt_html(*key),
        "rows": rows,
        "results": results,
        "right": sum(r.correct for r in results.values()) if results else 0,
        "solution": solution_html(*key) if results else (),
        "shown": progress.shown_token(),
        "file_url": reverse("today:file", args=[current.position])
        if exercise.kind in DOWNLOADS
        else "",
    }
    if results:
        try:
            context["figure_alt"] = exercises.figure_for(exercise, client=client_address(request))[
                2
            ]
        except exercises.RenderRefused as refused:
            context["figure_alt"] = f"The figure is not drawn: {refused}"
    return context
