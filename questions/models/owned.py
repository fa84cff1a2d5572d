"""The one rule for "whose rows are these": a user's, or an anonymous session token's."""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)


class OwnedQuerySet(models.QuerySet[_M]):
    def owned_by(self, user: Any, anon_token: str | None) -> Self:
        """Rows of this visitor: the user's, or the anonymous session's (never both)."""
        if user is not None and user.is_authenticated:
            return self.filter(user=user)
        if not anon_token:
            return self.none()
        return self.filter(user__isnull=True, anon_token=anon_token)
