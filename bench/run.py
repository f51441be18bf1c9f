"""The scale bench (``make bench``): measure the inbox, the leaders' overview, the public API
and the reminders sweep at a small and a large number of petition items.

Steps, once per size: migrate and load the reference data into that size's database
(``BENCH_DB_SMALL``, default ``laichau_bench_small``, and ``BENCH_DB``, default ``laichau_bench``),
generate ``BENCH_SMALL`` or ``BENCH_LARGE`` items there (``manage.py generate_data`` adds only what
is missing, so a second run reuses the million rows), measure; print the table and write it to
``docs/performance.md``. Each size is measured by a child process (``bench/run.py measure``)
whose Django settings point at that size's database.

- Pages: p50/p95 over ``BENCH_REQUESTS`` sequential requests through gunicorn (2 workers on
  127.0.0.1) with a logged-in session cookie; queries per page counted in-process with
  ``CaptureQueriesContext``. As a provincial leader and as a commune leader (Mường Kim): the
  overview is for leaders only. The overview keeps its figures a minute per scope
  (``PORTAL_OVERVIEW_CACHE_SECONDS``): it is measured as served, then by a second gunicorn
  that counts them at every visit; its first request is the one that counts.
- Submissions: 8 concurrent clients POST ``/api/v1/petitions/`` for ``BENCH_SUBMIT_SECONDS``,
  ``BENCH_SUBMIT_RUNS`` times (3; the run of median throughput is reported, beside the others)
  after ``BENCH_SUBMIT_WARMUP_SECONDS`` (5) of submissions not measured:
  varied petitions (subjects, villages, communes, kinds of request drawn at random, one in
  twenty sent again by the same person), each routed, given its deadline and checked for
  duplicates and mass complaints as any submission is. What earlier runs submitted is
  deleted first (``forget_earlier_submissions``), so every run starts from the same rows.
- Sweep: ``reminders.sweep.sweep()`` in-process, on an empty reminder log (the first sweep
  of a day that writes every reminder due), then again (nothing new to write).
"""

from __future__ import annotations

import dataclasses
import http.client
import io
import json
import os
import selectors
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laichau_portal.settings.bench")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.report import KEPT_MARKER, table  # noqa: E402
from demo.generate.rows import generated_items  # noqa: E402
from gov.models import Agency, User  # noqa: E402
from gov.services import staff_account_upsert  # noqa: E402

