"""The shared cache, built to fail soft: Redis going away slows the site down, it does not
take it down.

`ResilientRedisCache` is Django's RedisCache with one difference: when Redis cannot be
reached or does not answer within its socket timeouts, reads are misses, writes are dropped,
and the failure is logged once. The process then leaves Redis alone for `FAILURE_PAUSE`
seconds (every call in that time is an immediate miss), so a hanging Redis costs one timeout
per pause per worker, not one per cache call. Everything the site caches can be recomputed
(pages, figures) or lives in the database as well (sessions are cached_db), so a miss is
always safe.

Callers for which a miss is *not* a safe answer, counters that throttle, can tell:
`cache_is_failing()` is true during the pause, and `incr` (and `decr`) raise
`CacheUnavailable` instead of pretending. `counters` is a ready-made answer for them: the
shared cache while it answers, this process's memory while it does not.
"""

from __future__ import annotations

import logging
from time import monotonic
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Per process, shared by the threads of a worker (Django keeps one cache object per thread,
# so module state is how one thread's timeout spares the others). Per Redis location: until
# when (monotonic()) it is left alone, and the keys whose writes were dropped meanwhile.
_failing_until: dict[str, float] = {}
_dropped: dict[str, set[tuple[Any, int | None]]] = {}
# A dropped write can leave an old value in Redis (a session, the page cache's content
# version); those keys are deleted when Redis answers again. Past this many, some are not.
DROPPED_KEYS_LIMIT = 10_000


class CacheUnavailable(Exception):
    """The shared cache cannot answer now. Not a ValueError: Django's incr raises that for
    a missing key, and a caller that then starts a fresh count would never reach a limit."""


# The throttles' count (ResilientRedisCache.hit). A missing previous window reads as 0: a
# nil would end the reply's list there.
_HIT = """
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return {count, redis.call('GET', KEYS[2]) or 0}
"""


class _ReusedClients(RedisCacheClient):
    """Django's client builds a new redis.Redis for every cache call, copying its table of
    reply callbacks each time: 70 µs, more than the round trip it prepares (a third of a
    throttled API request's cache cost). A redis.Redis is a thread-safe handle on its
    connection pool, so one per pool serves every call."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's private helpers (not in its stubs): the pool this call goes to, and the
        # client class.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class ResilientRedisCache(RedisCache):
    """RedisCache whose connection errors and timeouts are misses (see the module's doc).

    Settings: LOCATION and OPTIONS as for RedisCache (OPTIONS go to redis-py's connection
    pool: socket_connect_timeout and socket_timeout bound each call), plus
    FAILURE_PAUSE_SECONDS (default 5) at the top level of the cache's settings.

    A write that is dropped is remembered, and its key deleted once Redis answers again: the
    value Redis still holds may be older than the truth (cached_db sessions were saved to
    the database meanwhile; `load_content` changed the content version).
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ReusedClients
        self._location = str(server)
        self.failure_pause = float(params.get("FAILURE_PAUSE_SECONDS", 5))

    def is_failing(self) -> bool:
        return _failing_until.get(self._location, 0.0) > monotonic()

    def _failed(self, operation: str, error: Exception) -> None:
        paused = isinstance(error, RedisConnectionError | RedisTimeoutError | OSError)
        if paused:
            _failing_until[self._location] = monotonic() + self.failure_pause
        # The error's class and message only: a traceback per failure would flood the log,
        # and the pause already keeps this to one line per worker every few seconds.
        logger.warning(
            "Cache %s failed (%s: %s); treated as a miss%s",
            operation,
            type(error).__name__,
            error,
            f", Redis left alone for {self.failure_pause:g} s" if paused else "",
        )

    def _drop(self, keys: list[Any], version: int | None) -> None:
        dropped = _dropped.setdefault(self._location, set())
        for key in keys:
            if len(dropped) >= DROPPED_KEYS_LIMIT:
                logger.warning("Too many dropped cache writes to undo; some may read stale")
                return
            dropped.add((key, version))

    def _recover(self) -> None:
        """After a pause, before anything is read: delete what may be stale."""
        stale = _dropped.pop(self._location, set())
        try:
            for key, version in stale:
                RedisCache.delete(self, key, version)
        except (RedisError, OSError) as error:
            _dropped.setdefault(self._location, set()).update(stale)
            self._failed("delete", error)
            return
        _failing_until.pop(self._location, None)
        logger.warning("Cache tried again after a pause; %d stale keys deleted", len(stale))

    def _call(
        self,
        operation: str,
        fallback: Any,
        call: Any,
        *args: Any,
        writes: list[Any] | None = None,
        version: int | None = None,
    ) -> Any:
        if not self.is_failing():
            try:
                if self._location in _failing_until:
                    self._recover()  # raises nothing: a failure pauses again
                if not self.is_failing():
                    return call(*args)
            except (RedisError, OSError) as error:
                self._failed(operation, error)
        if writes:
            self._drop(writes, version)
        return fallback

    def ping(self) -> str:
        """ "" when Redis answers, else what went wrong: for the readiness check, which asks
        Redis itself even while the process leaves it alone."""
        try:
            # RedisCache's own method, past this class's misses: one round trip, like PING.
            RedisCache.has_key(self, "readiness-probe")
        except (RedisError, OSError) as error:
            return type(error).__name__
        return ""

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", default, super().get, key, default, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call("has_key", False, super().has_key, key, version)

    def add(
        self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._call(
            "add", False, super().add, key, value, timeout, version, writes=[key], version=version
        )

    def set(
        self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._call(
            "set", None, super().set, key, value, timeout, version, writes=[key], version=version
        )

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        # Django's contract: the keys that were not stored.
        keys = list(data)
        return self._call(
            "set_many", keys, super().set_many, data, timeout, version, writes=keys, version=version
        )

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(
            "delete", False, super().delete, key, version, writes=[key], version=version
        )

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        keys = list(keys)
        self._call(
            "delete_many", None, super().delete_many, keys, version, writes=keys, version=version
        )

    def clear(self) -> None:
        self._call("clear", None, super().clear)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        missing = object()
        result = self._call("incr", missing, super().incr, key, delta, version)
        if result is missing:
            raise CacheUnavailable("The shared cache is not answering; nothing was counted.")
        return int(result)

    def hit(self, current: str, previous: str, timeout: int) -> tuple[int, int]:
        """Count one hit under `current` (kept `timeout` seconds) and read `previous`, in
        one round trip and one command (a script: INCR, EXPIRE, GET; a pipeline of the
        three cost a fifth more to pack and parse). CacheUnavailable if Redis does not
        answer."""

        def run() -> tuple[int, int]:
            keys = (self.make_and_validate_key(current), self.make_and_validate_key(previous))
            # Django's client picks the primary for writes; the script goes there.
            client = self._cache.get_client(keys[0], write=True)  # type: ignore[attr-defined]
            # EVAL, not EVALSHA: Redis keeps the compiled script either way, and sending its
            # few bytes cost no more than a NOSCRIPT case would need handling.
            count, before = client.eval(_HIT, 2, *keys, timeout)
            return int(count), int(before)  # Django stores integers as plain numbers

        missing = object()
        result = self._call("hit", missing, run)
        if result is missing:
            raise CacheUnavailable("The shared cache is not answering; nothing was counted.")
        return result


def window_keys(key: str, window: int, now: float) -> tuple[str, str]:
    """The keys counting `key`'s hits in the current and in the previous window."""
    bucket = int(now // window)
    return f"{key}:{bucket}", f"{key}:{bucket - 1}"


def _hit(cache: BaseCache, current: str, previous: str, timeout: int) -> tuple[int, int]:
    cache.add(current, 0, timeout)
    try:
        count = cache.incr(current)
    except ValueError:  # evicted between the two calls
        cache.set(current, count := 1, timeout)
    return count, int(cache.get(previous) or 0)


def cache_is_failing(alias: str = "default") -> bool:
    """True while the cache `alias` is a ResilientRedisCache that has just failed: reads
    are misses and writes are dropped until it answers again."""
    backend = caches[alias]
    return isinstance(backend, ResilientRedisCache) and backend.is_failing()


class FallbackCounters(BaseCache):
    """Django's default cache while it answers, this process's memory while it does not.

    For counters that must keep counting (throttles: `cache = counters` on a DRF throttle):
    with Redis down they neither crash nor let every request through. The limit then holds
    per worker process instead of site-wide, looser by the number of workers but still a
    limit. The calls throttles use: get, get_many, set, add, incr/decr, touch, delete and
    delete_many (deletes go to both, so counts taken during an outage do not linger).
    """

    _MISSING = object()

    def __init__(self) -> None:
        super().__init__({})
        self.local = LocMemCache("fallback-counters", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    def _shared(self) -> BaseCache:
        return caches["default"]

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        if not cache_is_failing():
            value = self._shared().get(key, self._MISSING, version)
            if not cache_is_failing():
                return default if value is self._MISSING else value
        return self.local.get(key, default, version)

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        if not cache_is_failing():
            self._shared().set(key, value, timeout, version)
            if not cache_is_failing():
                return
        self.local.set(key, value, timeout, version)

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        if not cache_is_failing():
            added = self._shared().add(key, value, timeout, version)
            if not cache_is_failing():
                return added
        return self.local.add(key, value, timeout, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """Like Django's: ValueError if the key is missing."""
        if not cache_is_failing():
            try:
                return self._shared().incr(key, delta, version)
            except CacheUnavailable:
                pass
        return self.local.incr(key, delta, version)

    def hit(self, key: str, window: int, now: float) -> tuple[int, int]:
        """Count a hit of `key` in the current window of `window` seconds; return the hits
        counted in this window and in the previous one. One Redis round trip (throttles run
        on every API request), in memory while Redis is down."""
        current, previous = window_keys(key, window, now)
        if not cache_is_failing():
            shared = self._shared()
            try:
                if isinstance(shared, ResilientRedisCache):
                    return shared.hit(current, previous, 2 * window)
                return _hit(shared, current, previous, 2 * window)
            except CacheUnavailable:
                pass
        return _hit(self.local, current, previous, 2 * window)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        if not cache_is_failing():
            found = self._shared().get_many(keys, version)
            if not cache_is_failing():
                return found
        return self.local.get_many(keys, version)

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        if not cache_is_failing():
            touched = self._shared().touch(key, timeout, version)
            if not cache_is_failing():
                return touched
        return self.local.touch(key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        local = self.local.delete(key, version)
        return self._shared().delete(key, version) or local

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        keys = list(keys)
        self.local.delete_many(keys, version)
        self._shared().delete_many(keys, version)


counters = FallbackCounters()
