"""The candidate's own pages: dashboard, history chart, review queue, CSV export."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..models import GlossaryTerm
from ..owners import request_owner
from ..web.owner_cache import own_page
from . import services as progress
from . import stats as progress_stats
from .chart import history_chart
from .review_queue import (
    RATINGS,
    NotRevealed,
    card_front,
    card_reveal,
    due_cards,
    due_phrase,
    outcomes,
    upcoming_cards,
)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Kept per owner until their data changes or a figure goes stale by itself (see
    web/owner_cache.py and stats.dashboard); the CSRF token and navigation are filled per
    request."""
    owner = request_owner(request, create=False)

    def fresh(request: HttpRequest) -> tuple[HttpResponse, datetime]:
        context, stale_at = progress_stats.dashboard(owner)
        return render(request, "progress/dashboard.html", context), stale_at

    return own_page(request, owner, "dashboard", fresh)


@require_GET
def history_svg(request: HttpRequest) -> HttpResponse:
    svg, _alt = history_chart(progress_stats.weekly_history(request_owner(request, create=False)))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response


UPCOMING_SHOWN = 20


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """One due card at a time, as Anki shows it: the prompt, then (after "Show answer") the
    answer and the four ratings, each with the wait FSRS would give it."""
    owner = request_owner(request, create=False)
    due = due_cards(owner)
    card = due.first()
    context: dict[str, object] = {"card": card}
    if card is None:
        context["upcoming"] = list(upcoming_cards(owner)[:UPCOMING_SHOWN])
    else:
        context["remaining"] = due.count()
        context["front"] = card_front(card.question, f"review:{card.pk}")
        if card.revealed_at is not None:
            context["outcomes"] = outcomes(card)
    return render(request, "progress/review.html", context)


@require_POST
def review_reveal(request: HttpRequest, card_id: int) -> HttpResponse:
    card = get_object_or_404(due_cards(request_owner(request)), pk=card_id)
    card_reveal(card=card)
    return redirect(reverse("progress:review") + "#answer")


@require_POST
def review_grade(request: HttpRequest, card_id: int) -> HttpResponse:
    owner = request_owner(request)
    card = get_object_or_404(due_cards(owner), pk=card_id)
    rating = request.POST.get("rating", "")
    if rating not in RATINGS:
        messages.error(request, "Choose again, hard, good or easy.")
        return redirect("progress:review")
    try:
        scheduled = progress.card_reviewed(owner=owner, card=card, rating_name=rating)
    except NotRevealed as refused:
        messages.error(request, str(refused))
        return redirect(reverse("progress:review") + "#answer")
    if scheduled is not None:
        messages.success(request, f"{card.label}: next review {due_phrase(scheduled.due)}.")
    return redirect("progress:review")


@require_POST
def term_mark_hard(request: HttpRequest, term_id: str) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm.objects.active(), ext_id=term_id)
    card = progress.term_reviewed(owner=request_owner(request), term=term, rating_name="again")
    due = f" It is due {due_phrase(card.due)}." if card is not None else ""
    messages.success(request, f"{term.term} is in your review queue.{due}")
    return redirect(term)


@require_GET
def progress_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="imagingprep-progress.csv"'
    progress_stats.history_csv(request_owner(request, create=False), response)
    return response
