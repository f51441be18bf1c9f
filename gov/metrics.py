"""Prometheus metrics (``prometheus-client``), read at ``/metrics`` (``gov.health.metrics``).

Per process: the latency of each request, by view name, method and status class, a histogram
observed by ``gov.observability.RequestObservabilityMiddleware``. Under gunicorn each worker
is a process: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory the workers share (README,
"What an operator watches") and the exposition sums them.

Read at each scrape, from the database and the broker (a few indexed counts): each periodic
job's last success and duration and whether it is late (``gov.jobs``), each app's backlog
(``gov.health.register_backlog``), the broker's queue depth.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

REQUEST_SECONDS = Histogram(
    "portal_http_request_duration_seconds",
    "Time to answer a request, by view",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


# name → (help text, a callable counting it). Filled by the apps' ready().
BACKLOGS: dict[str, tuple[str, Callable[[], int]]] = {}


def register_backlog(name: str, help_text: str, count: Callable[[], int]) -> None:
    """``count`` says how many of ``name`` wait (e.g. reminders not sent): /metrics shows it as
    ``portal_backlog{name=...}``. Registering the same name again replaces it."""
    BACKLOGS[name] = (help_text, count)


def backlog_counts() -> Iterable[tuple[str, str, int]]:
    for name, (help_text, count) in sorted(BACKLOGS.items()):
        yield name, help_text, count()


def broker_queue_depth(timeout: int = 1) -> int:
    """Tasks waiting in the broker's default queue (0 while no worker has declared it)."""
    from celery import current_app
    from django.conf import settings

    queue = current_app.conf.task_default_queue
    with current_app.connection_for_read(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)
        try:
            channel: Any = conn.default_channel
            declared = channel.queue_declare(queue=queue, passive=True)
        except conn.channel_errors:
            return 0  # no worker has declared the queue yet: nothing waits in it
        return int(declared.message_count)


class PortalCollector(Collector):
    """What the database and the broker say at the time of the scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.conf import settings

        from . import jobs

        success = GaugeMetricFamily(
            "portal_job_last_success_timestamp_seconds",
            "When each periodic job last succeeded (Unix time)",
            labels=["job"],
        )
        duration = GaugeMetricFamily(
            "portal_job_last_duration_seconds",
            "How long each periodic job's last run took",
            labels=["job"],
        )
        late = GaugeMetricFamily(
            "portal_job_late", "1 when a periodic job has not succeeded in time", labels=["job"]
        )
        for state in jobs.last_runs():
            if state.run is not None:
                if state.run.last_succeeded_at is not None:
                    success.add_metric([state.name], state.run.last_succeeded_at.timestamp())
                duration.add_metric([state.name], state.run.last_duration_seconds)
            late.add_metric([state.name], 1 if state.late else 0)
        yield success
        yield duration
        yield late

        backlog = GaugeMetricFamily(
            "portal_backlog", "Messages and work waiting, by kind", labels=["name"]
        )
        for name, _help, count in backlog_counts():
            backlog.add_metric([name], count)
        yield backlog

        if not settings.CELERY_TASK_ALWAYS_EAGER:
            up = GaugeMetricFamily("portal_broker_up", "1 when the Celery broker answers")
            depth = GaugeMetricFamily(
                "portal_broker_queue_depth", "Tasks waiting in the broker's default queue"
            )
            try:
                depth.add_metric([], broker_queue_depth())
                up.add_metric([], 1)
            except Exception as exc:
                logger.warning("Metrics: the broker did not answer (%s)", type(exc).__name__)
                up.add_metric([], 0)
            yield up
            yield depth


def exposition() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(PortalCollector())
    return generate_latest(registry)
