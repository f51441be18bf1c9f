"""One retry for a request whose database connection was lost before it wrote anything.

Persistent connections (``CONN_MAX_AGE``) are checked before a request uses them
(``gov/backends/postgresql``), but a check cannot see the future: a backend terminated by an
administrator, a failover or an idle timeout between the check and the request's first query
(or during the request) makes that query fail, and every worker lost one request that way.

``RetryLostConnectionMiddleware``, the outermost middleware, runs the request again once, on a
new connection, when all of these hold:

- it ended with ``OperationalError`` or ``InterfaceError`` and the connection is now unusable
  (a statement timeout, a deadlock or a serialization failure leave it usable: not retried,
  they would only fail again or double the load);
- the connection had served an earlier request (a connection opened by this request that
  fails means the database is down: a retry would only fail again);
- nothing this request sent can have changed the database: every statement it ran was a read
  (``SELECT``, savepoints, ``SET``/``SHOW``), or a write that failed inside a transaction, which
  the server rolls back when the connection drops. A write that succeeded, or failed in
  autocommit (the server may have committed it before the connection broke), rules the retry
  out, and so does any commit, which only follows a write;
- its body can be read again (kept in memory: JSON and form posts within Django's
  ``DATA_UPLOAD_MAX_MEMORY_SIZE``, or uploads already parsed).

So the second run does what the first would have done, and the first left nothing behind in the
database. What the first left outside it is harmless: a throttle counted the request twice,
a session saved nothing (Django does not save a session on a 500). The first run's 500 is never
sent; one WARNING names the method and path (no query string, no data).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.http.response import HttpResponseBase

logger = logging.getLogger(__name__)

READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET ", "SHOW")
ATTEMPT = "_portal_db_attempt"


class _Attempt:
    """An execute wrapper that notes whether a statement of this request may have written, and
    whether one failed because the connection was lost (seen at once: a transaction that ends
    in error reconnects on its way out)."""

    def __init__(self, *, reused: bool) -> None:
        self.reused = reused
        self.may_have_written = False
        self.connection_lost = False

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        db = context["connection"]
        read = sql.lstrip()[:9].upper().startswith(READS)
        in_transaction = db.in_atomic_block
        try:
            result = execute(sql, params, many, context)
        except (OperationalError, InterfaceError):
            self.connection_lost = db.connection is None or not db.is_usable()
            if not (read or in_transaction):
                self.may_have_written = True
            raise
        except Exception:
            if not (read or in_transaction):
                self.may_have_written = True
            raise
        if not read:
            self.may_have_written = True
        return result


def _keep_body(request: HttpRequest) -> None:
    """Read a small body into memory before the view does, so that a second run can read it
    again (DRF reads the stream itself otherwise, and a stream is read once). Uploads are
    left to Django's parser, which keeps what it parsed."""
    if (request.content_type or "").startswith("multipart/"):
        return
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        return
    request.body  # noqa: B018 (kept by the request for a second read)


def _replayable(request: HttpRequest) -> bool:
    return not request._read_started or hasattr(request, "_body") or hasattr(request, "_files")


class RetryLostConnectionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        _keep_body(request)
        attempt = _Attempt(reused=connection.connection is not None)
        setattr(request, ATTEMPT, attempt)
        with connection.execute_wrapper(attempt):
            response = self.get_response(request)
        setattr(request, ATTEMPT, None)
        if not getattr(response, "portal_retry", False):
            return response
        logger.warning(
            "Database connection lost before the request wrote anything: retrying once %s %s",
            request.method,
            request.path,
        )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        attempt: _Attempt | None = getattr(request, ATTEMPT, None)
        if (
            attempt is None
            or not isinstance(exception, OperationalError | InterfaceError)
            or not attempt.connection_lost
            or not attempt.reused
            or attempt.may_have_written
            or not _replayable(request)
        ):
            return None
        connection.close()
        # Replaced by the second run before anything sees it: a 500, so that the session and
        # the messages are not saved, and not logged as a failure.
        response = HttpResponseServerError()
        response.portal_retry = True  # type: ignore[attr-defined]
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
