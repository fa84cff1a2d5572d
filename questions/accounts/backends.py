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

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Col
from django.http import HttpRequest

from ..models.interviews import INTERVIEWER_GROUP, ROLE_ATTRIBUTE

# The backend sessions made before this one was added name: kept in AUTHENTICATION_BACKENDS
# after it so that their readers stay logged in (their user is loaded without the role).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class _UserRead:
    """The user's SELECT with the role, and what turns its row into a User as the ORM does."""

    sql: str
    attnames: list[str]
    # Per column that has any: the ORM's converters (a datetime made aware on SQLite, …).
    converters: list[tuple[int, list[Any], Col]]

    def user(self, row: Sequence[Any], db: BaseDatabaseWrapper) -> User:
        values = list(row[:-1])
        for index, converters, column in self.converters:
            for convert in converters:
                values[index] = convert(values[index], column, db)
        user = User.from_db(db.alias, self.attnames, values)
        # SQLite answers EXISTS with 0 or 1.
        setattr(user, ROLE_ATTRIBUTE, bool(row[-1]))
        return user


@cache
def _user_read() -> _UserRead:
    q = connection.ops.quote_name
    memberships = User.groups.through._meta
    user, group = memberships.get_field("user").column, memberships.get_field("group").column
    fields = User._meta.concrete_fields
    columns = [field.get_col("u") for field in fields]
    sql = (
        f"SELECT {', '.join(f'u.{q(field.column)}' for field in fields)},"
        f" EXISTS (SELECT 1 FROM {q(memberships.db_table)} m"
        f" INNER JOIN {q(Group._meta.db_table)} g ON g.{q(Group._meta.pk.column)} = m.{q(group)}"
        f" WHERE m.{q(user)} = u.{q(User._meta.pk.column)} AND g.{q('name')} = %s)"
        f" FROM {q(User._meta.db_table)} u WHERE u.{q(User._meta.pk.column)} = %s"
    )
    converters = [
        (index, found, column)
        for index, column in enumerate(columns)
        if (
            found := connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        )
    ]
    return _UserRead(sql, [field.attname for field in fields], converters)


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
        # Written out and read with a plain cursor rather than through the ORM: compiling
        # the annotated query was half of a cached page's CPU, and a raw() queryset's
        # column mapping a tenth. The columns are the model's, converted as the ORM does.
        read = _user_read()
        db = connections[DEFAULT_DB_ALIAS]  # once: each use of `connection` looks it up
        with db.cursor() as cursor:
            cursor.execute(read.sql, [INTERVIEWER_GROUP, user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = read.user(row, db)
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
