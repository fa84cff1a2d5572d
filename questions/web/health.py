"""Health checks for the load balancer.

/healthz is liveness: the cheapest possible Django view, no I/O. It says the worker answers,
nothing more (the load benchmark also uses it as the framework's own ceiling).

/readyz is readiness: it asks the database and Redis themselves, each bounded by a short
timeout, and answers 503 naming what failed, so the load balancer stops sending visitors to
a host that cannot serve them. What failed is named by its error class only; the details
(hosts, ports) go to the log, not to whoever asks.
"""

from __future__ import annotations

import logging

from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from .cache import ResilientRedisCache

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


def _database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Readiness: the database failed: %s", error)
        return f"failing ({type(error).__name__})"
    return "ok"


def _redis() -> str | None:
    backend = caches["default"]
    if not isinstance(backend, ResilientRedisCache):
        return None  # no Redis configured: nothing to check
    problem = backend.ping()
    if problem:
        logger.warning("Readiness: Redis failed: %s", problem)
        return f"failing ({problem})"
    return "ok"


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    checks = {"database": _database()}
    redis = _redis()
    if redis is not None:
        checks["redis"] = redis
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse(checks, status=200 if ready else 503)
