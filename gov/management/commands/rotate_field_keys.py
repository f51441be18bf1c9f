"""Re-encrypt every encrypted identity with the newest of ``PORTAL_FIELD_KEYS``.

To change the key (yearly, or at once when a key may have leaked):

1. generate a key: ``python -c 'from cryptography.fernet import Fernet;
   print(Fernet.generate_key().decode())'``;
2. put it first in ``PORTAL_FIELD_KEYS``, the old ones after it, and restart the web and
   Celery processes: new values are written with the new key, old ones still read;
3. ``manage.py rotate_field_keys``, while the portal runs: each batch is a short
   transaction, and a row the portal rewrote meanwhile is left as it is (it holds the new key
   already); stopped, it is run again and goes on (values under the new key are skipped);
4. ``manage.py rotate_field_keys --check`` says 0 values under older keys: remove the old
   keys from ``PORTAL_FIELD_KEYS`` and restart.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from gov.crypto import UndecryptableValue, encrypted_columns, rewrite_columns, rotated


class Command(BaseCommand):
    help = "Re-encrypt every encrypted identity with the newest of PORTAL_FIELD_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="rows per transaction (default 2000)"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="count the values still under an older key and write nothing; exit 1 if any",
        )

    def handle(self, *args: Any, batch_size: int, check: bool, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        pending = meanwhile = rewritten = 0

        def change(token: str) -> str | None:
            nonlocal pending
            new = rotated(token)
            if new is not None:
                pending += 1
            return None if check else new

        for model, fields in encrypted_columns():
            table, columns = model._meta.db_table, [f.column for f in fields]
            total = model._base_manager.count()
            self.stdout.write(f"{table} ({', '.join(columns)}): {total} rows")
            progress = None
            try:
                for progress in rewrite_columns(
                    connection,
                    table=table,
                    columns=columns,
                    change=change,
                    batch_size=batch_size,
                    pk=model._meta.pk.column,
                ):
                    self.stdout.write(
                        f"  {progress.read}/{total} rows read, {progress.written} rewritten,"
                        f" {progress.changed_meanwhile} changed meanwhile (up to id"
                        f" {progress.last_pk})"
                    )
            except UndecryptableValue as exc:
                raise CommandError(f"{table}: {exc}") from exc
            if progress is not None:
                meanwhile += progress.changed_meanwhile
                rewritten += progress.written
        if check:
            self.stdout.write(f"{pending} values under an older key.")
            if pending:
                raise CommandError("Some values are still under an older key: keep it listed.")
            return
        if meanwhile:
            self.stdout.write(
                f"{meanwhile} rows were changed by the portal meanwhile and left as they were:"
                " run `rotate_field_keys --check` (or the rotation again) before removing a key."
            )
        self.stdout.write(self.style.SUCCESS(f"Done: {rewritten} rows re-encrypted."))
