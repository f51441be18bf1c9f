from __future__ import annotations

import logging
import time
from smtplib import SMTPException

from django.core.management.base import BaseCommand

from complaints.scanning import attachments_scan_pending
from complaints.tasks import acknowledgement_send, acknowledgements_pending
from complaints.uploads import abandoned_uploads_sweep
from dashboard.services import figures_refresh
from gov import jobs
from gov.jobs import job_run
from privacy.services import retention_sweep
from reminders import sending, sweep

log = logging.getLogger(__name__)


def deliver_pending_mail() -> tuple[int, int]:
    """E-mail, in this process, the reminders sent in the portal whose e-mail has not left, and
    the acknowledgements still owed to citizens: without a broker (``make run``, cron) nothing
    else would. Each is claimed first, so a worker doing the same at the same time sends none
    twice; a failure leaves the row for the next sweep. Returns (sent, failed)."""
    emailed = failed = 0
    outgoing = [
        (sending.email, sending.emails_pending()),
        (acknowledgement_send, acknowledgements_pending()),
    ]
    for deliver, rows in outgoing:
        for pk in rows.order_by("id").values_list("id", flat=True):
            try:
                emailed += bool(deliver(pk))
            except (OSError, SMTPException) as exc:
                failed += 1
                log.warning("E-mail %s of row %s failed: %s", deliver.__module__, pk, exc)
    return emailed, failed


class Command(BaseCommand):
    help = (
        "Write and send today's deadline reminders (and, on Mondays, the leaders' weekly digest), "
        "roll up the overview's figures of this month and the last, delete the files of "
        "public forms abandoned for a day (PORTAL_WIZARD_UPLOAD_MAX_AGE_HOURS), "
        "scan citizens' files held while the antivirus was unreachable (PORTAL_UPLOAD_SCANNER), "
        "and erase identities whose retention period ended. "
        "Without a Celery broker this is how reminders happen, and their e-mails and the "
        "acknowledgements owed to citizens leave: run it daily, or with --loop."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--loop",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Repeat every SECONDS (e.g. 3600) until stopped.",
        )

    def handle(self, *args: object, loop: int = 0, **options: object) -> None:
        while True:
            self.run_once()
            if not loop:
                return
            time.sleep(loop)

    def run_once(self) -> None:
        from django.utils import timezone

        with job_run(jobs.SWEEP):
            written = sweep.sweep()
            if timezone.localdate().weekday() == 0:
                written += sweep.weekly_digest()
        with job_run(jobs.DISPATCH):
            sent = sum(
                sending.send(pk)
                for pk in sending.pending().order_by("id").values_list("id", flat=True)
            )
            emailed, failed = deliver_pending_mail()
        with job_run(jobs.FIGURES):
            rows = figures_refresh()
        with job_run(jobs.UPLOADS):
            swept = abandoned_uploads_sweep()
        with job_run(jobs.SCAN):
            scanned = attachments_scan_pending()
        with job_run(jobs.RETENTION):
            erased = retention_sweep().total
        self.stdout.write(
            f"reminders considered: {written}, sent: {sent}; e-mails sent: {emailed}"
            f"{f', not sent (tried again next time): {failed}' if failed else ''}; "
            f"overview figures: {rows} rows; "
            f"abandoned form files deleted: {swept}; files scanned: {scanned.clean} clean, "
            f"{scanned.infected} infected, {scanned.waiting} waiting; "
            f"records anonymised: {erased}"
        )
