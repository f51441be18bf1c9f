"""Reminders with a real Celery worker on the real Redis broker and PostgreSQL: delivered twice,
a worker killed mid-batch, two beats at once, and the broker down while citizens submit."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from complaints.models import Petition
from gov.models import Notification
from laichau_portal.celery import app
from reminders import sweep
from reminders.models import Reminder
from tests.complaints.factories import muong_kim_staff, submit_item

pytestmark = [
    pytest.mark.slow,  # a real Celery worker and beat
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/14"


def _db_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    return tmp_path / "mail"


def _reset_pool() -> None:
    """Drop the producer pool, so the next publish connects to the broker now configured."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker() -> Iterator[None]:
    """This process publishes to the real broker instead of running tasks in-process."""
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    old = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = BROKER, False
    _reset_pool()
    yield
    app.conf.broker_url, app.conf.task_always_eager = old
    _reset_pool()


def _worker(
    mail_dir: Path, *, name: str, stale_seconds: int = 900, broker_url: str = BROKER
) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laichau_portal.settings.test",
        "DATABASE_URL": _db_url(),
        "CELERY_BROKER_URL": broker_url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
        "PORTAL_CLAIM_STALE_SECONDS": str(stale_seconds),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "laichau_portal",
            "worker",
            "--concurrency",
            "2",
            "--pool",
            "prefork",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{name}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(worker: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=30)


def _wait(condition: object, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        connection.close()  # see the worker's commits
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError("timed out waiting for the worker")


def _emails(mail_dir: Path) -> list[str]:
    """The decoded subjects of the e-mails the workers wrote."""
    if not mail_dir.exists():
        return []
    subjects = []
    for f in mail_dir.iterdir():
        for line in f.read_text(errors="replace").splitlines():
            if line.startswith("Subject:"):
                subjects.append(str(make_header(decode_header(line[len("Subject:") :].strip()))))
    return subjects


def _overdue_reminders(n: int) -> list[int]:
    people = muong_kim_staff()
    for person in (people.handler, people.leader, people.reception):
        person.email = f"{person.username}@example.vn"
        person.save(update_fields=["email"])
    import time_machine

    from tests.complaints.factories import on

    with time_machine.travel(on(2025, 3, 3), tick=False):
        for _ in range(n):
            submit_item()
    sweep.sweep(today=dt.date(2025, 3, 12))
    return list(Reminder.objects.values_list("id", flat=True))


def test_a_task_delivered_twice_sends_once(broker: None, mail_dir: Path) -> None:
    ids = _overdue_reminders(10)
    for reminder_id in ids:
        for _ in range(2):
            app.send_task("reminders.tasks.reminder_send_task", args=[reminder_id])
    worker = _worker(mail_dir, name="twice")
    try:
        _wait(lambda: not Reminder.objects.filter(emailed_at__isnull=True).exists())
    finally:
        _stop(worker)
    assert Notification.objects.filter(dedupe_key__startswith="reminder:").count() == len(ids)
    assert len(_emails(mail_dir)) == len(ids)


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_nothing(
    broker: None, mail_dir: Path
) -> None:
    ids = _overdue_reminders(40)
    for reminder_id in ids:
        app.send_task("reminders.tasks.reminder_send_task", args=[reminder_id])
    worker = _worker(mail_dir, name="killed", stale_seconds=2)
    _wait(lambda: Reminder.objects.filter(sent_at__isnull=False).count() >= 5)
    _stop(worker, signal.SIGKILL)  # mid-batch, no goodbye
    assert Reminder.objects.filter(sent_at__isnull=True).exists(), (
        "the batch finished before the kill"
    )
    time.sleep(2.5)  # claims of the dead worker go stale
    app.send_task("reminders.tasks.dispatch_task")
    worker = _worker(mail_dir, name="second", stale_seconds=2)
    try:
        _wait(lambda: not Reminder.objects.filter(emailed_at__isnull=True).exists())
    finally:
        _stop(worker)
    notifications = list(
        Notification.objects.filter(dedupe_key__startswith="reminder:").values_list(
            "dedupe_key", flat=True
        )
    )
    assert sorted(notifications) == sorted(f"reminder:{i}" for i in ids)  # every one, once
    assert len(_emails(mail_dir)) >= len(ids)


def test_two_beats_at_once_send_no_duplicates(broker: None, mail_dir: Path) -> None:
    _overdue_reminders(15)
    Reminder.objects.all().delete()  # let the beats' sweeps write them
    worker = _worker(mail_dir, name="beats")
    try:
        for _ in range(2):  # two beat processes firing the same schedule entry
            app.send_task("reminders.tasks.sweep_task")
            app.send_task("reminders.tasks.sweep_task")
        _wait(
            lambda: (
                Reminder.objects.exists()
                and not Reminder.objects.filter(emailed_at__isnull=True).exists()
            )
        )
        time.sleep(1)
    finally:
        _stop(worker)
    count = Reminder.objects.count()
    assert Notification.objects.filter(dedupe_key__startswith="reminder:").count() == count
    assert len(_emails(mail_dir)) == count


def test_with_the_broker_down_a_petition_is_still_received_and_acknowledged_later(
    mail_dir: Path,
) -> None:
    old = (
        app.conf.broker_url,
        app.conf.task_always_eager,
        app.conf.broker_connection_retry,
        app.conf.broker_connection_max_retries,
    )
    app.conf.broker_url, app.conf.task_always_eager = (
        "redis://127.0.0.1:1/0",
        False,
    )  # nothing listens there
    app.conf.broker_connection_retry, app.conf.broker_connection_max_retries = False, 0
    _reset_pool()
    try:
        from django.test import Client

        from tests.complaints.factories import submit

        result = submit(contact_email="dan@example.vn")
        assert Petition.objects.filter(pk=result.petition.pk, acknowledged_at__isnull=True).exists()
        assert Client().get("/").status_code == 200
    finally:
        app.conf.broker_url, app.conf.task_always_eager = BROKER, False
        app.conf.broker_connection_retry, app.conf.broker_connection_max_retries = old[2], old[3]
        _reset_pool()
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    worker = _worker(mail_dir, name="back")
    try:
        app.send_task(
            "complaints.tasks.acknowledgements_pending_task"
        )  # the periodic job, broker back
        _wait(
            lambda: Petition.objects.filter(
                pk=result.petition.pk, acknowledged_at__isnull=False
            ).exists()
        )
        app.send_task(
            "complaints.tasks.acknowledgements_pending_task"
        )  # again: nothing more is sent
        time.sleep(2)
    finally:
        _stop(worker)
        app.conf.broker_url, app.conf.task_always_eager = old[0], old[1]
        _reset_pool()
    subjects = _emails(mail_dir)
    assert len(subjects) == 1 and result.petition.code in "".join(subjects)


RABBITMQ = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")


def _rabbitmq_answers() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _rabbitmq_answers(), reason="RabbitMQ is not running on 127.0.0.1:5672")
def test_rabbitmq_works_by_url(mail_dir: Path) -> None:
    """The same tasks run with RabbitMQ as the broker, given only its URL."""
    ids = _overdue_reminders(3)
    old = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = RABBITMQ, False
    _reset_pool()
    worker = _worker(mail_dir, name="rabbit", broker_url=RABBITMQ)
    try:
        for reminder_id in ids:
            app.send_task("reminders.tasks.reminder_send_task", args=[reminder_id])
        _wait(lambda: not Reminder.objects.filter(emailed_at__isnull=True).exists())
    finally:
        _stop(worker)
        app.conf.broker_url, app.conf.task_always_eager = old
        _reset_pool()
    assert len(_emails(mail_dir)) == len(ids)
