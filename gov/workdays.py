"""The legal working-day calendar.

Rules (shared/domain.md, "Deadline counting"):
- a period starts the day after the event (Civil Code 2015 Art. 147);
- "ngày làm việc" counts working days, plain "ngày" counts calendar days;
- a period whose last day is a day off ends on the next working day (Civil Code 2015 Art. 148).

Working days are Monday to Friday, less Vietnam's public holidays and government-announced days
off, plus Saturdays worked in exchange; both come from the ``holidays`` package (country VN) and
are corrected by administrators through ``CalendarDay`` rows, which always win.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays
from django.core.cache import cache as django_cache

from gov import memo

OVERRIDES_CACHE_KEY = "gov:calendar-overrides:v1"
# Each process keeps the calendar it built (gov.memo) before asking the shared cache again:
# deadlines are computed several times per request, and a correction made in another process
# reaches this one within gov.memo.SECONDS (the process that saves it forgets at once).
MEMO_KEY = ("working-calendar",)
# A bound on loops: no run of days off in Vietnam comes near this.
_MAX_CONSECUTIVE_DAYS_OFF = 60


@cache
def _vietnam_holidays() -> holidays.HolidayBase:
    # expand=True: years are added on first use, so the calendar has no end date.
    return holidays.country_holidays("VN", expand=True)


class WorkingCalendar:
    """Working-day arithmetic over Vietnam's calendar and a fixed set of overrides.

    Build one with ``get_calendar()`` (which loads the administrators' overrides once and caches
    them) and reuse it for many computations.
    """

    def __init__(self, overrides: dict[dt.date, bool] | None = None) -> None:
        # date → True (working day) or False (day off)
        self.overrides = overrides or {}
        self._vn = _vietnam_holidays()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day in self._vn:  # also loads that year's weekend workdays
            return False
        if day.weekday() >= 5:
            return day in self._vn.weekend_workdays
        return True

    def holiday_name(self, day: dt.date) -> str | None:
        return self._vn.get(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        for _ in range(_MAX_CONSECUTIVE_DAYS_OFF):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError("No working day found within 60 days: check the calendar corrections.")

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (the period starts the next day)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        for _ in range(days):
            day = self.next_working_day(day + dt.timedelta(days=1))
        return day

    def add_calendar_days(self, start: dt.date, days: int) -> dt.date:
        """``start`` + ``days``; a period ending on a day off ends on the next working day."""
        if days < 0:
            raise ValueError("days must not be negative")
        return self.next_working_day(start + dt.timedelta(days=days))

    def add_days(self, start: dt.date, days: int, *, working: bool) -> dt.date:
        if working:
            return self.add_working_days(start, days)
        return self.add_calendar_days(start, days)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days of a period have passed."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def load_overrides() -> dict[dt.date, bool]:
    from gov.models import CalendarDay

    return {
        row.date: row.kind == CalendarDay.Kind.WORKING_DAY
        for row in CalendarDay.objects.only("date", "kind")
    }


def get_calendar() -> WorkingCalendar:
    """The calendar with the administrators' overrides, cached until a ``CalendarDay`` changes
    (shared cache), and kept by this process a few seconds (``gov.memo``)."""
    return memo.remembered(MEMO_KEY, _build_calendar)


def _build_calendar() -> WorkingCalendar:
    overrides = django_cache.get(OVERRIDES_CACHE_KEY)
    if overrides is None:
        overrides = load_overrides()
        django_cache.set(OVERRIDES_CACHE_KEY, overrides, timeout=3600)
    return WorkingCalendar(overrides)


def forget_overrides() -> None:
    memo.forget(MEMO_KEY)
    django_cache.delete(OVERRIDES_CACHE_KEY)


def is_working_day(day: dt.date) -> bool:
    return get_calendar().is_working_day(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    return get_calendar().add_working_days(start, days)


def add_calendar_days(start: dt.date, days: int) -> dt.date:
    return get_calendar().add_calendar_days(start, days)
