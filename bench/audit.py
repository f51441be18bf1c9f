"""The audit page (``/can-bo/nhat-ky/``) and its export at millions of audit records.

    .venv/bin/python bench/audit.py fill      # once: BENCH_AUDIT_ROWS records (3,000,000)
    .venv/bin/python bench/audit.py measure   # the table of docs/performance-audit.md

``fill`` creates the scratch database ``BENCH_AUDIT_DB`` (``laichau_authz_bench``) if needed,
migrates it, loads the reference data, makes 400 staff accounts spread over the agencies and
writes the records with ``INSERT … SELECT … FROM generate_series`` in chunks of 250,000: one
record every 20 seconds back from now (about 2 years), kinds in the proportions of a working
portal (case views most, then logouts/logins, searches…), a third of case views concerning
another agency. The audit table is append-only (a trigger refuses UPDATE and DELETE), so a
second ``fill`` only adds what is missing up to the number asked.

``measure`` times the page in-process (``django.test.Client``, DEBUG off, the bench settings):
p50/p95 of ``BENCH_AUDIT_REQUESTS`` (20) requests after one to warm, as the provincial
Inspectorate's leader (reads the whole log) and as Mường Kim's leader (their staff's records and
those concerning their agency), with each filter of the page, and the export of 10,000 rows
(CSV and Excel) as the Inspectorate. Queries per page are counted on the warm request.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_AUDIT_DB", "laichau_authz_bench")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laichau_portal.settings.bench")

import psycopg  # noqa: E402

ROWS = int(os.environ.get("BENCH_AUDIT_ROWS", "3000000"))
REQUESTS = int(os.environ.get("BENCH_AUDIT_REQUESTS", "20"))
CHUNK = 250_000
ACCOUNTS = 400
# Kinds and their share per thousand records.
KINDS = [
    ("case_view", 450),
    ("login", 110),
    ("logout", 100),
    ("search", 150),
    ("login_failed", 40),
    ("export", 30),
    ("identity_reveal", 20),
    ("attachment_download", 60),
    ("access_refused", 20),
    ("otp_failed", 15),
    ("role_change", 5),
]


def ensure_database() -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB}"')


ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from gov.models import Agency, AuditRecord, User  # noqa: E402

READERS = {
    "Inspectorate leader": ("bench.audit.thanhtra", "thanh-tra-tinh"),
    "agency leader (Mường Kim)": ("bench.audit.muongkim", "ubnd-xa-muong-kim"),
}


def readers() -> dict[str, User]:
    found = {}
    for label, (username, code) in READERS.items():
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "agency": Agency.objects.get(code=code),
                "role": User.Role.LEADER,
                "first_name": "(bench)",
            },
        )
        found[label] = user
    return found


def staff_accounts() -> None:
    agencies = list(Agency.objects.filter(valid_to__isnull=True).values_list("pk", flat=True))
    have = User.objects.filter(username__startswith="bench.audit.staff").count()
    User.objects.bulk_create(
        User(
            username=f"bench.audit.staff{n}",
            agency_id=agencies[n % len(agencies)],
            role=User.Role.HANDLER,
            first_name="(bench)",
        )
        for n in range(have, ACCOUNTS)
    )


def fill() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference_data", verbosity=0)
    readers()
    staff_accounts()
    kinds_sql = (
        "CASE "
        + " ".join(
            f"WHEN r < {sum(s for _, s in KINDS[: i + 1])} THEN '{kind}'"
            for i, (kind, _share) in enumerate(KINDS)
        )
        + " ELSE 'case_view' END"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM gov_auditrecord")
        start = cursor.fetchone()[0]
        cursor.execute(
            "CREATE TEMP TABLE bench_actor AS SELECT row_number() OVER (ORDER BY id) - 1 AS n,"
            " id, agency_id, username FROM gov_user WHERE username LIKE 'bench.audit.%%'"
        )
        cursor.execute("SELECT count(*) FROM bench_actor")
        actors = cursor.fetchone()[0]
        cursor.execute(
            "CREATE TEMP TABLE bench_agency AS SELECT row_number() OVER (ORDER BY id) - 1 AS n,"
            " id FROM gov_agency"
        )
        cursor.execute("SELECT count(*) FROM bench_agency")
        agencies = cursor.fetchone()[0]
        for first in range(start, ROWS, CHUNK):
            last = min(first + CHUNK, ROWS) - 1
            began = time.perf_counter()
            cursor.execute(
                f"""
                INSERT INTO gov_auditrecord (at, kind, actor_id, actor_agency_id, username, ip,
                    subject_type, subject_id, agency_id, other_agency_id, data)
                SELECT now() - make_interval(secs => (g * 20)::double precision), k.kind, a.id, a.agency_id,
                    a.username, '10.0.0.1'::inet + (g %% 5000),
                    CASE WHEN k.kind IN ('case_view', 'identity_reveal', 'attachment_download')
                         THEN 'complaints.petitionitem' ELSE '' END,
                    CASE WHEN k.kind IN ('case_view', 'identity_reveal', 'attachment_download')
                         THEN (g %% 1000000)::text ELSE '' END,
                    CASE WHEN k.kind = 'case_view' AND g %% 3 = 0 THEN o.id END,
                    NULL, '{{}}'::jsonb
                FROM generate_series(%s, %s) AS g
                CROSS JOIN LATERAL (SELECT (hashint4(g) & 1023) %% 1000 AS r) AS rnd
                CROSS JOIN LATERAL (SELECT {kinds_sql} AS kind) AS k
                JOIN bench_actor a ON a.n = (hashint4(g + 7) & 2147483647) %% %s
                JOIN bench_agency o ON o.n = (hashint4(g + 13) & 2147483647) %% %s
                """,
                [first, last, actors, agencies],
            )
            print(f"  rows {first:,}–{last:,}: {time.perf_counter() - began:.1f} s", flush=True)
        # What autovacuum does to an insert-only table (PostgreSQL 13+) in production: without
        # the visibility map set, a capped count reads 10,000 heap rows instead of the index.
        cursor.execute("VACUUM (ANALYZE) gov_auditrecord")
        cursor.execute("SELECT count(*) FROM gov_auditrecord")
        print(f"audit records: {cursor.fetchone()[0]:,}")


def verified_client(user: User) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(client: Client, url: str, params: dict[str, str], n: int) -> tuple[float, float, int]:
    response = client.get(url, params)  # warm
    assert response.status_code == 200, (url, params, response.status_code)
    size = len(body(response))
    times = []
    for _ in range(n):
        began = time.perf_counter()
        body(client.get(url, params))
        times.append((time.perf_counter() - began) * 1000)
    return percentile(times, 0.5), percentile(times, 0.95), size


def body(response: object) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined]


def filters(reader: User) -> dict[str, dict[str, str]]:
    busy = (
        AuditRecord.objects.filter(username__startswith="bench.audit.staff")
        .order_by("-at")
        .values_list("username", flat=True)
        .first()
    )
    last_month = time.strftime("%Y-%m-%d", time.localtime(time.time() - 30 * 86400))
    agency = str(reader.agency_id)
    return {
        "no filter": {},
        "kind: identity revealed": {"kind": "identity_reveal"},
        "kind: role changed (rare)": {"kind": "role_change"},
        "account": {"username": busy or ""},
        "agency": {"agency": agency},
        "one day a month ago": {"at_after": last_month, "at_before": last_month},
        "kind + agency": {"kind": "case_view", "agency": agency},
        "page 100": {"page": "100"},
    }


def measure() -> None:
    url = reverse("gov:audit_log")
    rows = AuditRecord.objects.count()
    print(f"audit records: {rows:,}; {REQUESTS} requests each after one to warm")
    print("| reader | filter | p50 ms | p95 ms | bytes |")
    print("|---|---|---:|---:|---:|")
    for label, reader in readers().items():
        client = verified_client(reader)
        for name, params in filters(reader).items():
            p50, p95, size = timed(client, url, params, REQUESTS)
            print(f"| {label} | {name} | {p50:.0f} | {p95:.0f} | {size:,} |", flush=True)
    inspector = verified_client(readers()["Inspectorate leader"])
    for fmt in ("csv", "xlsx"):
        p50, p95, queries = timed(inspector, url, {"format": fmt}, 3)
        print(
            f"| Inspectorate leader | export of 10,000 rows ({fmt}) | {p50:.0f} | {p95:.0f} | {queries} |"
        )


if __name__ == "__main__":
    step = sys.argv[1] if len(sys.argv) > 1 else "all"
    if step in {"fill", "all"}:
        fill()
    if step in {"measure", "all"}:
        measure()
