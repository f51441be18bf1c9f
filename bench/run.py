"""The scale bench (``make bench``): measure the inbox, the leaders' overview, the public API
and the reminders sweep at a small and a large number of petition items.

Steps: migrate and load the reference data into ``DATABASE_URL`` (``laichau_bench``), generate
``BENCH_SMALL`` items (``manage.py generate_data``), measure, top up to ``BENCH_LARGE`` items,
measure again; print the table and write it to ``docs/performance.md``.

- Pages: p50/p95 over ``BENCH_REQUESTS`` sequential requests through gunicorn (2 workers on
  127.0.0.1) with a logged-in session cookie; queries per page counted in-process with
  ``CaptureQueriesContext``. As a provincial leader and as a commune leader (Mường Kim): the
  overview is for leaders only.
- Submissions: 8 concurrent clients POST ``/api/v1/petitions/`` for ``BENCH_SUBMIT_SECONDS``.
- Sweep: ``reminders.sweep.sweep()`` in-process, once.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laichau_portal.settings.bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from complaints.management.commands.generate_data import generated_items  # noqa: E402
from gov.models import Agency, User  # noqa: E402
from gov.services import staff_account_upsert  # noqa: E402

SMALL = int(os.environ.get("BENCH_SMALL", "10000"))
LARGE = int(os.environ.get("BENCH_LARGE", "1000000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
SUBMIT_SECONDS = float(os.environ.get("BENCH_SUBMIT_SECONDS", "20"))
CLIENTS = 8
PORT = int(os.environ.get("BENCH_PORT", "8765"))
PASSWORD = "bench-only-password"
USERS = {
    "provincial leader": ("bench.lanhdao.tinh", "ubnd-tinh"),
    "commune leader": ("bench.lanhdao.muongkim", "ubnd-xa-muong-kim"),
}
TARGETS = {"page_p95_ms": 150, "submit_p95_ms": 60, "submit_per_s": 200, "sweep_s": 10}


@dataclass
class Page:
    name: str
    user: str
    items: int
    queries: int
    p50: float
    p95: float
    status: int


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def accounts() -> dict[str, User]:
    return {
        label: staff_account_upsert(
            username=username,
            agency=Agency.objects.get(code=code),
            role=User.Role.LEADER,
            password=PASSWORD,
            first_name="(bench)",
            last_name=label,
        )
        for label, (username, code) in USERS.items()
    }


def urls() -> dict[str, str]:
    found = {"inbox": reverse("complaints:inbox")}
    try:
        found["dashboard"] = reverse("dashboard:overview")
    except NoReverseMatch:
        print("dashboard:overview does not exist yet: not measured")
    return found


def session_cookie(user: User) -> str:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client.cookies["sessionid"].value


def count_queries(user: User, url: str) -> tuple[int, int]:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get(url)  # warm the per-process caches, as a running worker has them
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    return len(ctx.captured_queries), status


def timed_get(conn: http.client.HTTPConnection, url: str, cookie: str) -> tuple[float, int]:
    start = time.perf_counter()
    conn.request("GET", url, headers={"Cookie": f"sessionid={cookie}"})
    response = conn.getresponse()
    response.read()
    return (time.perf_counter() - start) * 1000, response.status


def measure_pages(users: dict[str, User], items: int) -> list[Page]:
    pages = []
    for name, url in urls().items():
        for label, user in users.items():
            queries, status = count_queries(user, url)
            cookie = session_cookie(user)
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            for _ in range(3):
                timed_get(conn, url, cookie)
            times = [timed_get(conn, url, cookie)[0] for _ in range(REQUESTS)]
            conn.close()
            pages.append(
                Page(
                    name,
                    label,
                    items,
                    queries,
                    percentile(times, 0.5),
                    percentile(times, 0.95),
                    status,
                )
            )
            print(f"  {name:9} {label:18} {pages[-1].p50:7.1f} / {pages[-1].p95:7.1f} ms")
    return pages


# Varied subjects and communes: identical texts would all be flagged as one mass complaint.
SUBJECTS = [
    ("giao-thong", "Cầu treo bản {v} bị hỏng sau mưa lũ, học sinh không qua suối được"),
    ("dat-dai", "Đề nghị cấp giấy chứng nhận quyền sử dụng đất ở cho hộ gia đình tại bản {v}"),
    ("moi-truong", "Xưởng chế biến gỗ gần bản {v} gây ồn và bụi ban đêm"),
    ("chinh-sach-xa-hoi", "Gia đình ở bản {v} chưa nhận được trợ cấp hộ nghèo năm nay"),
    ("y-te", "Trạm y tế xã thiếu thuốc thiết yếu cho người dân bản {v}"),
]
COMMUNES = ["xa-muong-kim", "phuong-tan-phong", "xa-sin-ho", "xa-phong-tho", "xa-than-uyen"]


def submission_body(n: int) -> bytes:
    sector, subject = SUBJECTS[n % len(SUBJECTS)]
    commune = COMMUNES[n // len(SUBJECTS) % len(COMMUNES)]
    text = subject.format(v=f"số {n}")
    return json.dumps(
        {
            "receiving_agency": "ubnd-" + commune,
            "location_unit": commune,
            "content": text + ".",
            "contact_phone": f"09{n:08d}"[-10:],
            "submitters": [{"full_name": f"Lò Văn Kiến {n}", "phone": f"09{n:08d}"[-10:]}],
            "items": [{"kind": "recommendation", "sector": sector, "summary": text}],
        }
    ).encode()


def measure_submissions() -> dict[str, float]:
    url = reverse("complaints-api:petition-submit")
    times: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + SUBMIT_SECONDS

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        n = 0
        while time.monotonic() < deadline:
            n += 1
            headers = {
                "Content-Type": "application/json",
                # One address per request: the throttle is exercised, never reached.
                "X-Forwarded-For": f"10.{k}.{n // 250 % 250}.{n % 250}",
            }
            start = time.perf_counter()
            conn.request("POST", url, body=submission_body(n * CLIENTS + k), headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                (times if response.status == 201 else errors).append(
                    elapsed if response.status == 201 else response.status
                )

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    if errors:
        print(f"  {len(errors)} submissions failed: statuses {sorted(set(errors))}")
    return {
        "count": len(times),
        "p50": percentile(times, 0.5) if times else 0.0,
        "p95": percentile(times, 0.95) if times else 0.0,
        "per_s": len(times) / wall,
        "errors": len(errors),
    }


def measure_sweep() -> float:
    from reminders.sweep import sweep

    start = time.perf_counter()
    sweep()
    return time.perf_counter() - start


class Gunicorn:
    def __enter__(self) -> Gunicorn:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        self.proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "laichau_portal.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                conn.request("GET", "/")
                conn.getresponse().read()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def generate(items: int) -> int:
    call_command("generate_data", items=items, allow_production_settings=True)
    return generated_items().count()


def measure(users: dict[str, User], items: int, *, sweep: bool) -> dict:
    print(f"Measuring at {items} generated items")
    with Gunicorn():
        pages = measure_pages(users, items)
        submit = measure_submissions()
    print(f"  submissions: {submit}")
    result = {"items": items, "pages": pages, "submit": submit, "sweep": None}
    if sweep:
        result["sweep"] = measure_sweep()
        print(f"  sweep: {result['sweep']:.1f} s")
    return result


def table(small: dict, large: dict, command: str) -> str:
    lines = [
        "# Performance at scale",
        "",
        f"Measured by `{command}` (bench/run.py) on {time.strftime('%Y-%m-%d %H:%M')}: "
        "PostgreSQL 15 and Redis on 127.0.0.1, gunicorn with 2 sync workers, a 2-core machine "
        "shared with other work. Latencies in ms through HTTP; queries counted in-process.",
        "",
        f"| measure | at {small['items']:,} items | at {large['items']:,} items | target |",
        "|---|---|---|---|",
    ]
    for a, b in zip(small["pages"], large["pages"], strict=True):
        lines.append(
            f"| {a.name} as {a.user}: p50 / p95 | {a.p50:.0f} / {a.p95:.0f} | "
            f"{b.p50:.0f} / {b.p95:.0f} | p95 ≤ {TARGETS['page_p95_ms']} at the large size |"
        )
        lines.append(
            f"| {a.name} as {a.user}: queries | {a.queries} | {b.queries} | same at both sizes |"
        )
    for key, label, target in (
        ("p95", "submission p95 (8 clients)", f"≤ {TARGETS['submit_p95_ms']}"),
        ("per_s", "submissions per second", f"≥ {TARGETS['submit_per_s']}"),
    ):
        lines.append(
            f"| {label} | {small['submit'][key]:.0f} | {large['submit'][key]:.0f} | {target} |"
        )
    sweep = large["sweep"]
    lines.append(
        f"| reminders sweep (s) | {small['sweep'] or 0:.1f} | {sweep or 0:.1f} | "
        f"≤ {TARGETS['sweep_s']} at the large size |"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference_data", verbosity=0)
    users = accounts()
    small = measure(users, generate(SMALL), sweep=True)
    large = measure(users, generate(LARGE), sweep=True)
    command = f"make bench BENCH_LARGE={LARGE}" if LARGE != 1_000_000 else "make bench"
    text = table(small, large, command)
    print(text)
    out = ROOT / "docs" / "performance.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"Written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
