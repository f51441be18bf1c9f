"""The fence around the performance layer: every raw SQL statement and every use of a private
API (Django's or psycopg's) that the portal makes for speed, and the switch that turns them off.

Each fast path was measured on the bench (docs/performance.md, "What the fence buys") and says,
where it is written, why it exists and which figure it buys. Each has a plain twin written with
Django's public API only (the ORM, ``bulk_create``, Django's cache and database backends) that
gives the same results: same rows, same order, same limits. ``PORTAL_FAST_PATHS=false`` runs
the twins everywhere: ``make test`` runs the suite with the fast paths on, then the tests not
marked slow again with them off (``make pytest-plain``), and the fast paths' own tests compare
their results with their twins' on the same data (tests/gov/test_db.py,
tests/complaints/test_fast_twins.py). When Django or psycopg is upgraded and a
fast path breaks, the portal still runs with the switch off while it is mended.

Where the fence stands. ``gov`` imports no other app (tests/test_architecture.py), so this
package holds the generic parts, those that know no domain model:

- ``gov.fast.inserts``: new rows written without compiling Django's ``InsertQuery``, and a
  submission's rows of five tables in one statement (``insert_rows``, ``insert_together``);
- ``gov.fast.driver``: psycopg's cache of parsed statements widened (a private constant);
- ``gov.fast.cache``: one Redis client object per connection pool (six private attributes of
  Django's Redis cache client) and a counter's increment and expiry in one round trip;
- ``gov.fast.health``: the PostgreSQL connection's health read off its socket.

The statements that name a domain's tables live in one module per domain app, beside the code
that calls them, and use this package: ``complaints/fast.py`` (detection's candidate reads,
the mass flags, the hotspot's growth) and ``reminders/sweep.py``'s ``_sweep_in_database`` (the
sweep's ``INSERT … SELECT`` per rule; its twin ``_sweep_in_python`` is in the same module). Nothing else in the portal writes SQL or touches a private API for
speed: tests/test_fast_fence.py reads the source and fails on one outside these modules (its
list names the few other uses and why they are not about speed).

The fast paths are written for PostgreSQL, where they were measured. On another database
(SQLite, the embedded default of ``make run``) the statements take their plain twins.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper


def enabled() -> bool:
    """Whether the fast paths run (``PORTAL_FAST_PATHS``, true unless turned off)."""
    return bool(settings.PORTAL_FAST_PATHS)


def enabled_for(connection: BaseDatabaseWrapper | None = None) -> bool:
    """Whether the statements written for PostgreSQL run on ``connection`` (the default
    database's if none): the fast paths are on and the database is PostgreSQL."""
    db = default_connection if connection is None else connection
    return enabled() and db.vendor == "postgresql"
