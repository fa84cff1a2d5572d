"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ..models.interviews import is_interviewer
from .page_cache import RENDERING_FLAG, late


def roles(request: HttpRequest) -> dict[str, Any]:
    # Lazy: the group query runs only on pages that render the navigation for a user.
    # Pages rendered before the auth middleware ran (a refused oversized body) have no user.
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "is_interviewer": SimpleLazyObject(lambda: user is not None and is_interviewer(user))
    }
    if getattr(request, RENDERING_FLAG, False):
        # Overrides Django's csrf processor (which runs first): filled in per response.
        context["csrf_token"] = late(request, "csrf")
    return context
