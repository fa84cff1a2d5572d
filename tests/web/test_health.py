"""/healthz says the worker answers; /readyz says whether this host can serve visitors: the
database and Redis answer, within short timeouts. The load balancer uses /readyz."""

import time

from django.db import OperationalError, connections
from django.test import Client


def test_liveness_does_no_io_even_with_redis_down(
    db, use_redis, closed_port, django_assert_num_queries
):
    use_redis(closed_port)
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_it_is_ready_when_the_database_and_redis_answer(db, use_redis, own_redis):
    use_redis(own_redis.url)
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_without_redis_configured_only_the_database_is_checked(db):
    assert Client().get("/readyz").json() == {"database": "ok"}


def test_it_is_not_ready_when_redis_refuses_connections(db, use_redis, closed_port):
    use_redis(closed_port)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "failing (ConnectionError)"}


def test_a_hanging_redis_is_reported_within_a_second(db, use_redis, silent_redis):
    use_redis(silent_redis)
    started = time.monotonic()
    response = Client().get("/readyz")
    assert time.monotonic() - started < 1.5
    assert response.status_code == 503 and response.json()["redis"] == "failing (TimeoutError)"


def test_it_is_not_ready_when_the_database_fails(db, monkeypatch):
    def refused():
        raise OperationalError("connection to server at db.internal failed: refused")

    with monkeypatch.context() as patched:
        patched.setattr(connections["default"], "cursor", refused)
        response = Client().get("/readyz")
    assert response.status_code == 503
    # What failed, not where: host names stay in the log.
    assert response.json() == {"database": "failing (OperationalError)"}


def test_the_probes_are_not_redirected_to_https(db, settings):
    """The load balancer probes over plain HTTP; a redirect would read as "down"."""
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/readyz").status_code == 200
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/glossary/").status_code == 301
