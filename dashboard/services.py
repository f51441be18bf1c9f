"""Writes of the overview: the monthly roll-up of the trends (``dashboard.models``)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction
from django.utils import timezone

from complaints.models import PetitionItem

from .models import FiguresMonth, MonthlyFigures
from .selectors import TREND_MONTHS, item_month_counts, month_starts


@transaction.atomic
def figures_refresh_month(first: dt.date) -> int:
    """Count one month's items again, per scope path, and mark the month complete as of now.

    The month's marker row is locked first, so two refreshes of the same month (two beat
    processes, a command run by hand) take turns instead of mixing their rows. Returns the
    number of roll-up rows written."""
    first = first.replace(day=1)
    now = timezone.now()
    marker, _ = FiguresMonth.objects.select_for_update().get_or_create(
        month=first, defaults={"computed_at": now}
    )
    counts = item_month_counts(
        PetitionItem.objects.all(),
        start=first,
        end=first.replace(day=calendar.monthrange(first.year, first.month)[1]),
        by=("scope_path",),
    )
    MonthlyFigures.objects.filter(month=first).delete()
    MonthlyFigures.objects.bulk_create(
        MonthlyFigures(month=first, scope_path=path, **c) for (_, path), c in counts.items()
    )
    marker.computed_at = now
    marker.save(update_fields=["computed_at"])
    return len(counts)


def figures_refresh(*, today: dt.date | None = None, months: int = 2) -> int:
    """Refresh the roll-up of the last ``months`` months, this one included (2: a late
    registration may still land in last month), and roll up any month of the overview's
    window (12 months) not rolled up yet: after an install or an outage the first run fills
    them, later runs do two months. Safe to run twice and in parallel."""
    today = today or timezone.localdate()
    window = month_starts(today, TREND_MONTHS)
    done = set(FiguresMonth.objects.filter(month__in=window).values_list("month", flat=True))
    due = set(month_starts(today, months)) | {first for first in window if first not in done}
    return sum(figures_refresh_month(first) for first in sorted(due))


def figures_history_start() -> dt.date | None:
    """The first month with an item, for a refresh of everything."""
    first = (
        PetitionItem.objects.order_by("received_on").values_list("received_on", flat=True).first()
    )
    return first.replace(day=1) if first else None
