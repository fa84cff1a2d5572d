"""The API's rate limits: DRF's anonymous and per-account throttles, counting in
`counters`, so that with Redis down they keep counting in each worker's memory instead of
letting every request through (DRF's own read a miss as "no requests yet")."""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from ..web.cache import counters


class AnonThrottle(AnonRateThrottle):
    cache = counters


class UserThrottle(UserRateThrottle):
    cache = counters
