"""gunicorn reads the project's settings file (gunicorn.conf.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _config(**env: str) -> dict[str, str]:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "laichau_portal.wsgi"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return dict(
        (part.strip() for part in line.split("=", 1))
        for line in result.stdout.splitlines()
        if "=" in line
    )


def test_gunicorn_serves_with_sync_workers_and_freezes_the_loaded_application() -> None:
    config = _config(WEB_CONCURRENCY="3", GUNICORN_BIND="127.0.0.1:8123")
    assert config["worker_class"] == "sync"
    assert config["workers"] == "3"
    assert config["bind"] == "['127.0.0.1:8123']"
    assert "post_worker_init()" in config["post_worker_init"]


def test_gunicorn_threads_and_access_log_are_chosen_by_the_environment() -> None:
    config = _config(GUNICORN_WORKER_CLASS="gthread", GUNICORN_THREADS="4", GUNICORN_ACCESS_LOG="")
    assert (config["worker_class"], config["threads"]) == ("gthread", "4")
    assert config["accesslog"] == "None"


def test_a_worker_imports_every_view_before_its_first_request() -> None:
    script = (
        "import gc, runpy, sys, django; django.setup();"
        "conf = runpy.run_path('gunicorn.conf.py');"
        "before = 'complaints.api.views' in sys.modules;"
        "conf['post_worker_init'](None);"
        "print(before, 'complaints.api.views' in sys.modules, 'dashboard.views' in sys.modules,"
        " gc.get_freeze_count() > 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "laichau_portal.settings.local"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True"]
