"""Template context every page needs."""

from __future__ import annotations

import secrets
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.http import HttpRequest
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape

from ..models.interviews import is_interviewer
from .page_cache import csrf_token, late, late_value, rendering


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


# A cached page's navigation is filled on every response, so its parts are not rendered
# per request: each variant of the role links is rendered once per process, and the account
# links once with placeholders, then filled with the reader's escaped name and CSRF token.
# Keyed by the script prefix, which the links' URLs start with.
@late_value("nav_interviewer")
def _nav_interviewer(request: HttpRequest) -> str:
    """The role links: "My sets" for interviewers, "Item stats" for staff."""
    user = request.user
    interviewer = is_interviewer(user)
    if not interviewer and not user.is_staff:
        return ""
    match = request.resolver_match
    return _role_links(
        interviewer, user.is_staff, match.app_name if match else "", get_script_prefix()
    )


@lru_cache(maxsize=64)
def _role_links(interviewer: bool, staff: bool, app_name: str, prefix: str) -> str:
    """What the role links' template shows for these answers, the only ones it reads."""
    request = SimpleNamespace(
        user=SimpleNamespace(is_staff=staff), resolver_match=SimpleNamespace(app_name=app_name)
    )
    return get_template("questions/_nav_interviewer.html").render(
        {"request": request, "is_interviewer": interviewer}
    )


@late_value("nav_account")
def _nav_account(request: HttpRequest) -> str:
    user = request.user
    if not user.is_authenticated:
        return _nav_for_strangers(get_script_prefix())
    before_name, before_token, after = _account_links(get_script_prefix())
    return "".join(
        (before_name, escape(user.get_username()), before_token, escape(csrf_token(request)), after)
    )


@lru_cache(maxsize=16)
def _nav_for_strangers(prefix: str) -> str:
    """The log-in and sign-up links: the same for every anonymous visitor."""
    return get_template("questions/_nav_account.html").render({})


@lru_cache(maxsize=16)
def _account_links(prefix: str) -> tuple[str, str, str]:
    """A reader's account links, split where their name and CSRF token go: the template
    rendered once with a placeholder for each (letters and digits, which escaping keeps)."""
    name, token = f"name{secrets.token_hex(8)}", f"token{secrets.token_hex(8)}"
    reader = SimpleNamespace(is_authenticated=True, get_username=lambda: name)
    html = get_template("questions/_nav_account.html").render({"user": reader, "csrf_token": token})
    before_name, rest = html.split(name)
    before_token, after = rest.split(token)
    return before_name, before_token, after
