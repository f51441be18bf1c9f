"""Celery tasks of the overview."""

from __future__ import annotations

from celery import shared_task

from gov import jobs
from gov.jobs import job_run

from . import services


@shared_task(acks_late=True)
def figures_refresh_task() -> int:
    """Roll up this month's and last month's figures. Safe to run twice and in parallel."""
    with job_run(jobs.FIGURES):
        return services.figures_refresh()
