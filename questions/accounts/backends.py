"""Django's ModelBackend, loading the user's interviewer role in the same query as the user.

Every page's navigation asks whether its reader is an interviewer ("My sets"), and the
interviewer pages ask it before anything else: a query of its own on every logged-in request,
on top of the user's. Here the role is an EXISTS in the user's own SELECT, read again on every
request as the user is (nothing is kept between requests, so a granted or revoked role counts
from the reader's next request, as before). `is_interviewer` uses it when it is there and
asks the database when it is not (a user loaded any other way).

Logging in, permissions and the inactive-user rule are ModelBackend's.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpRequest

from ..models.interviews import INTERVIEWER_GROUP, ROLE_ATTRIBUTE

# The backend sessions made before this one was added name: kept in AUTHENTICATION_BACKENDS
# after it so that their readers stay logged in (their user is loaded without the role).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@cache
def _user_with_role() -> str:
    q = connection.ops.quote_name
    memberships = User.groups.through._meta
    user, group = memberships.get_field("user").column, memberships.get_field("group").column
    return (
        f"SELECT u.*, EXISTS (SELECT 1 FROM {q(memberships.db_table)} m"
        f" INNER JOIN {q(Group._meta.db_table)} g ON g.{q(Group._meta.pk.column)} = m.{q(group)}"
        f" WHERE m.{q(user)} = u.{q(User._meta.pk.column)} AND g.{q('name')} = %s)"
        f" AS {ROLE_ATTRIBUTE} FROM {q(User._meta.db_table)} u"
        f" WHERE u.{q(User._meta.pk.column)} = %s"
    )


class RoleBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        # As ModelBackend reads it: the id in the primary key's own type, or no user (SQLite
        # would match "1.0" to 1, PostgreSQL would fail the transaction on "x").
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if not isinstance(user_id, int) or not 0 < user_id < 2**63:
            return None
        # Written out rather than built by the ORM: compiling the annotated query was half
        # of a cached page's CPU. The columns are the model's, mapped by name.
        found = list(User._default_manager.raw(_user_with_role(), [INTERVIEWER_GROUP, user_id]))
        if not found:
            return None
        user = found[0]
        # SQLite answers EXISTS with 0 or 1.
        setattr(user, ROLE_ATTRIBUTE, bool(getattr(user, ROLE_ATTRIBUTE)))
        return user if self.user_can_authenticate(user) else None

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = super().authenticate(request, username, password, **kwargs)
        if user is None and password is not None:
            # Refused here: ModelBackend, next in the list for old sessions only, would hash
            # the same password again (twice the cost of every failed log-in).
            raise PermissionDenied
        return user
