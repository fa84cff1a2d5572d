"""Choice identifiers that carry no information about the key.

A choice reaches the browser as an id drawn from a keyed hash of who is looking (one attempt,
or one practice visitor) and the choice's place in the file. The same viewer always gets the
same ids, so a reload or a saved answer lines up; another viewer gets unrelated ones; and
neither the ids nor their order say which choice came first in the file, which authors
often make the right one. The server maps an id back by recomputing the ids of the question's
few choices.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import salted_hmac

ID_LENGTH = 12  # hex digits: 48 bits, far beyond guessing among a handful of choices


@lru_cache(maxsize=4)
def _id_key(secret: str) -> bytes:
    """The key salted_hmac("questions.choice-id", …) derives from SECRET_KEY, derived once:
    every answer and question page computes a handful of ids, and deriving it each time
    was half their cost."""
    return hashlib.sha1(b"questions.choice-id" + secret.encode()).digest()


def choice_id(scope: str, index: int) -> str:
    """The id of the choice at file position `index` for `scope` (an attempt item, a visitor):
    salted_hmac("questions.choice-id", f"{scope}:{index}"), its key kept."""
    message = f"{scope}:{index}".encode()
    digest = hmac.new(_id_key(settings.SECRET_KEY), message, hashlib.sha1).hexdigest()
    return digest[:ID_LENGTH]


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
