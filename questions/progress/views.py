"""The candidate's own pages: dashboard, history chart, review queue, CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..models import GlossaryTerm
from ..owners import request_owner
from . import services as progress
from . import stats as progress_stats
from .chart import history_chart
from .review_queue import RATINGS, due_cards


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request, create=False)
    topics = progress_stats.topic_progress(owner)
    streak, weeks = progress_stats.streak_and_history(owner)
    context = {
        "topics": topics,
        "practise_next": progress_stats.practise_next(topics),
        "streak": streak,
        "due": progress_stats.due_count(owner),
        "weeks": weeks,
        "recent": progress_stats.recent_attempts(owner),
        "answers": sum(t.answers for t in topics),
    }
    return render(request, "progress/dashboard.html", context)


@require_GET
def history_svg(request: HttpRequest) -> HttpResponse:
    svg, _alt = history_chart(progress_stats.weekly_history(request_owner(request, create=False)))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    cards = list(due_cards(request_owner(request, create=False))[:50])
    return render(request, "progress/review.html", {"cards": cards})


@require_POST
def review_grade(request: HttpRequest, card_id: int) -> HttpResponse:
    owner = request_owner(request)
    card = get_object_or_404(due_cards(owner).filter(term__isnull=False), pk=card_id)
    rating = request.POST.get("rating", "")
    if rating not in RATINGS:
        messages.error(request, "Choose again, hard, good or easy.")
    else:
        progress.card_reviewed(owner=owner, card=card, rating_name=rating)
        assert card.term is not None  # the query above takes term cards only
        messages.success(request, f"{card.term.term}: next review scheduled.")
    return redirect("progress:review")


@require_POST
def term_mark_hard(request: HttpRequest, term_id: str) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm.objects.active(), ext_id=term_id)
    progress.term_reviewed(owner=request_owner(request), term=term, rating_name="again")
    messages.success(request, f"{term.term} is in your review queue.")
    return redirect(term)


@require_GET
def progress_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="imagingprep-progress.csv"'
    progress_stats.history_csv(request_owner(request, create=False), response)
    return response
