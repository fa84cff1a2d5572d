"""Session authentication whose CSRF check covers anonymous visitors too.

DRF's SessionAuthentication checks CSRF only for a logged-in user. An anonymous visitor's
session owns things as well (quiz attempts, answers, progress, review cards: see
questions/owners.py), so a page on another site that posts to /api/ with that visitor's
cookie could change them; only SameSite=Lax stops it in today's browsers. Here every
unsafe request that carries the session cookie needs the CSRF token, logged in or not.
Clients without the cookie have no session to forge, and clients that send
`Authorization: Token` are left to TokenAuthentication, which needs no CSRF token.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication
from rest_framework.request import Request


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        scheme = authentication.get_authorization_header(request).split(b" ", 1)[0]
        if scheme.lower() == b"token":
            return None
        found = super().authenticate(request)  # checks CSRF for a logged-in user
        if found is None and settings.SESSION_COOKIE_NAME in request.COOKIES:
            self.enforce_csrf(request)
        return found


class SessionSchemeForSubclass(SessionScheme):
    """The schema describes it as DRF's: the same cookie (drf-spectacular matches exact
    classes; its modules are loaded at start-up already, so this costs nothing)."""

    target_class = "questions.api.authentication.SessionAuthentication"
