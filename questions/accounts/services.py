"""Writes to an account: delete it, rotate its API token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from rest_framework.authtoken.models import Token

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def account_delete(*, user: User) -> None:
    """Delete the user; attempts, results, progress and the API token cascade."""
    # Every user delete, this one included, retires the user's cached pages and locks
    # their attempts first (apps.py: pre_delete).
    user.delete()


def token_rotate(*, user: User) -> Token:
    """A new API token for the user; the old one, if any, stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)
