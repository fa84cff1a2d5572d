"""Choice identifiers that carry no information about the key.

A choice reaches the browser as an id drawn from a keyed hash of who is looking (one attempt,
or one practice visitor) and the choice's place in the file. The same viewer always gets the
same ids, so a reload or a saved answer lines up; another viewer gets unrelated ones; and
neither the ids nor their order say which choice came first in the file, which authors
often make the right one. The server maps an id back by recomputing the ids of the question's
few choices.
"""

from __future__ import annotations

import hmac
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import salted_hmac

ID_LENGTH = 12  # hex digits: 48 bits, far beyond guessing among a handful of choices


@lru_cache(maxsize=16)
def _keyed(key_salt: str, secret: str) -> hmac.HMAC:
    """salted_hmac's HMAC before any message: its key derivation done once per salt and
    secret key, not once per choice of every page."""
    return salted_hmac(key_salt, b"", secret=secret)


def _hexdigest(key_salt: str, value: str, secret: str | None = None) -> str:
    """salted_hmac(key_salt, value, secret).hexdigest(), with the key derived once."""
    mac = _keyed(key_salt, settings.SECRET_KEY if secret is None else secret).copy()
    mac.update(value.encode())
    return mac.hexdigest()


def choice_id(scope: str, index: int, secret: str | None = None) -> str:
    """The id of the choice at file position `index` for `scope` (an attempt item, a visitor)."""
    return _hexdigest("questions.choice-id", f"{scope}:{index}", secret)[:ID_LENGTH]


def display_order(scope: str, count: int) -> list[int]:
    """A permutation of range(count) that is stable for `scope` and unrelated between scopes."""
    return sorted(
        range(count), key=lambda index: _hexdigest("questions.choice-order", f"{scope}:{index}")
    )


def index_of(scope: str, count: int, given: object) -> int | None:
    """The file position of the choice whose id is `given`, or None if no choice has it.

    Every id is computed and compared, whichever matches: a lookup that stopped at the first
    match would answer faster for the file's first choice, and timing would tell the order.
    """
    return ids_of(scope, count).get(given) if isinstance(given, str) else None


def ids_of(scope: str, count: int) -> dict[str, int]:
    """id -> file position, for all the choices of `scope` at once.

    While the secret key is being rotated, the ids made with the keys in
    SECRET_KEY_FALLBACKS map back too: a candidate whose page was drawn before the new key
    took effect still has their answer saved (the next page shows the new ids, and may
    show the choices in another order)."""
    ids = {}
    for secret in reversed([*settings.SECRET_KEY_FALLBACKS, settings.SECRET_KEY]):
        ids.update({choice_id(scope, index, secret): index for index in range(count)})
    return ids
