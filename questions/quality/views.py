"""Flags from candidates (the practice page and a finished quiz's review) and the staff's
item statistics page.

A flag is answered with a redirect back to the page it came from and a message, and with
nothing else: the response of a flag says nothing about the question's key."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..clients import client_address
from ..models import Question
from ..owners import request_owner
from ..quizzes.selectors import get_owned_attempt
from . import services
from .forms import FlagForm, StatsFilterForm
from .stats import question_rows
from .throttle import flag_wait_seconds

ROWS_PER_PAGE = 50


def _flag(request: HttpRequest, question: Question, label: str = "") -> None:
    """Validate, count against the address's budget, record; say what happened (in a message
    at the top of the page it returns to, hence no #fragment: the message must be seen)."""
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Your flag was not sent. {form.problems()}")
        return
    wait = flag_wait_seconds(client_address(request))
    if wait:
        minutes = -(-wait // 60)
        messages.error(
            request,
            f"Too many flags from your address: try again in {minutes} minute"
            f"{'s' if minutes != 1 else ''}.",
        )
        return
    _, created = services.question_flag(
        owner=request_owner(request), question=question, **form.cleaned_data
    )
    messages.success(
        request,
        f"Thank you: your flag{label} was sent to the editors."
        if created
        else f"Your open flag{label or ' on this question'} was updated.",
    )


@require_POST
def flag_question(request: HttpRequest, question_id: str) -> HttpResponse:
    """From the practice page: the same questions anyone may open there."""
    question = get_object_or_404(Question.objects.active(), ext_id=question_id)
    _flag(request, question)
    return redirect(question)


@require_POST
def flag_item(request: HttpRequest, attempt_id: UUID, position: int) -> HttpResponse:
    """From the review of the visitor's own finished attempt (a retired question included)."""
    attempt = get_owned_attempt(request, attempt_id)
    item = attempt.items.select_related("question").filter(position=position).first()
    if item is None or item.question is None:
        raise Http404("Only questions from the bank can be flagged.")
    if not attempt.is_finished:
        # Nothing is recorded while the clock runs, and nothing about the item is said.
        messages.error(request, "Flag questions from the review, once the quiz has ended.")
        return redirect(attempt)
    _flag(request, item.question, label=f" on question {position}")
    return redirect(attempt)


@require_GET
@staff_member_required
def item_statistics(request: HttpRequest) -> HttpResponse:
    form = StatsFilterForm(request.GET)
    filters = form.filters()
    rows = question_rows(**filters)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quality/item_statistics.html",
        {
            "form": form,
            "page": page,
            "min_attempts": filters["min_attempts"],
            "querystring": query.urlencode(),
        },
    )
