"""psycopg's cache of parsed statements, widened to a submission's one statement.

- Why: psycopg parses a statement's placeholders once and keeps the result, but only for
  statements of up to 50 parameters (``psycopg._queries.MAX_CACHED_STATEMENT_PARAMS``: bulk
  inserts of varying sizes would only churn its cache). A submission's one statement
  (``gov.fast.inserts.insert_together``) has about a hundred, and is the same statement at
  every submission: parsing it again cost 0.3 ms of processor at each.
- What it buys (docs/performance.md): "psycopg keeps its parsing of them", part of the
  submissions' "3.5 ms in the gunicorn workers" per submission at a million items.
- Private API used: the module ``psycopg._queries`` and its constant. A psycopg without it
  (renamed, or another driver) leaves everything as it is; tests/gov/test_db.py fails if the
  statement is parsed again, so an upgrade that moves it is noticed.

Plain path (``PORTAL_FAST_PATHS=false``): psycopg is left as it ships.
"""

from __future__ import annotations

from gov.fast import enabled

STATEMENT_PARAMS_CACHED = 250


def cache_statements_with_many_parameters() -> None:
    """Let psycopg keep the parsing of statements of up to ``STATEMENT_PARAMS_CACHED``
    parameters (its cache stays bounded: the 128 most recent statements). Called once, when
    the portal starts (``gov.apps``)."""
    if not enabled():
        return
    try:
        from psycopg import _queries
    except ImportError:  # another driver
        return
    if getattr(_queries, "MAX_CACHED_STATEMENT_PARAMS", STATEMENT_PARAMS_CACHED) < (
        STATEMENT_PARAMS_CACHED
    ):
        _queries.MAX_CACHED_STATEMENT_PARAMS = STATEMENT_PARAMS_CACHED
