"""Who owns an attempt: the logged-in user, or the anonymous session's random token."""

from __future__ import annotations

import secrets

from django.http import Http404, HttpRequest

from .models import Attempt
from .owners import Owner

SESSION_KEY = "quiz_owner"


def anon_token(request: HttpRequest, *, create: bool = False) -> str:
    token = request.session.get(SESSION_KEY, "")
    if not token and create:
        token = request.session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def request_owner(request: HttpRequest) -> Owner:
    user = request.user if request.user.is_authenticated else None
    return Owner(user=user, anon_token="" if user else anon_token(request, create=True))


def owned_attempts(request: HttpRequest):
    user = request.user if request.user.is_authenticated else None
    return Attempt.objects.owned_by(user, anon_token(request))


def get_owned_attempt(request: HttpRequest, attempt_id) -> Attempt:
    """The visitor's attempt, or 404 for everyone else's (never 403: ids are not confirmed)."""
    try:
        return owned_attempts(request).get(pk=attempt_id)
    except (Attempt.DoesNotExist, ValueError, TypeError):
        raise Http404("No such quiz attempt.") from None
