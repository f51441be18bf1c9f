"""Enqueue a Celery task without ever failing the request that asked for it.

Tasks are enqueued after the transaction commits. If the broker is down, the row that needs
the work stays marked as pending in the database, and a periodic job (or ``manage.py sweep``)
picks it up once the broker is back: nothing is lost and the citizen's submission succeeds.
"""

from __future__ import annotations

import logging

from celery import Task

log = logging.getLogger(__name__)


def enqueue(task: Task, *ids: int) -> bool:
    """``task.delay(*ids)``; on any broker or in-process failure, log (ids only) and go on."""
    try:
        task.delay(*ids)
    except Exception:
        log.warning(
            "could not enqueue %s%s; it stays pending for the periodic job",
            task.name,
            ids,
            exc_info=True,
        )
        return False
    return True
