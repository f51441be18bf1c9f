"""Django's PostgreSQL backend, with a health check that costs no round trip when the
connection is plainly healthy.

With persistent connections (``CONN_MAX_AGE``) and ``CONN_HEALTH_CHECKS``, Django asks the
server ``SELECT 1`` before a request's first query, so that a connection the server dropped
(a restart, a killed backend, an idle timeout) is replaced instead of failing the request. On
the busiest path, the public submission, that question was one round trip in four. Here the
connection is first looked at locally: a connection the server closed or is closing has
something to read (its termination notice, or the end of the stream) and a healthy idle one
has nothing. Only a connection with something to read, or not idle, is asked ``SELECT 1``.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        pgconn = self.connection.pgconn
        if (
            pgconn.status != pq.ConnStatus.OK
            or pgconn.transaction_status != pq.TransactionStatus.IDLE
        ):
            return super().is_usable()
        try:
            readable, _, _ = select.select([pgconn.socket], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable or super().is_usable()
