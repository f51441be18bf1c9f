"""The portal on a real streaming replica: a primary and its hot standby made on this machine
(tests/pgcluster.py: initdb, pg_basebackup -R, pg_ctl on two free ports), and the probes of
tests/gov/replica_probe.py run by pytest against them, with ``DATABASE_URL`` on the primary and
``DATABASE_REPLICA_URLS`` on the replica: routed pages read the replica, writes never reach it,
the writer reads its own write from the primary."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pgcluster import pg_bindir, primary_and_replica

ROOT = Path(__file__).resolve().parents[2]
PROBES = 5


@pytest.mark.slow
def test_routed_reads_go_to_a_real_streaming_replica_and_writes_never_do() -> None:
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL's server binaries (initdb, pg_ctl, pg_basebackup) are not here")
    with primary_and_replica(bindir) as (primary, replica):
        env = {
            **os.environ,
            "DATABASE_URL": f"{primary.url}/laichau_replica",
            "DATABASE_REPLICA_URLS": f"{replica.url}/laichau_replica",
            "CACHE_KEY_PREFIX": f"{os.environ.get('CACHE_KEY_PREFIX', 'laichau')}-replica",
        }
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "tests/gov/replica_probe.py",
                "-q",
                "-p",
                "no:cacheprovider",
                "--create-db",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
    output = result.stdout[-6000:] + result.stderr[-3000:]
    assert result.returncode == 0, output
    assert re.search(rf"\b{PROBES} passed\b", result.stdout), output
    assert "skipped" not in result.stdout, output
