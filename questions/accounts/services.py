"""Writes to an account: delete it, rotate its API token."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from rest_framework.authtoken.models import Token


def account_delete(*, user: User) -> None:
    """Delete the user; attempts, results, progress and the API token cascade."""
    users_delete(User.objects.filter(pk=user.pk))


def users_delete(users: QuerySet[User]) -> None:
    """Delete these users, as account_delete does, by their owner or by staff in the admin."""
    # Every user delete retires the user's cached pages and locks their attempts and
    # interview sets first (apps.py: pre_delete). Django lists the user's rows and deletes
    # them table by table, the user last: a row another tab commits meanwhile (an answer
    # recorded, a card rated) names the user when this commits, and the foreign key refuses
    # the commit. Looking again finds that row too. (By a queryset, as a failed delete has
    # already cleared its instances' pks.) The foreign keys are checked at the commit: inside
    # a caller's transaction (the admin's delete page has one) that commit is the caller's,
    # too late to look again, so they are checked here, before this savepoint ends.
    for tries_left in reversed(range(3)):
        try:
            with transaction.atomic():
                users.delete()
                if connection.vendor == "postgresql":
                    connection.check_constraints()
            return
        except IntegrityError:
            if not tries_left:
                raise


def token_rotate(*, user: User) -> Token:
    """A new API token for the user; the old one, if any, stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)
