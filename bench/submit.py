"""The public API's submission figures alone, on one scratch database: a quick before/after
for a change to the submission path (the whole ``make bench`` takes long at 1M items).

    createdb -h 127.0.0.1 -U postgres laichau_bench_submit
    DJANGO_SETTINGS_MODULE=laichau_portal.settings.bench \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/laichau_bench_submit \\
    REDIS_URL=redis://127.0.0.1:6379/5 CACHE_KEY_PREFIX=laichau-bench-submit \\
    .venv/bin/python bench/submit.py [items, default 10000]

It migrates, fills the database to ``items`` generated items (kept: a second run only
measures), then serves it with gunicorn (2 workers) and runs ``BENCH_SUBMIT_RUNS`` runs of
``BENCH_SUBMIT_SECONDS`` with 8 clients, as ``make bench`` does; every run is printed.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # sets Django up (bench/run.py)
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference_data", verbosity=0)
    run.forget_earlier_submissions()
    items = run.generate(items)
    call_command("refresh_figures", all=True, verbosity=0, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(run.VACUUM_SUBMITTED)
    cache.clear()
    print(f"Submitting at {items} generated items", flush=True)
    # Warming up, not measured; then each run from the same rows, in a fresh server, with the
    # reference loop (the machine's speed at that minute) beside it, as make bench does.
    with run.Gunicorn():
        run.measure_submissions(run.SUBMIT_WARMUP_SECONDS)
    results = []
    for n in range(run.SUBMIT_RUNS):
        run.forget_earlier_submissions()
        with connection.cursor() as cursor:
            cursor.execute(run.VACUUM_SUBMITTED)
        with run.Gunicorn():
            loop = run.reference_loop()
            result = run.measure_submissions()
        results.append(result)
        print(
            f"run {n + 1}: {result['count']} submissions, {result['per_s']:.0f}/s,"
            f" p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms,"
            f" {result['errors']} errors; reference loop {loop:.2f} s",
            flush=True,
        )
    median = sorted(results, key=lambda r: r["per_s"])[len(results) // 2]
    print(f"median run: {median['per_s']:.0f}/s, p95 {median['p95']:.1f} ms")


if __name__ == "__main__":
    main()
