from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from dashboard import services
from dashboard.selectors import month_starts


class Command(BaseCommand):
    help = (
        "Roll up the overview's monthly figures (items received, concluded, on time). Beat does "
        "this month and the last every 10 minutes; --months N redoes more, --all everything."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--months", type=int, default=2, help="How many months back (2).")
        parser.add_argument("--all", action="store_true", help="Every month since the first item.")

    def handle(self, *args: object, months: int = 2, all: bool = False, **options: object) -> None:
        today = timezone.localdate()
        if all:
            start = services.figures_history_start()
            months = (
                1
                if start is None
                else ((today.year - start.year) * 12 + today.month - start.month + 1)
            )
        firsts = month_starts(today, max(months, 1))
        rows = 0
        for n, first in enumerate(firsts, 1):
            rows += services.figures_refresh_month(first)
            self.stdout.write(f"\r{n}/{len(firsts)} months ({first:%m/%Y})", ending="")
            self.stdout.flush()
        self.stdout.write(f"\nRolled up {len(firsts)} months: {rows} rows.")
