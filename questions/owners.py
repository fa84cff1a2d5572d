"""Who owns a quiz attempt, an exercise result or progress: a user, or an anonymous session.

Every feature asks the same question of a request ("whose things are these?"), so the answer
lives here once: `request_owner` (with create=False for reads), and `anon_token`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SESSION_KEY = "quiz_owner"


@dataclass(frozen=True)
class Owner:
    """A logged-in user, or an anonymous visitor known by a random token in their session."""

    user: User | None
    anon_token: str = ""

    def fields(self) -> dict[str, Any]:
        if self.user is not None and self.user.is_authenticated:
            return {"user": self.user, "anon_token": ""}
        return {"user": None, "anon_token": self.anon_token}


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view that only logged-in users reach (login_required and the like).

    For annotations only: Django's request is the same object, its user known to be a User.
    """

    user: User


def anon_token(request: HttpRequest, *, create: bool = False) -> str:
    token: str = request.session.get(SESSION_KEY, "")
    if not token and create:
        token = request.session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def request_owner(request: HttpRequest, *, create: bool = True) -> Owner:
    """Whose things this request may touch. Writes create the anonymous token (and with it
    a session row); reads pass create=False, so a visitor without a cookie costs nothing
    stored and owns nothing yet."""
    user = request.user if request.user.is_authenticated else None
    return Owner(user=user, anon_token="" if user else anon_token(request, create=create))
