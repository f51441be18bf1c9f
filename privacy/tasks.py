"""Celery tasks of personal data protection."""

from __future__ import annotations

from celery import shared_task

from gov import jobs
from gov.jobs import job_run

from . import services


@shared_task(acks_late=True)
def retention_sweep_task() -> int:
    """Erase identities past their retention period. Safe to run twice and in parallel."""
    with job_run(jobs.RETENTION):
        return services.retention_sweep().total
