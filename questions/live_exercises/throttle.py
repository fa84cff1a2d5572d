"""The DICOM inspector's throttle: one budget per client address, shared by the page and the API.

Parsing an upload costs far more than any other anonymous request (up to the inspector's
two-second read limit), so a client address gets its own small rate for it
(REST_FRAMEWORK's "dicom_inspect" rate, `DICOM_INSPECT_THROTTLE`), whether it is logged in
or not: accounts are free, addresses are not. The page and `POST /api/dicom/inspect/`
spend the same budget, so switching between them gains nothing.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from ..web.cache import counters


class DicomInspectThrottle(SimpleRateThrottle):
    scope = "dicom_inspect"
    # Keeps counting, in the worker's memory, while Redis is down (questions/web/cache.py).
    cache = counters

    def get_cache_key(self, request: Any, view: Any) -> str:
        # DRF's get_ident: REMOTE_ADDR, or the client's entry of X-Forwarded-For when
        # NUM_PROXIES says how many proxies stand in front (TRUSTED_PROXY_HOPS, settings).
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class Refusal(NamedTuple):
    message: str
    wait_seconds: int


def dicom_inspect_refusal(request: HttpRequest) -> Refusal | None:
    """Count one inspection from the page: None if allowed, else why not and how long to wait."""
    throttle = DicomInspectThrottle()
    if throttle.allow_request(Request(request), APIView()):
        return None
    wait = max(1, math.ceil(throttle.wait() or 1))
    number, seconds = throttle.parse_rate(throttle.get_rate())
    per = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}.get(seconds or 0)
    limit = f"at most {number} a {per}" if per else "over the limit"
    return Refusal(
        f"Too many files inspected from your address ({limit}). "
        f"Try again in {wait} second{'s' if wait != 1 else ''}.",
        wait,
    )
