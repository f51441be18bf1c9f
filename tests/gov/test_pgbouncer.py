"""The portal behind PgBouncer in transaction mode (Debian's 1.18, ``make pgbouncer``), with
``PORTAL_DB_POOLER=pgbouncer``: a representative slice of the suite, every test of it on
PostgreSQL, runs through the pooler (``PGBOUNCER_SLICE``, README says which and why), and the
pooler's own counters show its transactions passed there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import IN_CI
from tests.pgcluster import PGBOUNCER, admin_console, pgbouncer

ROOT = Path(__file__).resolve().parents[2]
DB = "laichau_pgbouncer"
# Every write and read path of a petition (the citizen's form and the API, the fast path's
# one-statement submission, the counter, processing, letters, detection, attachments), the
# reception calendar and log, dialogues and promises, the overview, and the shared pieces
# (scoping, audit, exports, the database helpers). Left out: the slow tests (browsers, crawls,
# a real worker), which only repeat these statements more slowly, and the other apps' tests,
# which use the same connection code.
PGBOUNCER_SLICE = [
    "tests/complaints",
    "tests/reception",
    "tests/dialogues",
    "tests/dashboard",
    "tests/gov",
    "-m",
    "not slow",
]


def _drop(database: str) -> None:
    db = settings.DATABASES["default"]
    subprocess.run(
        ["psql", "-h", str(db["HOST"]), "-p", str(db["PORT"]), "-U", str(db["USER"]),
         "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'],
        check=True,
        capture_output=True,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.postgres
def test_the_suite_passes_through_pgbouncer_in_transaction_mode() -> None:
    if not PGBOUNCER.exists():
        if IN_CI:
            pytest.fail("PgBouncer is not unpacked: `make test` runs `make pgbouncer` first")
        pytest.skip("PgBouncer is not unpacked: make pgbouncer")
    db = settings.DATABASES["default"]
    _drop(f"test_{DB}")
    try:
        with pgbouncer(int(db["PORT"])) as port:
            env = {
                **os.environ,
                "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{port}/{DB}",
                "PORTAL_DB_POOLER": "pgbouncer",
                "CACHE_KEY_PREFIX": f"{os.environ.get('CACHE_KEY_PREFIX', 'laichau')}-pgbouncer",
            }
            env.pop("DATABASE_REPLICA_URLS", None)
            result = subprocess.run(
                [sys.executable, "-m", "pytest", *PGBOUNCER_SLICE, "-q", "-p", "no:cacheprovider",
                 "-W", "ignore::pytest.PytestUnraisableExceptionWarning"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=2400,
            )  # fmt: skip
            pools = {r["database"]: r for r in admin_console(port, "SHOW POOLS")}
            stats = {r["database"]: r for r in admin_console(port, "SHOW STATS")}
    finally:
        _drop(f"test_{DB}")
    output = result.stdout[-8000:] + result.stderr[-3000:]
    assert result.returncode == 0, output
    passed = re.search(r"\b(\d+) passed\b", result.stdout)
    assert passed and int(passed.group(1)) > 500, output
    assert pools[f"test_{DB}"]["pool_mode"] == "transaction"
    assert int(stats[f"test_{DB}"]["total_xact_count"]) > 1_000
