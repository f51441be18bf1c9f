"""A PostgreSQL connection's health read off its socket, without a round trip when it is plainly
healthy. Used by ``gov.backends.postgresql`` when the fast paths are on; its plain twin is
Django's ``is_usable`` (``SELECT 1``).

Why: with persistent connections (``CONN_MAX_AGE``) and ``CONN_HEALTH_CHECKS``, Django asks the
server ``SELECT 1`` before a request's first query, so that a connection the server dropped (a
restart, a killed backend, an idle timeout) is replaced instead of failing the request. On the
busiest path, the public submission, that question was one round trip in four
(docs/performance.md, "What the fence buys"). A connection the server closed or is closing has
something to read (its termination notice, or the end of the stream); a healthy idle one has
nothing. Only a connection with something to read, or not idle, is asked ``SELECT 1``.

Private API: none of Django's; psycopg's public ``pgconn`` (libpq's status, transaction status
and socket). tests/gov/test_backend.py kills a backend and checks that the connection is
replaced.
"""

from __future__ import annotations

import select
from collections.abc import Callable
from typing import Any

from psycopg import pq


def is_usable(connection: Any, ask: Callable[[], bool]) -> bool:
    """Whether the open psycopg ``connection`` can be used: looked at locally, and ``ask``
    (the server's ``SELECT 1``) only when the socket does not say."""
    if connection is None or connection.closed:
        return False
    pgconn = connection.pgconn
    if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return ask()
    try:
        readable, _, _ = select.select([pgconn.socket], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable or ask()
