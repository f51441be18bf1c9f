"""A quick before/after measure of one submission's latency, through the API and through the
form's last step, in-process (Django's test client: no server, no network), on the database and
cache the environment names (``DJANGO_SETTINGS_MODULE=laichau_portal.settings.bench``).

    DATABASE_URL=postgres://.../scratch REDIS_URL=redis://.../n \\
        .venv/bin/python bench/submit_latency.py 300

Each submission comes from its own address (``X-Forwarded-For``), as in ``make bench``: the
per-address budget and the day's count are spent, never reached. The form is walked step by
step; only the last step (sending) is timed. Prints p50/p95 in milliseconds.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laichau_portal.settings.bench")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.run import communes, percentile, submission_body  # noqa: E402
from gov.models import AdministrativeUnit, Agency, Sector  # noqa: E402


def _address(n: int) -> str:
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def api(n: int, offset: int, places: list[str]) -> list[float]:
    url, times = reverse("complaints-api:petition-submit"), []
    client = Client(HTTP_HOST="127.0.0.1")
    for i in range(n):
        body = submission_body(offset + i, places)
        start = time.perf_counter()
        response = client.post(
            url, body, content_type="application/json", HTTP_X_FORWARDED_FOR=_address(i)
        )
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 201, response.content
    return times


def form(n: int, offset: int, places: list[str]) -> list[float]:
    url, times = reverse("complaints:submit"), []
    sector = Sector.objects.get(code="dat-dai").pk
    for i in range(n):
        commune = places[i % len(places)]
        unit = AdministrativeUnit.objects.get(code=commune).pk
        agency = Agency.objects.get(code="ubnd-" + commune).pk
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_FOR=_address(100_000 + i))
        steps = [
            ("content", {"kind": "recommendation", "sector": sector}),
            ("place", {"location_unit": unit, "receiving_agency": agency}),
            (
                "submitter",
                {
                    "submitter_type": "person",
                    "full_name": f"Lò Văn Đo {offset + i}",
                    "phone": f"08{offset + i:08d}"[-10:],
                    "address": "Bản Nà Phát",
                    "group_size": 1,
                },
            ),
            ("documents", {}),
        ]
        steps[0][1]["summary"] = f"Đề nghị đo đạc lại ranh giới đất của hộ số {offset + i}."
        client.get(url)
        for step, data in steps:
            payload = {"petition_wizard-current_step": step}
            payload.update({f"{step}-{k}": v for k, v in data.items()})
            client.post(url, payload)
        start = time.perf_counter()
        response = client.post(
            url, {"petition_wizard-current_step": "review", "review-confirm": "on"}
        )
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.content[:2000]
    return times


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    offset = int(time.time()) % 1_000_000 * 10
    places = communes()
    api(20, offset + 9_000_000, places)  # warm up: connections, prepared statements
    for name, run in (("api", api), ("form", form)):
        times = run(n, offset, places)
        print(
            f"{name}: n={n} p50={percentile(times, 0.5):.1f} ms p95={percentile(times, 0.95):.1f} ms"
        )


if __name__ == "__main__":
    main()
