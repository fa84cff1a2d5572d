"""Who a quiz attempt or an exercise result belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Owner:
    """A logged-in user, or an anonymous visitor known by a random token in their session."""

    user: Any  # a User or None
    anon_token: str = ""

    def fields(self) -> dict[str, Any]:
        if self.user is not None and self.user.is_authenticated:
            return {"user": self.user, "anon_token": ""}
        return {"user": None, "anon_token": self.anon_token}
