"""``manage.py generate_data --items N``: see ``demo.generate.rows``."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone, translation

from complaints.models import (
    ItemDeadline,
    ItemEvent,
    Letter,
    Petition,
    PetitionItem,
)
from demo.generate.batch import Batch
from demo.generate.rows import (
    Reference,
    generated_items,
    generated_petitions,
    historic_timestamps,
    memoised_rules,
)
from dialogues.models import Commitment, CommitmentEvent
from reception.models import ReceptionSession
from reception.models.reception import ReceptionEvent


class Command(BaseCommand):
    help = "Generate realistic petitions, events, reception sessions and commitments in bulk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--items", type=int, required=True, help="total generated items")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=10000)
        parser.add_argument("--allow-production-settings", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["allow_production_settings"]:
            raise CommandError("DEBUG is off: pass --allow-production-settings on a test database.")
        target, size = options["items"], max(1, options["batch"])
        have, seq = generated_items().count(), generated_petitions().count()
        if have >= target:
            self.stdout.write(f"{have} generated items already: nothing to add.")
            return
        rng = random.Random(f"{options['seed']}:{seq}")
        today = timezone.localdate()
        with translation.override(settings.LANGUAGE_CODE):
            ref = Reference(rng)
            self._run(ref, rng, today, have=have, target=target, seq=seq, size=size)

    def _run(
        self,
        ref: Reference,
        rng: random.Random,
        today: dt.date,
        *,
        have: int,
        target: int,
        seq: int,
        size: int,
    ) -> None:
        started, rows_written, done = time.monotonic(), 0, have
        models_written = (
            Petition,
            PetitionItem,
            ItemDeadline,
            ItemEvent,
            Letter,
            ReceptionSession,
            ReceptionEvent,
            Commitment,
            CommitmentEvent,
        )
        with historic_timestamps(*models_written), memoised_rules():
            while done < target:
                n = min(size, target - done)
                with transaction.atomic():
                    batch = Batch(ref, rng, today, seq)
                    rows = batch.build(n)
                    seq = batch.seq
                    rows_written += rows.write()
                done += n
                elapsed = time.monotonic() - started
                self.stdout.write(
                    f"{done}/{target} items, {rows_written} rows in {elapsed:.1f}s "
                    f"({rows_written / elapsed:.0f} rows/s, {(done - have) / elapsed:.0f} items/s)"
                )
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                # VACUUM also marks the pages all-visible, so that the indexes covering the open
                # items are read alone; it cannot run in a transaction (a test's): ANALYZE then.
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                for model in models_written:
                    cur.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
