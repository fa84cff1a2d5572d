"""Choice identifiers that carry no information about the key.

A choice reaches the browser as an id drawn from a keyed hash of who is looking (one attempt,
or one practice visitor) and the choice's place in the file. The same viewer always gets the
same ids, so a reload or a saved answer lines up; another viewer gets unrelated ones; and
neither the ids nor their order say which choice came first in the file, which authors
often make the right one. The server maps an id back by recomputing the ids of the question's
few choices.
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac

ID_LENGTH = 12  # hex digits: 48 bits, far beyond guessing among a handful of choices


def choice_id(scope: str, index: int) -> str:
    """The id of the choice at file position `index` for `scope` (an attempt item, a visitor)."""
    return salted_hmac("questions.choice-id", f"{scope}:{index}").hexdigest()[:ID_LENGTH]


def display_order(scope: str, count: int) -> list[int]:
    """A permutation of range(count) that is stable for `scope` and unrelated between scopes."""
    return sorted(
        range(count),
        key=lambda index: salted_hmac("questions.choice-order", f"{scope}:{index}").hexdigest(),
    )


def index_of(scope: str, count: int, given: object) -> int | None:
    """The file position of the choice whose id is `given`, or None if no choice has it.

    Every id is computed and compared, whichever matches: a lookup that stopped at the first
    match would answer faster for the file's first choice, and timing would tell the order.
    """
    return ids_of(scope, count).get(given) if isinstance(given, str) else None


def ids_of(scope: str, count: int) -> dict[str, int]:
    """id -> file position, for all the choices of `scope` at once."""
    return {choice_id(scope, index): index for index in range(count)}
