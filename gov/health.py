"""What an operator (or a load balancer, or Prometheus) asks the portal about its own health.

- ``/healthz``: liveness. The process answers; nothing else is touched.
- ``/readyz``: readiness, as JSON: the database, the cache, the broker, and each periodic job's
  last run and the last delivery of a message. HTTP 503 only when the database does not answer
  (the web node cannot serve); a cache or broker down, or a job late, is "degraded" (200): the
  portal still serves, and the body says what to look at.
- ``/metrics``: Prometheus' text format (``prometheus-client``): requests by view (latency
  histogram), the broker's queue depth, each app's backlog (``register_backlog``), each job's
  last success and duration. Behind ``PORTAL_METRICS_TOKEN`` (a bearer token) when set; without
  it only from the machine itself (loopback).

None of them carries personal data: names of jobs, queues and backlogs, counts, times.

Apps add their backlogs (messages still to send) in their ``AppConfig.ready`` with
``gov.metrics.register_backlog``, so ``gov`` reads them without importing the apps above it.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from . import jobs
from .http import client_ip
from .metrics import broker_queue_depth, exposition

BROKER_TIMEOUT_SECONDS = 1


def _timed(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    clock = time.monotonic()
    try:
        result = check()
    except Exception as exc:
        result = {"status": "fail", "error": type(exc).__name__}
    result["ms"] = round((time.monotonic() - clock) * 1000, 1)
    return result


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor}


def check_cache() -> dict[str, Any]:
    """Redis itself, not the cache: the cache goes on in memory when Redis is down
    (``gov.cache``), which keeps pages up but lets throttles count per process."""
    if not settings.REDIS_URL:
        return {"status": "ok", "backend": "local memory"}
    import redis

    timeout = settings.CACHES["default"].get("OPTIONS", {}).get("socket_timeout", 0.5)
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout
    )
    try:
        client.ping()
    finally:
        client.close()
    return {"status": "ok", "backend": "redis"}


def check_broker() -> dict[str, Any]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "ok", "mode": "in-process"}
    return {"status": "ok", "mode": "broker", "queued": broker_queue_depth(BROKER_TIMEOUT_SECONDS)}


def check_jobs() -> dict[str, Any]:
    states = jobs.last_runs()
    out: dict[str, Any] = {}
    for state in states:
        run = state.run
        out[state.name] = {
            "status": "late" if state.late else "ok",
            "last_success": run.last_succeeded_at.isoformat()
            if run and run.last_succeeded_at
            else None,
            "seconds_since_success": None
            if state.seconds_since_success is None
            else round(state.seconds_since_success),
            "last_outcome": run.last_outcome if run else None,
            "last_duration_seconds": run.last_duration_seconds if run else None,
        }
    return {"status": "late" if any(s.late for s in states) else "ok", **out}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    database = _timed(check_database)
    checks: dict[str, Any] = {"database": database}
    if database["status"] == "ok":
        checks["cache"] = _timed(check_cache)
        checks["broker"] = _timed(check_broker)
        checks["jobs"] = _timed(check_jobs)
        degraded = any(c["status"] != "ok" for c in checks.values())
        status = "degraded" if degraded else "ok"
    else:
        status = "fail"
    return JsonResponse(
        {"status": status, "time": timezone.now().isoformat(), "checks": checks},
        status=503 if status == "fail" else 200,
        json_dumps_params={"indent": 1},
    )


def may_read_metrics(request: HttpRequest) -> bool:
    token = settings.PORTAL_METRICS_TOKEN
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    try:
        return ipaddress.ip_address(client_ip(request)).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not may_read_metrics(request):
        # The same answer as any page that is not there: nothing says /metrics exists.
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
