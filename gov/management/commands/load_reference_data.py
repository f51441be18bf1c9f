from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gov.reference_data import reference_data_load


class Command(BaseCommand):
    help = "Load Lai Châu's administrative units, sectors, agencies and legal time limits (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = reference_data_load()
        for what, n in report.counts.items():
            self.stdout.write(f"  {what}: {n}")
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
