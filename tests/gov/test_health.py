"""What an operator watches: /healthz, /readyz, /metrics, the jobs' last runs, request ids and
JSON logs, Sentry without personal data, the overview's line when the sweep has not run."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import logging
import logging.config
import os
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from gov import jobs
from gov.models import JobRun
from gov.observability import logging_config
from tests.complaints.factories import muong_kim_staff

ROOT = Path(__file__).resolve().parents[2]
VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def _ready(client: Client | None = None) -> tuple[int, dict]:
    response = (client or Client()).get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def test_healthz_answers_without_touching_anything(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.postgres
@pytest.mark.redis
def test_readyz_is_degraded_until_every_job_has_run_then_ok() -> None:
    status, body = _ready()
    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["database"]["vendor"] == "postgresql"
    assert body["checks"]["cache"] == {
        **body["checks"]["cache"],
        "status": "ok",
        "backend": "redis",
    }
    assert body["checks"]["broker"]["mode"] == "in-process"
    assert body["checks"]["jobs"]["sweep"]["status"] == "late"
    assert body["checks"]["jobs"]["sweep"]["last_success"] is None

    call_command("sweep", stdout=io.StringIO())

    status, body = _ready()
    assert (status, body["status"]) == (200, "ok"), body
    sweep = body["checks"]["jobs"]["sweep"]
    assert sweep["status"] == "ok" and sweep["last_outcome"] == "ok"
    assert sweep["seconds_since_success"] <= 60
    # Without a broker nothing resends acknowledgements: not expected, so not late.
    assert "acknowledgements" not in body["checks"]["jobs"]
    assert set(body["checks"]["jobs"]) - {"status", "ms"} == jobs.expected_jobs()


@pytest.mark.redis
def test_readyz_with_redis_down_is_degraded_not_failed(settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    call_command("sweep", stdout=io.StringIO())
    status, body = _ready()
    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["status"] == "fail"
    assert body["checks"]["cache"]["error"] == "ConnectionError"


def test_readyz_asks_a_real_broker_and_says_when_it_is_down(settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
    status, body = _ready()
    assert status == 200
    assert body["checks"]["broker"]["status"] == "ok", body["checks"]["broker"]
    assert body["checks"]["broker"]["queued"] >= 0
    # With a broker, beat resends acknowledgements: now expected.
    assert body["checks"]["jobs"]["acknowledgements"]["status"] == "late"

    settings.CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:1//"
    clock = time.monotonic()
    status, body = _ready()
    assert time.monotonic() - clock < 10
    assert (status, body["status"]) == (200, "degraded")
    assert body["checks"]["broker"]["status"] == "fail"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_readyz_answers_503_when_the_database_does_not() -> None:
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        status, body = _ready()
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert (status, body["status"]) == (503, "fail")
    assert body["checks"]["database"]["status"] == "fail"
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert set(body["checks"]) == {"database"}


def test_a_failing_run_keeps_the_last_success_and_says_what_failed() -> None:
    with jobs.job_run("figures"):
        pass
    first = JobRun.objects.get(name="figures").last_succeeded_at
    with pytest.raises(ZeroDivisionError), jobs.job_run("figures"):
        1 / 0  # noqa: B018
    run = JobRun.objects.get(name="figures")
    assert run.last_outcome == "ZeroDivisionError"
    assert run.last_succeeded_at == first
    assert first is not None and run.last_finished_at > first
    assert JobRun.objects.filter(name="figures").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_write_one_row() -> None:
    from django.db import connections

    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(20):
                with jobs.job_run("sweep"):
                    pass
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert JobRun.objects.filter(name="sweep").count() == 1


def test_metrics_from_the_machine_itself(client: Client) -> None:
    client.get("/healthz")
    with jobs.job_run("sweep"):
        pass
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert (
        'portal_http_request_duration_seconds_count{method="GET",status="2xx",view="healthz"}'
        in text
    )
    assert 'portal_job_late{job="sweep"} 0.0' in text
    assert 'portal_job_late{job="retention"} 1.0' in text
    assert 'portal_job_last_success_timestamp_seconds{job="sweep"}' in text
    assert 'portal_backlog{name="reminders_unsent"} 0.0' in text
    assert 'portal_backlog{name="acknowledgements_pending"}' in text


def test_metrics_are_not_there_for_others(client: Client, settings) -> None:
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.PORTAL_METRICS_TOKEN = "s3cret-token-for-prometheus"
    assert client.get("/metrics").status_code == 404  # loopback alone is not enough then
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    ok = client.get(
        "/metrics",
        REMOTE_ADDR="203.0.113.9",
        HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus",
    )
    assert ok.status_code == 200


def test_metrics_count_a_backlog(client: Client) -> None:
    from reminders.models import Reminder

    staff = muong_kim_staff()
    Reminder.objects.create(
        target=Reminder.Target.PETITION_ITEM,
        target_id=1,
        kind=Reminder.Kind.OVERDUE,
        deadline=dt.date(2026, 1, 5),
        recipient=staff.leader,
    )
    text = client.get("/metrics").content.decode()
    assert 'portal_backlog{name="reminders_unsent"} 1.0' in text


def _json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_json_logs_carry_the_request_id_and_the_account_id_only(client: Client) -> None:
    config = logging_config("json", "INFO")
    logging.config.dictConfig(config)
    stream = io.StringIO()
    root = logging.getLogger()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    try:
        staff = muong_kim_staff()
        client.force_login(staff.leader)
        response = client.get("/khong-co-trang-nay/", HTTP_X_REQUEST_ID="req-0123456789")
        assert response.status_code == 404
        assert response["X-Request-ID"] == "req-0123456789"
        # A request id that is not a plain token is replaced, never logged as given.
        response = client.get("/khong-co-nua/", HTTP_X_REQUEST_ID="bad id\n{injected}")
        assert response["X-Request-ID"] != "bad id\n{injected}"
    finally:
        from django.conf import settings as django_settings

        logging.config.dictConfig(django_settings.LOGGING)
    lines = [line for line in _json_lines(stream) if line["logger"] == "django.request"]
    assert lines[0]["request_id"] == "req-0123456789"
    assert lines[0]["user_id"] == str(staff.leader.pk)
    assert lines[0]["level"] == "WARNING"
    assert staff.leader.username not in stream.getvalue()
    assert staff.leader.last_name not in stream.getvalue()
    assert "injected" not in stream.getvalue()
    assert {"time", "level", "logger", "message", "request_id", "user_id"} <= set(lines[0])


def test_production_logs_json_by_default() -> None:
    script = "from django.conf import settings; print(settings.LOGGING['handlers']['console']['formatter'])"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laichau_portal.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "tiepcongdan.laichau.gov.vn",
        "PORTAL_FIELD_KEYS": "bV9y9dA6mLQ4z0v2kQ0g6d8b7iR9cV2d2pZc7v1k8Xc=",
        "PORTAL_PSEUDONYM_KEY": "y" * 60,
    }
    env.pop("PORTAL_LOG_FORMAT", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "json"


class _Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        _Collector.received.append(self.rfile.read(length))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def test_sentry_reports_an_error_without_personal_data(client: Client) -> None:
    """A real sentry-sdk sends to a local server standing in for Sentry; the report has the
    error and the account's id, never the request body, a cookie or a local variable."""
    import sentry_sdk

    from gov.observability import init_sentry

    server = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Collector.received = []
    port = server.server_address[1]
    try:
        init_sentry(f"http://publickey@127.0.0.1:{port}/1", "test", 0.0)
        # Made at run time, so that the report's source lines (code, kept) cannot hold it.
        secret_name = f"Nguyễn Văn {uuid.uuid4().hex[:12]}"
        try:
            _explode(secret_name)
        except RuntimeError:
            sentry_sdk.capture_exception()
        sentry_sdk.flush(timeout=5)
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init(dsn=None)
        server.shutdown()
    body = "".join(
        (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8", "replace")
        for raw in _Collector.received
    )
    assert "RuntimeError" in body
    assert "boom" in body
    assert secret_name not in body
    assert secret_name.split()[-1] not in body


def _explode(name: str) -> None:
    local_with_a_name = name  # noqa: F841 - would be in a report with local variables on
    raise RuntimeError("boom")


def test_the_overview_says_when_the_sweep_has_not_run_today() -> None:
    staff = muong_kim_staff()
    client = Client()
    client.force_login(staff.leader)
    url = reverse("dashboard:overview")
    with time_machine.travel(dt.datetime(2026, 3, 4, 6, 45, tzinfo=VN), tick=False):
        assert 'id="sweep-missed"' not in client.get(url).content.decode()  # not due yet
    with time_machine.travel(dt.datetime(2026, 3, 4, 8, 0, tzinfo=VN), tick=False):
        page = client.get(url).content.decode()
        assert 'id="sweep-missed"' in page
        with jobs.job_run(jobs.SWEEP):
            pass
        assert 'id="sweep-missed"' not in client.get(url).content.decode()
    with time_machine.travel(dt.datetime(2026, 3, 5, 9, 0, tzinfo=VN), tick=False):
        assert 'id="sweep-missed"' in client.get(url).content.decode()  # yesterday's run


def test_check_deploy_refuses_a_local_site_url(settings) -> None:
    from gov.deploy_checks import check_site_url

    for url in ("", "http://127.0.0.1:8000", "http://localhost", "tiepcongdan.laichau.gov.vn"):
        settings.PORTAL_SITE_URL = url
        assert [m.id for m in check_site_url()] == ["portal.E001"], url
    settings.PORTAL_SITE_URL = "http://tiepcongdan.laichau.gov.vn"
    assert [m.id for m in check_site_url()] == ["portal.W001"]
    settings.PORTAL_SITE_URL = "https://tiepcongdan.laichau.gov.vn"
    assert check_site_url() == []


@pytest.mark.redis
@pytest.mark.slow
def test_beat_keeps_its_schedule_in_the_state_directory(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laichau_portal.settings.local",
        "CELERY_BROKER_URL": os.environ["REDIS_URL"],
        "PORTAL_STATE_DIR": str(tmp_path / "state"),
    }
    before = set(ROOT.glob("celerybeat-schedule*"))
    beat = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "laichau_portal", "beat", "-l", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list((tmp_path / "state").glob("celerybeat-*")):
            time.sleep(0.5)
    finally:
        beat.terminate()
        output = beat.communicate(timeout=30)[0].decode()
    assert list((tmp_path / "state").glob("celerybeat-schedule*")), output
    assert set(ROOT.glob("celerybeat-schedule*")) == before


def test_two_gunicorn_instances_do_not_share_a_control_socket(tmp_path: Path) -> None:
    from tests.gov.test_gunicorn import _config

    one = _config(GUNICORN_BIND="127.0.0.1:8001", PORTAL_STATE_DIR=str(tmp_path))
    two = _config(GUNICORN_BIND="127.0.0.1:8002", PORTAL_STATE_DIR=str(tmp_path))
    assert one["control_socket"] != two["control_socket"]
    assert one["control_socket"].startswith(str(tmp_path))
    off = _config(GUNICORN_CONTROL_SOCKET="-")
    assert off["control_socket_disable"] == "True"
