"""The working-day calendar on fixed dates of 2024–2026 (Tết, swapped days, holidays)."""

from __future__ import annotations

import datetime as dt

import pytest

from gov.models import CalendarDay
from gov.workdays import WorkingCalendar, add_working_days, get_calendar, is_working_day

D = dt.date
cal = WorkingCalendar()


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # 2025: Sat 26 Apr worked in exchange for Fri 2 May.
        (D(2025, 4, 25), 1, D(2025, 4, 26)),
        # 30/4, 1/5 and the swapped 2/5 off, then the weekend.
        (D(2025, 4, 29), 1, D(2025, 5, 5)),
        # Tết 2025: Mon 27 Jan to Sat 1 Feb off.
        (D(2025, 1, 24), 1, D(2025, 2, 3)),
        (D(2025, 1, 23), 2, D(2025, 2, 3)),
        # 2024: Mon 29 Apr off, Sat 4 May worked.
        (D(2024, 4, 26), 1, D(2024, 5, 2)),
        (D(2024, 5, 3), 1, D(2024, 5, 4)),
        # Tết 2024: 8–14 Feb off.
        (D(2024, 2, 7), 1, D(2024, 2, 15)),
        # 2026: Sat 22 Aug worked, Mon 31 Aug, 1–2 Sep off.
        (D(2026, 8, 21), 1, D(2026, 8, 22)),
        (D(2026, 8, 28), 1, D(2026, 9, 3)),
        # 24/11/2026, Vietnamese Culture Day.
        (D(2026, 11, 23), 1, D(2026, 11, 25)),
        # Ten working days across Tết 2026 (16–20 Feb off).
        (D(2026, 2, 10), 10, D(2026, 3, 3)),
        (D(2025, 4, 25), 0, D(2025, 4, 25)),
    ],
)
def test_add_working_days(start: dt.date, days: int, expected: dt.date) -> None:
    assert cal.add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 4, 26), True),  # worked Saturday
        (D(2025, 5, 2), False),  # swapped day off
        (D(2025, 4, 27), False),  # Sunday
        (D(2025, 1, 29), False),  # Tết
        (D(2024, 9, 3), False),  # National Day, second day
        (D(2026, 4, 27), False),  # Hùng Kings' day observed (26/4 is a Sunday)
        (D(2026, 11, 24), False),
        (D(2026, 11, 25), True),
    ],
)
def test_is_working_day(day: dt.date, working: bool) -> None:
    assert cal.is_working_day(day) is working


def test_calendar_days_ending_on_a_day_off_end_on_the_next_working_day() -> None:
    # 30 days after Mon 3 Mar 2025 is Wed 2 Apr: a working day, kept.
    assert cal.add_calendar_days(D(2025, 3, 3), 30) == D(2025, 4, 2)
    # 30 days after Fri 31 Jan 2025 is Sun 2 Mar: the period ends on Mon 3 Mar.
    assert cal.add_calendar_days(D(2025, 1, 31), 30) == D(2025, 3, 3)
    # Ending on 30/4/2025 rolls past 1/5 and the swapped 2/5 to Mon 5 May.
    assert cal.add_calendar_days(D(2025, 3, 31), 30) == D(2025, 5, 5)
    # Ending on the worked Saturday 26/4/2025 stays there.
    assert cal.add_calendar_days(D(2025, 3, 27), 30) == D(2025, 4, 26)


def test_working_days_between_counts_only_working_days() -> None:
    assert cal.working_days_between(D(2025, 4, 25), D(2025, 5, 5)) == 4  # 26, 28, 29/4 and 5/5


def test_negative_periods_are_refused() -> None:
    with pytest.raises(ValueError):
        cal.add_working_days(D(2025, 1, 1), -1)


@pytest.mark.django_db
def test_administrator_day_off_moves_deadlines() -> None:
    assert add_working_days(D(2026, 12, 28), 1) == D(2026, 12, 29)
    CalendarDay.objects.create(
        date=D(2026, 12, 29), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù"
    )
    assert not is_working_day(D(2026, 12, 29))
    assert add_working_days(D(2026, 12, 28), 1) == D(2026, 12, 30)


@pytest.mark.django_db
def test_administrator_worked_saturday_counts_and_deleting_it_restores() -> None:
    sat = D(2026, 12, 26)
    row = CalendarDay.objects.create(date=sat, kind=CalendarDay.Kind.WORKING_DAY, reason="Làm bù")
    assert get_calendar().add_working_days(D(2026, 12, 25), 1) == sat
    row.delete()
    assert get_calendar().add_working_days(D(2026, 12, 25), 1) == D(2026, 12, 28)


@pytest.mark.django_db
def test_override_wins_over_the_holidays_package() -> None:
    # The package says 2/5/2025 is off; an administrator correction says it is worked.
    CalendarDay.objects.create(date=D(2025, 5, 2), kind=CalendarDay.Kind.WORKING_DAY, reason="Sửa")
    assert is_working_day(D(2025, 5, 2))
