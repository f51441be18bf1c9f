"""Celery tasks of the reminders: the sweep, the dispatch of pending rows, and one sender per
reminder. Tasks take ids only; they acknowledge late and retry with backoff."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import sending, sweep

DISPATCH_BATCH = 500


@shared_task(acks_late=True)
def sweep_task() -> int:
    """Write today's reminder rows, then send them. Safe to run twice and in parallel."""
    written = sweep.sweep()
    dispatch_task.delay()
    return written


@shared_task(acks_late=True)
def weekly_digest_task() -> int:
    written = sweep.weekly_digest()
    dispatch_task.delay()
    return written


@shared_task(acks_late=True)
def dispatch_task() -> int:
    """Queue a sender for every pending reminder (including those whose sender died)."""
    count = 0
    ids = list(sending.pending().order_by("id").values_list("id", flat=True)[:50_000])
    for start in range(0, len(ids), DISPATCH_BATCH):
        for reminder_id in ids[start : start + DISPATCH_BATCH]:
            reminder_send_task.delay(reminder_id)
            count += 1
    return count


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=6,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
)
def reminder_send_task(self, reminder_id: int) -> bool:
    try:
        return sending.send(reminder_id)
    except (OSError, SMTPException) as exc:
        sending.release(reminder_id, type(exc).__name__)
        raise self.retry(exc=exc) from exc
