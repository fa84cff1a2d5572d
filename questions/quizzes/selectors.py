"""Reads of quiz attempts that every page and API view shares: only the visitor's own."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from ..models import Attempt
from ..models.attempts import AttemptQuerySet
from ..owners import anon_token


def owned_attempts(request: HttpRequest) -> AttemptQuerySet:
    user = request.user if request.user.is_authenticated else None
    return Attempt.objects.owned_by(user, anon_token(request))


def get_owned_attempt(request: HttpRequest, attempt_id: Any) -> Attempt:
    """The visitor's attempt, or 404 for everyone else's (never 403: ids are not confirmed)."""
    try:
        return owned_attempts(request).get(pk=attempt_id)
    except (Attempt.DoesNotExist, ValueError, TypeError):
        raise Http404("No such quiz attempt.") from None
