"""What an operator watches of the periodic jobs: each run records itself (``job_run``), and
``last_runs`` says when each job last ran, how long it took and how it ended.

The jobs are named in ``JOBS`` with the longest an operator should wait between two successful
runs before ``/readyz`` calls the job late: the sweep runs at 6:30 and 13:00 (beat) or every 10
minutes (``manage.py sweep --loop 600``), so a day and a few hours; the others every 10 minutes.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from .models import JobRun

logger = logging.getLogger(__name__)

SWEEP = "sweep"
DISPATCH = "dispatch"
FIGURES = "figures"
SCAN = "scan"
UPLOADS = "abandoned-uploads"
RETENTION = "retention"
ACKNOWLEDGEMENTS = "acknowledgements"

# The longest gap between two successful runs before a job counts as late.
JOBS: dict[str, dt.timedelta] = {
    SWEEP: dt.timedelta(hours=26),
    DISPATCH: dt.timedelta(hours=26),
    FIGURES: dt.timedelta(hours=1),
    SCAN: dt.timedelta(hours=1),
    UPLOADS: dt.timedelta(hours=26),
    RETENTION: dt.timedelta(hours=26),
    ACKNOWLEDGEMENTS: dt.timedelta(hours=1),
}


@contextmanager
def job_run(name: str) -> Iterator[None]:
    """Record one run of ``name``: started, finished, how long, and "ok" or the class of the
    exception that ended it (which is raised again). Safe when two runs overlap: the row is
    written with one upsert, the later finish wins."""
    started = timezone.now()
    clock = time.monotonic()
    outcome = "ok"
    try:
        yield
    except BaseException as exc:
        outcome = type(exc).__name__
        raise
    finally:
        finished = timezone.now()
        row = JobRun(
            name=name,
            last_started_at=started,
            last_finished_at=finished,
            last_succeeded_at=finished if outcome == "ok" else None,
            last_duration_seconds=round(time.monotonic() - clock, 3),
            last_outcome=outcome,
        )
        fields = ["last_started_at", "last_finished_at", "last_duration_seconds", "last_outcome"]
        if outcome == "ok":
            fields.append("last_succeeded_at")
        try:
            with transaction.atomic():
                JobRun.objects.bulk_create(
                    [row], update_conflicts=True, unique_fields=["name"], update_fields=fields
                )
        except DatabaseError:
            # The job's own work is what matters; a run that could not be recorded shows as
            # late on /readyz, which is what an operator should look at then.
            logger.warning("Could not record the run of job %s (%s)", name, outcome)


DELIVERY = "delivery"  # not a job: when a message (e-mail) last left the portal
_last_delivery_recorded = 0.0


def record_delivery(every_seconds: float = 60.0) -> None:
    """A message was delivered: touch the ``delivery`` row, at most once a minute per process
    (a sweep sends thousands; /readyz needs to know only that mail still leaves)."""
    global _last_delivery_recorded
    clock = time.monotonic()
    if clock - _last_delivery_recorded < every_seconds and _last_delivery_recorded:
        return
    _last_delivery_recorded = clock
    now = timezone.now()
    row = JobRun(
        name=DELIVERY,
        last_started_at=now,
        last_finished_at=now,
        last_succeeded_at=now,
        last_duration_seconds=0.0,
        last_outcome="ok",
    )
    try:
        with transaction.atomic():
            JobRun.objects.bulk_create(
                [row],
                update_conflicts=True,
                unique_fields=["name"],
                update_fields=["last_started_at", "last_finished_at", "last_succeeded_at"],
            )
    except DatabaseError:
        logger.warning("Could not record a delivery")


@dataclass(frozen=True)
class JobState:
    name: str
    run: JobRun | None
    late: bool

    @property
    def seconds_since_success(self) -> float | None:
        if self.run is None or self.run.last_succeeded_at is None:
            return None
        return (timezone.now() - self.run.last_succeeded_at).total_seconds()


def expected_jobs() -> set[str]:
    """The jobs this deployment runs: all of beat's with a broker; without one (the embedded
    default, cron), what ``manage.py sweep`` runs, which resends no acknowledgement."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return set(JOBS) - {ACKNOWLEDGEMENTS}
    return set(JOBS)


def last_runs(now: dt.datetime | None = None) -> list[JobState]:
    """Every expected job with its last run, late when it never succeeded or not within its
    gap; a job that ran but is not expected here is listed, never late."""
    now = now or timezone.now()
    runs = {run.name: run for run in JobRun.objects.all()}
    expected = expected_jobs()
    states = []
    for name in sorted(expected | runs.keys()):
        run = runs.get(name)
        gap = JOBS.get(name, dt.timedelta(hours=26))
        late = name in expected and (
            run is None or run.last_succeeded_at is None or now - run.last_succeeded_at > gap
        )
        states.append(JobState(name=name, run=run, late=late))
    return states


def sweep_missed_today(now: dt.datetime | None = None) -> bool:
    """Whether the deadline sweep has not succeeded today although it should have by now
    (``PORTAL_SWEEP_EXPECTED_BY``, Vietnam's time; beat runs it at 6:30): the leaders'
    overview then says that today's reminders have not gone out."""
    local = timezone.localtime(now or timezone.now())
    expected = dt.time.fromisoformat(settings.PORTAL_SWEEP_EXPECTED_BY)
    if local.time() < expected:
        return False
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return not JobRun.objects.filter(name=SWEEP, last_succeeded_at__gte=start).exists()
