"""What every demo module shares: the mark on demo records, the demo accounts, working days."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gov.models import User
from gov.workdays import get_calendar

# Every demo record carries this mark in a free-text field, so that seeding again finds it.
DEMO_MARK = "[demo]"


def demo_user(username: str) -> User:
    """A demo account (with its agency and unit), created by ``demo.accounts.demo_seed``."""
    try:
        return User.objects.select_related("agency", "agency__unit").get(username=username)
    except User.DoesNotExist as exc:
        raise RuntimeError(
            f"Demo account {username!r} is missing: run demo.accounts.demo_seed() first."
        ) from exc


def working_day_back(day: dt.date) -> dt.date:
    """``day``, or the last working day before it."""
    calendar = get_calendar()
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def working_days_ago(days: int) -> dt.date:
    """The last working day ``days`` days back (today if it is one, for 0)."""
    return working_day_back(timezone.localdate() - dt.timedelta(days=days))


def working_day_after(day: dt.date, days: int) -> dt.date:
    """The last working day at most ``days`` days after ``day``, and never after today."""
    return working_day_back(min(day + dt.timedelta(days=days), timezone.localdate()))


# The commune most demo records happen in (Mường Kim, Than Uyên): its People's Committee.
MK = "ubnd-xa-muong-kim"
