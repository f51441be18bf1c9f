"""``DATABASES`` from the environment: the primary (``DATABASE_URL``), its read replicas
(``DATABASE_REPLICA_URLS``) and the settings a connection pooler in transaction mode needs
(``PORTAL_DB_POOLER``). Plain functions of ``environ.Env``, no Django import, so the settings
modules and the tests call the same code.

Without ``DATABASE_REPLICA_URLS`` and ``PORTAL_DB_POOLER`` the result is what it always was:
one database, SQLite by default.
"""

from __future__ import annotations

from typing import Any

import environ

REPLICA_PREFIX = "replica_"
POOLERS = ("", "pgbouncer")


def _postgresql(db: dict[str, Any], env: environ.Env, *, pooler: str) -> None:
    """The portal's PostgreSQL backend and connection options, for the primary and each replica."""
    # Django's backend, whose health check asks the server only when the connection shows
    # a sign of trouble (gov/backends/postgresql/base.py).
    db["ENGINE"] = "gov.backends.postgresql"
    # Behind a pooler in transaction mode the pooler keeps the connections: a worker's own
    # persistent connection would pin a server connection of the pool for nothing.
    db["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0 if pooler else 60)
    db["CONN_HEALTH_CHECKS"] = True
    options = db.setdefault("OPTIONS", {})
    # Memory per sort or hash of a query (PostgreSQL's default, 4MB, sends the overview's
    # grouping of a province's open items to disk). DB_WORK_MEM="" leaves the server's setting.
    # PgBouncer refuses the startup option that carries it ("unsupported startup parameter:
    # options"): behind it, set work_mem on the role (ALTER ROLE ... SET work_mem), README.
    if work_mem := env.str("DB_WORK_MEM", default="" if pooler else "32MB"):
        options["options"] = f"{options.get('options', '')} -c work_mem={work_mem}".strip()
    # Parameters are bound on the server (psycopg's server-side binding) rather than quoted into
    # the SQL by Python, and a statement run DB_PREPARE_THRESHOLD times on a connection is
    # prepared: PostgreSQL parses it once. A submission's statements are the same every time;
    # measured on the bench, 15% less processor per submission. Server-side binding uses the
    # unnamed statement, which PgBouncer's transaction mode carries; named prepared statements
    # it carries only from 1.21 with max_prepared_statements, so a pooler turns preparing off
    # unless DB_PREPARE_THRESHOLD says otherwise. DB_SERVER_SIDE_BINDING=false goes back to
    # Django's default.
    options["server_side_binding"] = env.bool("DB_SERVER_SIDE_BINDING", default=True)
    if prepare_after := env.str("DB_PREPARE_THRESHOLD", default="" if pooler else "5"):
        options["prepare_threshold"] = int(prepare_after)
    else:
        options["prepare_threshold"] = None
    if pooler:
        # A server-side cursor outside a transaction is declared WITH HOLD and read by later
        # statements, which a pooler in transaction mode may send to another server connection.
        db["DISABLE_SERVER_SIDE_CURSORS"] = True


def database_settings(env: environ.Env, *, default_url: str) -> dict[str, dict[str, Any]]:
    """``DATABASES``: ``default`` (the primary, every write and every read not routed) and
    ``replica_0``, ``replica_1``... (``gov.replicas`` routes chosen read-only pages there)."""
    pooler = env.str("PORTAL_DB_POOLER", default="").strip().lower()
    if pooler not in POOLERS:
        raise environ.ImproperlyConfigured(
            f"PORTAL_DB_POOLER={pooler!r}: expected one of {', '.join(p for p in POOLERS if p)}"
        )
    databases = {"default": env.db("DATABASE_URL", default=default_url)}
    replica_urls = [u.strip() for u in env.list("DATABASE_REPLICA_URLS", default=[]) if u.strip()]
    for number, url in enumerate(replica_urls):
        replica = env.db_url_config(url)
        # Under test the replica is the test database as the replica server sees it (a real
        # streaming replica), not a database of its own: Django keeps its HOST and PORT and
        # takes the primary's test NAME.
        replica["TEST"] = {"MIRROR": "default"}
        databases[f"{REPLICA_PREFIX}{number}"] = replica
    for db in databases.values():
        db["ATOMIC_REQUESTS"] = False
        if db["ENGINE"].endswith("postgresql"):
            _postgresql(db, env, pooler=pooler)
    return databases


def replica_aliases(databases: dict[str, dict[str, Any]]) -> list[str]:
    return [alias for alias in databases if alias.startswith(REPLICA_PREFIX)]
