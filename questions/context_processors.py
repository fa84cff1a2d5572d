"""Template context every page needs."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models.interviews import is_interviewer


def roles(request: HttpRequest) -> dict:
    # Lazy: the group query runs only on pages that render the navigation for a user.
    return {"is_interviewer": SimpleLazyObject(lambda: is_interviewer(request.user))}
