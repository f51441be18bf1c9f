"""Without a broker (``make run``, cron), ``manage.py sweep`` sends the e-mails too: reminders'
and the acknowledgements still owed to citizens, once each, and tries again what failed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from smtplib import SMTPException
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from complaints.models import Petition
from reminders.models import Reminder
from tests.complaints.factories import muong_kim_staff, on, submit_item

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_item() -> SimpleNamespace:
    staff = muong_kim_staff()
    staff.leader.email = "lanhdao@example.vn"
    staff.leader.save(update_fields=["email"])
    with time_machine.travel(on(2025, 3, 3), tick=False):
        submit_item()
    return staff


def _sweep() -> str:
    out = io.StringIO()
    with time_machine.travel(on(2025, 3, 19), tick=False):
        call_command("sweep", stdout=out)
    return out.getvalue()


def test_the_sweep_command_emails_reminders_once(overdue_item: SimpleNamespace) -> None:
    mail.outbox.clear()
    report = _sweep()
    to_leader = [m for m in mail.outbox if m.to == ["lanhdao@example.vn"]]
    assert len(to_leader) >= 1
    assert "e-mails sent:" in report
    assert not Reminder.objects.filter(
        recipient=overdue_item.leader, sent_at__isnull=False, emailed_at__isnull=True
    ).exists()
    count = len(mail.outbox)
    _sweep()
    assert len(mail.outbox) == count  # nothing twice


def test_a_failed_email_waits_for_the_next_sweep(overdue_item: SimpleNamespace, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    report = _sweep()
    assert "not sent (tried again next time):" in report
    waiting = Reminder.objects.filter(recipient=overdue_item.leader, emailed_at__isnull=True)
    assert waiting.exists()
    assert not waiting.filter(email_claimed_at__isnull=False).exists()  # claims released

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    _sweep()
    assert any(m.to == ["lanhdao@example.vn"] for m in mail.outbox)
    assert not waiting.exists()


def test_the_sweep_command_sends_acknowledgements_still_owed() -> None:
    # Sent after the commit, which this test's transaction never reaches: still owed.
    item = submit_item(contact_email="nguoidan@example.vn")
    petition = Petition.objects.get(pk=item.petition_id)
    assert petition.acknowledged_at is None
    mail.outbox.clear()
    call_command("sweep", stdout=io.StringIO())
    assert [m.to for m in mail.outbox if m.to == ["nguoidan@example.vn"]] == [
        ["nguoidan@example.vn"]
    ]
    petition.refresh_from_db()
    assert petition.acknowledged_at is not None


@pytest.mark.slow
def test_make_run_writes_a_reminder_email_to_its_mail_folder(tmp_path: Path) -> None:
    """The embedded default, as `make run` has it: SQLite, no broker, mail to files."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="laichau_portal.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PORTAL_STATE_DIR=str(tmp_path / "state"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    for command in (["migrate", "--noinput"], ["load_reference_data"], ["seed_demo"], ["sweep"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    messages = list((tmp_path / "state" / "mail").glob("*.log"))
    assert messages, result.stdout
    text = "\n".join(p.read_text(encoding="utf-8") for p in messages)
    assert "Subject:" in text
    assert "e-mails sent: 0" not in result.stdout


def test_a_failed_email_is_counted_with_its_error_and_retried_with_backoff(
    overdue_item: SimpleNamespace, settings, caplog: pytest.LogCaptureFixture
) -> None:
    from celery.exceptions import Retry

    from reminders import sending
    from reminders.tasks import reminder_email_task

    task: Any = reminder_email_task  # Celery sets these options as attributes
    assert task.autoretry_for == (OSError, SMTPException)
    assert (task.retry_backoff, task.max_retries) == (30, 6)
    with time_machine.travel(on(2025, 3, 19), tick=False):
        from reminders import sweep

        sweep.sweep()
        for pk in sending.pending().values_list("id", flat=True):
            sending.send(pk)
    row = Reminder.objects.filter(recipient=overdue_item.leader).order_by("id").first()
    assert row is not None and row.emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with pytest.raises(Retry) as retry:
        reminder_email_task.apply(args=(row.pk,), throw=True)
    # The first retry waits the configured backoff (30 s, with jitter: at most 30), not the
    # fixed 180 s that a hand-made self.retry() used to wait.
    when: Any = retry.value.when
    assert 0 <= float(when) <= 30
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.last_error == "ConnectionRefusedError"
    assert row.email_claimed_at is None and row.emailed_at is None
    assert f"Reminder {row.pk}: e-mail failed" in caplog.text
    assert "lanhdao@example.vn" not in caplog.text
