"""Writes to an account: delete it, rotate its API token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from rest_framework.authtoken.models import Token

from ..models import Attempt
from ..owners import Owner
from ..web.owner_cache import owner_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def account_delete(*, user: User) -> None:
    """Delete the user; attempts, results, progress and the API token cascade."""
    with transaction.atomic():
        owner_changed(Owner(user))  # before the delete, while the user has their id
        # Lock order, as in every quiz write: the attempts, then their items. The delete
        # removes the items before the attempts, so an answer holding its attempt while it
        # waits for its item would otherwise deadlock with it (and PostgreSQL may cancel
        # the deletion). Locked first, an answer waits for the deletion and finds nothing.
        list(Attempt.objects.filter(user=user).select_for_update().values_list("pk"))
        user.delete()


def token_rotate(*, user: User) -> Token:
    """A new API token for the user; the old one, if any, stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)
