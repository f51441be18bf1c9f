"""Django's PostgreSQL backend, with a health check that costs no round trip when the
connection is plainly healthy (``gov.fast.health``, with the fast paths on; Django's own
``SELECT 1`` with ``PORTAL_FAST_PATHS=false``)."""

from __future__ import annotations

from django.db.backends.postgresql import base

from gov import fast
from gov.fast import health


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if not fast.enabled():
            return super().is_usable()
        return health.is_usable(self.connection, super().is_usable)
