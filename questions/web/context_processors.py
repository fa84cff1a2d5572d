"""Template context every page needs."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject

from ..models.interviews import is_interviewer
from .page_cache import late, late_value, rendering


def roles(request: HttpRequest) -> dict[str, Any]:
    # Lazy: the group query runs only on pages that render the navigation for a user.
    # Pages rendered before the auth middleware ran (a refused oversized body) have no user.
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "is_interviewer": SimpleLazyObject(lambda: user is not None and is_interviewer(user))
    }
    if rendering(request):
        # Overrides Django's csrf processor (which runs first): filled in per response.
        context["csrf_token"] = late(request, "csrf")
        # The navigation's per-visitor parts, for base.html to show instead of its own.
        context["late_nav"] = {
            "interviewer": late(request, "nav_interviewer"),
            "account": late(request, "nav_account"),
        }
    return context


# Rendered with a context of their own, without the context processors: a cached page's
# navigation costs the user's group lookup and two small templates, nothing else.
@late_value("nav_interviewer")
def _nav_interviewer(request: HttpRequest) -> str:
    """The role links: "My sets" for interviewers, "Item stats" for staff."""
    interviewer = is_interviewer(request.user)
    if not interviewer and not request.user.is_staff:
        return ""
    return get_template("questions/_nav_interviewer.html").render(
        {"request": request, "is_interviewer": interviewer}
    )


@late_value("nav_account")
def _nav_account(request: HttpRequest) -> str:
    if not request.user.is_authenticated:
        return _nav_for_strangers()
    context = {"user": request.user, "csrf_token": get_token(request)}
    return get_template("questions/_nav_account.html").render(context)


@cache
def _nav_for_strangers() -> str:
    """The log-in and sign-up links: the same for every anonymous visitor, rendered once
    per process (most cached pages go to strangers)."""
    return get_template("questions/_nav_account.html").render({})
