"""The kept connection's health check (quizsite/postgresql/base.py): a healthy connection is
checked without a round trip, a connection the server closed is replaced before the request
uses it, and one with a harmless message waiting is kept. PostgreSQL only."""

import select
import time
from collections.abc import Iterator

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def kept() -> Iterator[None]:
    """A connection kept between requests, as in production (CONN_MAX_AGE > 0)."""
    connection.close()
    saved = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = saved


@pytest.fixture
def server_checks(monkeypatch) -> list[int]:
    """Counts the "SELECT 1" checks (Django's is_usable) that reach the server."""
    calls: list[int] = []
    django_check = DjangoWrapper.is_usable

    def counted(self):
        calls.append(1)
        return django_check(self)

    monkeypatch.setattr(DjangoWrapper, "is_usable", counted)
    return calls


def _other_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    return psycopg.connect(**params, autocommit=True)


def _wait_readable(fd: int) -> None:
    """Until the server's word reaches the socket (it is sent asynchronously)."""
    assert select.select([fd], [], [], 10)[0], "the server said nothing within 10 s"


def test_a_healthy_kept_connection_is_checked_without_asking_the_server(
    client, kept, server_checks
):
    assert client.get("/readyz").status_code == 200
    pid = connection.connection.info.backend_pid
    for _ in range(3):
        close_old_connections()  # what every request starts with
        assert client.get("/readyz").status_code == 200
    assert connection.connection.info.backend_pid == pid
    assert server_checks == []


def test_a_connection_the_server_closed_is_replaced_before_the_request_uses_it(
    client, kept, server_checks
):
    assert client.get("/readyz").status_code == 200
    pid = connection.connection.info.backend_pid
    with _other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])  # until it exited
    _wait_readable(connection.connection.pgconn.socket)
    close_old_connections()

    assert client.get("/readyz").status_code == 200
    assert connection.connection.info.backend_pid != pid
    assert server_checks == [1]  # the waiting message was read by the server check


def test_a_connection_with_a_harmless_message_waiting_is_kept(client, kept, server_checks):
    assert client.get("/readyz").status_code == 200
    pid = connection.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("LISTEN quizsite_health_test")
    with _other_connection() as other:
        other.execute("NOTIFY quizsite_health_test")
    _wait_readable(connection.connection.pgconn.socket)
    close_old_connections()

    started = time.monotonic()
    assert client.get("/readyz").status_code == 200
    assert time.monotonic() - started < 5
    assert connection.connection.info.backend_pid == pid
    assert server_checks == [1]
