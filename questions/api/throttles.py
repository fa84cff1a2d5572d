"""The API's rate limits: DRF's anonymous and per-account throttles, counting in
`counters`, so that with Redis down they keep counting in each worker's memory instead of
letting every request through (DRF's own read a miss as "no requests yet").

DRF's throttles keep a list of every request's time in the last window (read, then write
back: two Redis round trips, and up to `rate` timestamps pickled each way on every API
request). These count in windows instead, the way a sliding window is approximated: the hits
in this window plus the previous window's, weighted by how much of it still overlaps the
last `duration` seconds. One Redis round trip (`counters.hit`). As with DRF's, a refused
request does not count against the client.
"""

from __future__ import annotations

import math
from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from ..web.cache import counters, window_keys


class WindowedThrottle(SimpleRateThrottle):
    cache = counters
    num_requests: int  # from the rate, set by SimpleRateThrottle.__init__
    duration: int
    current = previous = 0
    elapsed = 0.0

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        self.current, self.previous = counters.hit(self.key, self.duration, self.now)
        self.elapsed = self.now % self.duration
        if self._load(self.current) <= self.num_requests:
            return True
        self.current -= 1  # a refused request is not counted
        counters.incr(window_keys(self.key, self.duration, self.now)[0], -1)
        return False

    def _load(self, current: int, elapsed: float | None = None) -> float:
        """Requests in the last `duration` seconds, estimated."""
        overlap = 1 - (self.elapsed if elapsed is None else elapsed) / self.duration
        return self.previous * overlap + current

    def wait(self) -> float | None:
        """Seconds until one more request is allowed, if no other arrives meanwhile."""
        room = self.num_requests - self.current - 1
        if room >= 0:  # this window still has room once the previous one fades enough
            fade = self.duration * (1 - room / self.previous) if self.previous else 0.0
            return max(1.0, math.ceil(fade - self.elapsed))
        # This window is full: wait for it to end, then for it to fade as the previous one.
        fade = self.duration * (1 - (self.num_requests - 1) / self.current)
        return max(1.0, math.ceil(self.duration - self.elapsed + fade))


class AnonThrottle(WindowedThrottle, AnonRateThrottle):
    pass


class UserThrottle(WindowedThrottle, UserRateThrottle):
    pass
