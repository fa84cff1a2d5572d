"""Django's PostgreSQL backend, with a health check that costs no round trip when nothing
is wrong.

With CONN_HEALTH_CHECKS, Django runs "SELECT 1" on a kept connection at the first query of
every request, so that a connection the server closed (a restart, a failover, an operator's
pg_terminate_backend) is replaced instead of failing that request. That round trip was a
tenth of a logged-in page's CPU (the client's and the server's). But a server that closes a
connection says so on the socket first (an error message, then end of file), and an idle
connection between requests is otherwise sent nothing: so the socket is polled first, and
only a socket with something to read gets Django's own "SELECT 1", which keeps the
connection if that something was harmless (a notice) and drops it if the server is gone.
A connection whose peer vanished without a word (a host powered off mid-connection) is not
found by either check until TCP gives up: "SELECT 1" would block there too. One case is
lost: a request that starts in the fraction of a millisecond between the server deciding
to close the connection and its word reaching the socket finds a silent socket and fails
once, where "SELECT 1" would have waited for that word. That request was in flight when the
connection was cut, and a client's retry lands it (the drill's step 4).
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import ConnStatus, TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        pgconn = self.connection.pgconn
        if pgconn.status != ConnStatus.OK:
            return False
        if pgconn.transaction_status == TransactionStatus.IDLE and not _readable(pgconn.socket):
            return True
        return bool(super().is_usable())


def _readable(fd: int) -> bool:
    """Whether the socket has something to read now (poll, not select: any fd number)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
