"""The fence around the performance layer (gov.fast): raw SQL and the private APIs of Django and
psycopg are used for speed only in the modules the fence names, each with a plain twin that
``PORTAL_FAST_PATHS=false`` runs. This reads the source and fails on a use anywhere else."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "gov",
    "complaints",
    "reception",
    "dialogues",
    "reminders",
    "dashboard",
    "privacy",
    "demo",
    "laichau_portal",
]

# What marks raw SQL or the database driver's own API.
PATTERN = re.compile(
    r"\.execute\(|\bRawSQL\(|\.raw\(|\.extra\(|\bpgconn\b|^\s*(import|from) psycopg\b"
    r"|\bcursor\(\)|_get_connection_pool_index|\._pools\b"
)

# The fence: written for speed, each with its plain twin (gov/fast/__init__.py says what each
# buys).
FENCE = {
    "gov/fast/__init__.py",
    "gov/fast/cache.py",
    "gov/fast/driver.py",
    "gov/fast/health.py",
    "gov/fast/inserts.py",
    "complaints/fast.py",
    "reminders/sweep.py",  # _sweep_in_database: the sweep's INSERT … SELECT, beside its twin
}

# Raw SQL that is not about speed, and why; these have no twin because nothing else does it.
ELSEWHERE = {
    "gov/backup.py": "the SQLite backup's online copy and each table's checksum for restore",
    "gov/crypto.py": "key rotation: batches of rows re-encrypted by primary key ranges",
    "gov/db.py": "asks PostgreSQL whether it has the ICU collation; SET LOCAL plan_cache_mode",
    "gov/health.py": "/readyz's SELECT 1",
    "demo/generate/rows.py": "the bench's generator: COPY of a million rows (not the portal)",
    "demo/management/commands/generate_data.py": "the generator's ANALYZE/TRUNCATE of tables",
}


def _uses() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            rel = path.relative_to(ROOT).as_posix()
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if PATTERN.search(line.split("#", 1)[0]):
                    found.setdefault(rel, []).append(n)
    return found


def test_raw_sql_and_private_apis_live_only_inside_the_fence() -> None:
    outside = {f: lines for f, lines in _uses().items() if f not in FENCE | ELSEWHERE.keys()}
    assert outside == {}, (
        "raw SQL or a private database API outside gov.fast's fence: move it to the app's "
        "fast.py with a plain twin, or list it in ELSEWHERE with the reason"
    )


def test_the_fence_lists_no_module_that_has_left_it() -> None:
    uses = _uses()
    assert {f for f in FENCE | ELSEWHERE.keys() if f not in uses} <= {"gov/fast/__init__.py"}


def test_every_module_of_the_fence_says_what_it_buys_and_its_twin() -> None:
    for name in FENCE - {"reminders/sweep.py"}:
        doc = (ROOT / name).read_text(encoding="utf-8").split('"""')[1]
        assert "twin" in doc or "Plain path" in doc, name
