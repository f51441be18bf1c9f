"""Celery tasks of the reminders: the sweep, the dispatch of pending rows, and one sender per
reminder. Tasks take ids only; they acknowledge late and retry with backoff."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from gov import jobs
from gov.jobs import job_run
from gov.queue import enqueue

from . import sending, sweep

DISPATCH_LIMIT = 50_000


@shared_task(acks_late=True)
def sweep_task() -> int:
    """Write today's reminder rows, then send them. Safe to run twice and in parallel."""
    with job_run(jobs.SWEEP):
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
    """Queue a sender for every pending reminder and every e-mail still to go."""
    with job_run(jobs.DISPATCH):
        return _dispatch()


def _dispatch() -> int:
    count = 0
    for reminder_id in (
        sending.pending().order_by("id").values_list("id", flat=True)[:DISPATCH_LIMIT]
    ):
        reminder_send_task.delay(reminder_id)
        count += 1
    for reminder_id in (
        sending.emails_pending().order_by("id").values_list("id", flat=True)[:DISPATCH_LIMIT]
    ):
        reminder_email_task.delay(reminder_id)
        count += 1
    return count


@shared_task(acks_late=True, reject_on_worker_lost=True)
def reminder_send_task(reminder_id: int) -> bool:
    sent = sending.send(reminder_id)
    if sent:
        enqueue(reminder_email_task, reminder_id)
    return sent


@shared_task(
    acks_late=True,
    # Celery applies the backoff only to retries it makes itself (autoretry_for); a hand-made
    # self.retry() waited default_retry_delay, a fixed 180 s, whatever was configured here.
    autoretry_for=(OSError, SMTPException),
    max_retries=6,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
)
def reminder_email_task(reminder_id: int) -> bool:
    return sending.email(reminder_id)
