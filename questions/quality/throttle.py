"""How many flags one client address may send: FLAG_LIMIT per FLAG_WINDOW_SECONDS.

Dedupe (one open flag per owner and question) stops a person repeating themselves; this stops
a script that drops its session cookie on every request from filling the staff's list."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings

from ..web.cache import counters  # the shared cache, or worker memory while Redis is down


def flag_wait_seconds(client: str) -> int:
    """Count one flag from `client`: 0 if allowed, else the seconds until it may flag again."""
    window = settings.FLAG_WINDOW_SECONDS
    now = int(time.time())
    start = now - now % window
    key = f"question-flags:{hashlib.sha256(client.encode()).hexdigest()}:{start}"
    counters.add(key, 0, timeout=window)
    try:
        sent = counters.incr(key)
    except ValueError:  # expired between add and incr
        counters.set(key, 1, timeout=window)
        sent = 1
    return start + window - now if sent > settings.FLAG_LIMIT else 0
