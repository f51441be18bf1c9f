"""``manage.py recheck_attachments``: check the files stored before uploads were checked by
their bytes, once, after upgrading: photos re-encoded without EXIF (GPS), content types
derived, random stored names (``complaints.services.attachment_recheck``). Files already
checked are skipped, so it may be run again or stopped midway."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from complaints.models import Attachment
from complaints.services import attachment_recheck
from complaints.uploads import CONTENT_TYPES


class Command(BaseCommand):
    help = "Check attachments stored before files were checked by their bytes (run once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all",
            dest="every",
            action="store_true",
            help="Check every attachment again, not only old ones.",
        )

    def handle(self, *args: object, every: bool = False, **options: object) -> None:
        rows = Attachment.objects.order_by("id")
        if not every:
            # Checked files carry a derived type and a random name (32 hex digits).
            rows = rows.exclude(
                content_type__in=CONTENT_TYPES, file__regex=r"/[0-9a-f]{32}\.[a-z]+$"
            )
        passed = refused = missing = 0
        for attachment in rows.iterator():
            try:
                ok = attachment_recheck(attachment=attachment)
            except FileNotFoundError:
                missing += 1
                continue
            passed, refused = passed + ok, refused + (not ok)
        self.stdout.write(
            f"attachments checked: {passed}, refused (sent as octet-stream): {refused}, "
            f"missing from storage: {missing}"
        )
