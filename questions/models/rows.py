"""Model instances from hand-written SQL, converted exactly as the ORM converts them.

Compiling a QuerySet costs far more than running it for the site's busiest small queries
(saving a quiz answer: half its CPU). A statement written once per process skips that; what
it must not skip is the conversion of the columns it reads (SQLite's UUIDs, datetimes and
booleans; JSON on both databases), or the same row would read differently on SQLite and on
PostgreSQL than through a QuerySet. `Columns` lists some columns of one model for a SELECT
and turns them back into an instance with the backend's and the fields' own converters and
`Model.from_db`, as the ORM's compiler does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

_M = TypeVar("_M", bound=models.Model)
_T = TypeVar("_T")
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@dataclass(frozen=True)
class Columns(Generic[_M]):
    """Columns of `model` under a table alias: `sql` for the SELECT list, `width` values of
    a row for `instance`. The fields not named are deferred, as with `.only()`."""

    model: type[_M]
    sql: str
    attnames: frozenset[str]
    width: int
    # Per column: the expression the ORM would have selected, and its converters.
    converters: tuple[tuple[Any, tuple[Converter, ...]], ...]

    @classmethod
    def of(
        cls, model: type[_M], names: Sequence[str], alias: str, connection: BaseDatabaseWrapper
    ) -> Columns[_M]:
        """`names` (field names; the primary key is always read) of `model`, in its fields'
        order (Model.from_db expects it). The converters are bound to `connection`'s
        operations: build this per connection alias, not per request."""
        meta = model._meta
        wanted = {meta.pk.name, *names} if meta.pk is not None else set(names)
        fields = [f for f in meta.concrete_fields if f.name in wanted]
        missing = wanted - {f.name for f in fields}
        assert not missing, f"{model.__name__} has no columns {sorted(missing)}"
        quote = connection.ops.quote_name
        converters = []
        for field in fields:
            col = field.get_col(alias)
            found = (*connection.ops.get_db_converters(col), *col.get_db_converters(connection))
            converters.append((col, tuple(found)))
        return cls(
            model=model,
            sql=", ".join(f"{quote(alias)}.{quote(f.column)}" for f in fields),
            attnames=frozenset(f.attname for f in fields),
            width=len(fields),
            converters=tuple(converters),
        )

    def instance(self, values: Sequence[Any], connection: BaseDatabaseWrapper) -> _M:
        """The instance a QuerySet would have built from these columns' values."""
        converted = []
        for value, (col, converters) in zip(values, self.converters, strict=True):
            for convert in converters:
                value = convert(value, col, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.attnames, converted)


def per_connection(
    build: Callable[[BaseDatabaseWrapper], _T],
) -> Callable[[BaseDatabaseWrapper], _T]:
    """`build(connection)` once per connection object (one per thread and alias; its
    wrapper outlives a close and is reused): what holds `Columns` holds converters bound to
    that connection's operations.

    Kept on the wrapper itself, so it goes when the wrapper does (a thread's, when the
    thread ends). Not in a WeakKeyDictionary: the value refers back to its key (SQLite's
    converters are methods of `connection.ops`, whose `connection` is the key), so no
    entry would ever be dropped, one wrapper kept per thread a threaded server started."""
    attribute = f"_per_connection_{build.__module__}.{build.__qualname__}"

    def cached(connection: BaseDatabaseWrapper) -> _T:
        try:
            return connection.__dict__[attribute]
        except KeyError:
            value = connection.__dict__[attribute] = build(connection)
            return value

    return cached
