from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gov import backup


class Command(BaseCommand):
    help = (
        "Back up the database and citizens' files into one archive encrypted under "
        "PORTAL_BACKUP_PASSPHRASE (gov/backup.py), in PORTAL_BACKUP_DIR, then delete the "
        "archives older than PORTAL_BACKUP_KEEP_DAYS. Run it nightly (cron or a systemd timer)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dir", type=Path, help="Where to write (default PORTAL_BACKUP_DIR)")

    def handle(self, *args: Any, dir: Path | None = None, **options: Any) -> None:
        try:
            path = backup.backup(dir, progress=lambda step: self.stdout.write(f"  {step}"))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{path} ({path.stat().st_size:,} bytes)"))