SMALL = int(os.environ.get("BENCH_SMALL", "10000"))
SMALL_DB = os.environ.get("BENCH_DB_SMALL", "laichau_bench_small")
LARGE_DB = os.environ.get("BENCH_DB", "laichau_bench")
DATABASE_SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
LARGE = int(os.environ.get("BENCH_LARGE", "1000000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
SUBMIT_SECONDS = float(os.environ.get("BENCH_SUBMIT_SECONDS", "20"))
SUBMIT_RUNS = int(os.environ.get("BENCH_SUBMIT_RUNS", "3"))
SUBMIT_WARMUP_SECONDS = float(os.environ.get("BENCH_SUBMIT_WARMUP_SECONDS", "5"))
CLIENTS = 8
PORT = int(os.environ.get("BENCH_PORT", "8765"))
PASSWORD = "bench-only-password"
USERS = {
    "provincial leader": ("bench.lanhdao.tinh", "ubnd-tinh"),
    "commune leader": ("bench.lanhdao.muongkim", "ubnd-xa-muong-kim"),
}


@dataclass
class Page:
    name: str
    user: str
    items: int
    queries: int
    p50: float
    p95: float
    status: int
    first: float = 0.0  # the first request, with nothing cached


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


def logged_in(user: User) -> Client:
    """A leader's whole login: the password (force_login) and the second factor, as
    gov.second_factor marks a session after a right code. Without the second factor every staff
    page answers a redirect to the verification page, which is not what is measured."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def session_cookie(user: User) -> str:
    return logged_in(user).cookies["sessionid"].value


def count_queries(user: User, url: str) -> tuple[int, int]:
    client = logged_in(user)
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


def measure_pages(
    users: dict[str, User], items: int, only: dict[str, str] | None = None, **settings: object
) -> list[Page]:
    """Each page as each user; ``settings`` are those the gunicorn serving it runs with, for
    the in-process count of queries."""
    pages = []
    for name, url in (only or urls()).items():
        for label, user in users.items():
            cookie = session_cookie(user)
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            first, first_status = timed_get(conn, url, cookie)
            if first_status != 200:
                raise SystemExit(f"{url} as {label} answered {first_status}, not the page")
            with override_settings(**settings):
                queries, status = count_queries(user, url)
            for _ in range(2):
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
                    first,
                )
            )
            print(
                f"  {name:9} {label:18} {pages[-1].p50:7.1f} / {pages[-1].p95:7.1f} ms "
                f"(first {first:.0f} ms)",
                flush=True,
            )
    return pages


# What citizens write about, in their words: a subject with a place and a detail, so that two
# submissions rarely say the same thing (identical texts would all form one mass complaint).
SUBJECTS = [
    ("giao-thong", "Cầu treo {v} bị hỏng {d}, học sinh không qua suối được"),
    ("giao-thong", "Đường liên thôn từ {v} ra trung tâm xã sạt lở {d}, xe máy không đi được"),
    ("dat-dai", "Đề nghị cấp giấy chứng nhận quyền sử dụng đất ở cho hộ gia đình tại {v}"),
    ("dat-dai", "Tranh chấp ranh giới nương rẫy giữa hai hộ ở {v} chưa được giải quyết {d}"),
    ("moi-truong", "Xưởng chế biến gỗ gần {v} gây ồn và bụi {d}"),
    ("moi-truong", "Rác thải ở chợ {v} không được thu gom {d}, bốc mùi"),
    ("chinh-sach-xa-hoi", "Gia đình ở {v} chưa nhận được trợ cấp hộ nghèo {d}"),
    ("chinh-sach-xa-hoi", "Đề nghị xem xét hỗ trợ nhà ở cho hộ đồng bào dân tộc thiểu số tại {v}"),
    ("y-te", "Trạm y tế xã thiếu thuốc thiết yếu cho người dân {v} {d}"),
    ("y-te", "Đề nghị bố trí bác sĩ khám định kỳ cho người cao tuổi ở {v}"),
]
VILLAGES = [
    "bản Nà Pò",
    "bản Hô Ta",
    "bản Phiêng Luông",
    "bản Sáng Tùng",
    "bản Lả Mè",
    "bản Nậm Cười",
    "bản Thẳm Phé",
    "bản Co Muông",
    "bản Tà Pạt",
    "bản Pá Khôm",
]
DETAILS = [
    "từ tháng trước",
    "sau trận mưa lũ vừa qua",
    "đã ba tháng nay",
    "từ đầu năm",
    "mặc dù đã báo thôn trưởng",
    "nhiều lần nhưng chưa được trả lời",
    "ban đêm",
    "trong mùa khô",
    "từ khi có dự án",
    "gần hai năm",
]
ASKS = [
    "Đề nghị chính quyền kiểm tra, giải quyết.",
    "Mong các cấp quan tâm xem xét.",
    "Đề nghị trả lời bằng văn bản cho gia đình.",
    "Xin được hướng dẫn thủ tục.",
    "Đề nghị cử cán bộ xuống tận nơi kiểm tra.",
]
FAMILY = ["Lò", "Vàng", "Tòng", "Lù", "Giàng", "Sùng", "Điêu", "Hoàng", "Nguyễn", "Tẩn"]
GIVEN = ["Văn Kiến", "Thị Mai", "A Páo", "Thị Xuân", "Văn Thắng", "A Sử", "Thị Hoa", "Văn Tú"]


def communes() -> list[str]:
    """The current communes and wards that have a People's Committee: where petitions go."""
    from gov.models import AdministrativeUnit

    return sorted(
        Agency.objects.filter(
            kind=Agency.Kind.PEOPLES_COMMITTEE,
            valid_to__isnull=True,
            unit__level=AdministrativeUnit.Level.COMMUNE,
            unit__valid_to__isnull=True,
        ).values_list("unit__code", flat=True)
    )


def submission_body(n: int, places: list[str]) -> bytes:
    """The ``n``-th submission: drawn from ``n`` (reproducible); every twentieth repeats the
    petition of the same person nineteen submissions earlier (a duplicate to detect: that one
    was sent as itself, never a twentieth)."""
    import random

    original = n - 19 if n % 20 == 0 and n >= 20 else n
    rng = random.Random(original)
    sector, subject = rng.choice(SUBJECTS)
    commune = rng.choice(places)
    text = subject.format(v=rng.choice(VILLAGES), d=rng.choice(DETAILS))
    phone = f"09{original:08d}"[-10:]
    return json.dumps(
        {
            "receiving_agency": "ubnd-" + commune,
            "location_unit": commune,
            "content": f"{text}. {rng.choice(ASKS)}",
            "contact_phone": phone,
            "submitters": [
                {"full_name": f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}", "phone": phone}
            ],
            "items": [{"kind": "recommendation", "sector": sector, "summary": text}],
        }
    ).encode()


def _request(url: str, body: bytes, address: str) -> bytes:
    return (
        f"POST {url} HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nX-Forwarded-For: {address}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + body


class _Exchange:
    """One request on its own connection (gunicorn's sync workers close each one): sent,
    then the whole answer read, until the server closes."""

    def __init__(self, client: int, request: bytes) -> None:
        self.client = client
        self.out = memoryview(request)
        self.answer = bytearray()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.start = time.perf_counter()
        self.sock.connect_ex(("127.0.0.1", PORT))


def measure_submissions(seconds: float = SUBMIT_SECONDS) -> dict[str, float]:
    """8 clients, each sending its next submission as soon as the last was answered. The
    requests are written before the clock starts; the 8 clients are 8 connections driven by
    one thread (as a load generator such as wrk drives them), so that the clients, which share
    the 2 cores with the server, take as little of them as they can, and each answer is read
    as soon as it arrives."""
    url = reverse("complaints-api:petition-submit")
    places = communes()
    offset = generated_items().count() * 10  # people and texts the database does not hold
    most = int(seconds * 150)  # per client: more than one can send in the time
    requests = [
        [
            # One address per request: the throttle is exercised, never reached.
            _request(
                url,
                submission_body(offset + n * CLIENTS + k, places),
                f"10.{k}.{n // 250 % 250}.{n % 250}",
            )
            for n in range(1, most + 1)
        ]
        for k in range(CLIENTS)
    ]
    times: list[float] = []
    errors: list[int] = []
    sent = [0] * CLIENTS
    selector = selectors.DefaultSelector()
    deadline = time.monotonic() + seconds

    def send_next(client: int) -> None:
        if time.monotonic() < deadline and sent[client] < len(requests[client]):
            exchange = _Exchange(client, requests[client][sent[client]])
            sent[client] += 1
            selector.register(exchange.sock, selectors.EVENT_WRITE, exchange)

    def finish(exchange: _Exchange, status: int) -> None:
        elapsed = (time.perf_counter() - exchange.start) * 1000
        selector.unregister(exchange.sock)
        exchange.sock.close()
        (times if status == 201 else errors).append(elapsed if status == 201 else status)
        send_next(exchange.client)

    started = time.monotonic()
    for client in range(CLIENTS):
        send_next(client)
    while selector.get_map():
        for key, events in selector.select(timeout=60):
            exchange: _Exchange = key.data
            try:
                if events & selectors.EVENT_WRITE:
                    exchange.out = exchange.out[exchange.sock.send(exchange.out) :]
                    if not exchange.out:
                        selector.modify(exchange.sock, selectors.EVENT_READ, exchange)
                elif chunk := exchange.sock.recv(65536):
                    exchange.answer += chunk
                else:
                    finish(exchange, int(exchange.answer[9:12] or 0))
            except BlockingIOError:
                continue
            except OSError:
                finish(exchange, 0)
    wall = time.monotonic() - started
    selector.close()
    if errors:
        print(f"  {len(errors)} submissions failed: statuses {sorted(set(errors))}")
    return {
        "count": len(times),
        "p50": percentile(times, 0.5) if times else 0.0,
        "p95": percentile(times, 0.95) if times else 0.0,
        "per_s": len(times) / wall,
        "errors": len(errors),
    }


def reference_loop() -> float:
    """Seconds of processor for a fixed pure-Python loop: how fast the machine is right now."""
    start = time.process_time()
    total = 0
    for i in range(3_000_000):
        total += i * i
    return time.process_time() - start


def measure_sweep() -> dict[str, float]:
    """The sweep over every open deadline, as on the first morning (the bench database's
    reminder log emptied first, so every reminder due is written), then again the same day
    (everything already logged). Also how many open items and reminders there were."""
    from complaints.models import PetitionItem
    from complaints.models.items import OPEN_STATUSES
    from reminders.models import Reminder
    from reminders.sweep import sweep

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(Reminder._meta.db_table)}")
    start = time.perf_counter()
    sweep()
    first = time.perf_counter() - start
    start = time.perf_counter()
    sweep()
    again = time.perf_counter() - start
    return {
        "first": first,
        "again": again,
        "open_items": PetitionItem.objects.filter(status__in=OPEN_STATUSES).count(),
        "reminders": Reminder.objects.count(),
    }


class Gunicorn:
    def __init__(self, **env: str) -> None:
        self.env = env

    def __enter__(self) -> Gunicorn:
        env = {**os.environ, "GUNICORN_ACCESS_LOG": "", **self.env}
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


# Every table a submission writes and ``forget_earlier_submissions`` deletes from: vacuumed
# after the deletion, as autovacuum would be in time, so that each run meets the same tables.
VACUUM_SUBMITTED = (
    "VACUUM (ANALYZE) complaints_petitionitem, complaints_petition, complaints_submitter,"
    " complaints_itemdeadline, complaints_itemevent, complaints_hotspot, complaints_hotspot_items"
)


def forget_earlier_submissions() -> int:
    """Delete what earlier runs submitted (every petition whose code is not a generated one,
    with its items, events and deadlines) and the hotspots they raised, so that each run
    starts from the generated rows alone and runs can be compared."""
    from complaints.models import Hotspot, Petition
    from demo.generate.rows import GENERATED_CODE

    Hotspot.objects.all().delete()
    deleted, _ = Petition.objects.exclude(code__regex=GENERATED_CODE).delete()
    return deleted


def measure(items: int) -> dict:
    """Migrate this database, fill it to ``items`` generated items, measure; a JSON report."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference_data", verbosity=0)
    users = accounts()
    forget_earlier_submissions()
    items = generate(items)
    # As beat does in a deployment: the overview's past months are rolled up.
    call_command("refresh_figures", all=True, verbosity=0, stdout=io.StringIO())
    # As autovacuum does between bursts in a running system: the writes of an earlier run
    # (mass flags set on similar submissions) leave no table pages to re-read.
    with connection.cursor() as cursor:
        cursor.execute(VACUUM_SUBMITTED)
    cache.clear()  # nothing computed by an earlier run is served: the first request is cold
    print(f"Measuring at {items} generated items", flush=True)
    with Gunicorn():
        pages = measure_pages(users, items)
    # The overview keeps its figures a minute per scope: measured again counting on every visit.
    # Every page is measured before the submissions write to the tables it reads.
    with Gunicorn(PORTAL_OVERVIEW_CACHE_SECONDS="0"):
        overview = {"dashboard, counted at every visit": urls()["dashboard"]}
        pages += measure_pages(users, items, only=overview, PORTAL_OVERVIEW_CACHE_SECONDS=0)
    # Warming up, not measured: the first submissions after the pages read index pages that
    # no page had read (PostgreSQL's buffers and the system's cache), as a running portal has.
    with Gunicorn():
        measure_submissions(SUBMIT_WARMUP_SECONDS)
    runs = []
    for run in range(SUBMIT_RUNS):
        # Each run from the same rows: what the warm-up and earlier runs submitted goes first.
        forget_earlier_submissions()
        with connection.cursor() as cursor:
            cursor.execute(VACUUM_SUBMITTED)
        with Gunicorn():
            loop = reference_loop()
            runs.append({**measure_submissions(), "reference_loop_s": loop})
        print(f"  submissions, run {run + 1}: {runs[-1]}", flush=True)
    # The run of median throughput, with the others beside it: the machine's speed drifts
    # from minute to minute, and one run of 20 s may fall in a slow minute or a fast one.
    submit = {**sorted(runs, key=lambda r: r["per_s"])[len(runs) // 2], "runs": runs}
    sweep = measure_sweep()
    print(f"  sweep: {sweep}", flush=True)
    return {
        "items": items,
        "pages": [dataclasses.asdict(p) for p in pages],
        "submit": submit,
        "sweep": sweep,
    }


def measure_in_child(database: str, items: int) -> dict:
    """Run ``bench/run.py measure`` with ``DATABASE_URL`` on ``database``."""
    env = {
        **os.environ,
        "DATABASE_URL": f"{DATABASE_SERVER}/{database}",
        "CACHE_KEY_PREFIX": f"laichau-bench-{database}",
    }
    out = ROOT / "bench" / f".result-{database}.json"
    subprocess.run(
        [sys.executable, __file__, "measure", str(items), str(out)], cwd=ROOT, env=env, check=True
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    result["pages"] = [Page(**p) for p in result["pages"]]
    return result


def main() -> None:
    if sys.argv[1:2] == ["measure"]:
        result = measure(int(sys.argv[2]))
        Path(sys.argv[3]).write_text(json.dumps(result), encoding="utf-8")
        return
    small = measure_in_child(SMALL_DB, SMALL)
    large = measure_in_child(LARGE_DB, LARGE)
    command = f"make bench BENCH_LARGE={LARGE}" if LARGE != 1_000_000 else "make bench"
    text = table(small, large, command)
    print(text)
    out = ROOT / "docs" / "performance.md"
    out.parent.mkdir(exist_ok=True)
    # Other scripts' figures (bench/scan.py, bench/audit.py) follow the marker: kept.
    kept = out.read_text(encoding="utf-8").partition(KEPT_MARKER) if out.exists() else ("", "", "")
    out.write_text(text + (f"\n{KEPT_MARKER}{kept[2]}" if kept[1] else ""), encoding="utf-8")
    print(f"Written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
