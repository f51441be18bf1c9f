"""gunicorn's settings for the portal, read from the project directory (gunicorn's default
``./gunicorn.conf.py``); command-line options and the environment override them.

Synchronous workers: the portal's requests spend most of their time on the processor (Python
and PostgreSQL on the same machine), and threads in one Python process share one processor at a
time. On the bench, four threads per worker cost 15–25% more processor per submission than one.
Slow clients on a weak mobile connection are buffered by nginx in front, not by a worker.
``GUNICORN_WORKER_CLASS=gthread`` with ``GUNICORN_THREADS`` serves from threads instead (each
thread keeps its own database connection).
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request that takes longer than this is killed and logged: a bug, not a slow page.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Replace a worker after this many requests (with jitter, so that they do not all restart at
# once): whatever a long-lived process accumulates is returned.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "": none
# gunicorn's control socket (gunicornc): one per instance, named after its address, in the
# state directory, so two instances on one host never share one. "-" turns it off.
_state = os.environ.get("PORTAL_STATE_DIR") or os.path.join(os.path.dirname(__file__), "var")
_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or os.path.join(
    _state, "gunicorn-" + "".join(c if c.isalnum() else "_" for c in bind) + ".ctl"
)
if _socket == "-":
    control_socket_disable = True
else:
    os.makedirs(os.path.dirname(_socket), exist_ok=True)
    control_socket = _socket
# Request latency in /metrics from every worker (gov.metrics): an empty directory they share.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
# Staff search terms (``q``) never reach the access log (laichau_portal/access_log.py).
logger_class = "laichau_portal.access_log.ScrubbingLogger"


def post_worker_init(worker: object) -> None:
    """Once a worker has loaded Django: import every URLconf and view now (Django does it at
    the first request, which would wait for it, and so would the requests queued behind), then
    move everything loaded so far out of the garbage collector's sight: a full collection then
    no longer walks the whole application every few hundred requests."""
    import gc

    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - evaluated for its imports
    gc.freeze()


def child_exit(server: object, worker: object) -> None:
    """A worker gone: its metrics files stop counting as live (prometheus-client)."""
    if _metrics_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
