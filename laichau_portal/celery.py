"""The Celery application. Workers and beat start with ``celery -A laichau_portal worker|beat``.

With ``CELERY_BROKER_URL`` unset, settings make every task run in-process (eager), so the embedded
default of ``make run`` needs no broker.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laichau_portal.settings.local")

app = Celery("laichau_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_state_dir(sender: Celery, **kwargs: object) -> None:
    """Beat keeps its schedule in PORTAL_STATE_DIR (settings), which may not exist yet."""
    from django.conf import settings

    os.makedirs(settings.PORTAL_STATE_DIR, exist_ok=True)
