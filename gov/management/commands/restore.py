from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gov import backup


class Command(BaseCommand):
    help = (
        "Restore an archive of manage.py backup into the configured (empty) database and "
        "DJANGO_MEDIA_ROOT, then check every table's rows against the archive's manifest."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Replace the tables and files already there"
        )

    def handle(self, *args: Any, archive: Path, force: bool = False, **options: Any) -> None:
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        try:
            done = backup.restore(
                archive, force=force, progress=lambda step: self.stdout.write(f"  {step}")
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"restored and verified: {done.tables} tables, {done.rows:,} rows, "
                f"{done.files} files"
            )
        )
