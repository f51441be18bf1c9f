"""Citizen reception through the service functions: the calendar (Luật Tiếp công dân 42/2013/QH13)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from gov.errors import Refused
from gov.models import User
from reception import selectors
from reception.models import (
    ReceptionEvent,
    Schedule,
)
from reception.services import schedule_add_recurring, schedule_cancel
from tests.gov.factories import staff_of
from tests.reception.factories import (
    TAN_PHONG,
    add_schedule,
    agency,
)
from tests.reception.services_helpers import (  # noqa: F401 (autouse fixtures run in every test here)
    D,
    EventKind,
    _english,
    _today,
)

pytestmark = pytest.mark.django_db


def _recurring(by: User, weekday: int, first: D, last: D) -> list[Schedule]:
    return schedule_add_recurring(
        agency=by.agency,
        by=by,
        weekday=weekday,
        first=first,
        last=last,
        start_time=dt.time(7, 30),
        end_time=dt.time(11, 0),
        host="Chủ tịch UBND tỉnh",
        place="Trụ sở Ban Tiếp công dân tỉnh",
    )


def _dates(agency_code: str) -> list[D]:
    return list(
        Schedule.objects.filter(agency__code=agency_code)
        .order_by("date")
        .values_list("date", flat=True)
    )


# --- the calendar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [D(2025, 9, 2), D(2025, 10, 25), D(2025, 10, 26)],
    ids=["national-day", "saturday", "sunday"],
)
def test_schedule_refused_on_a_day_off(mk: SimpleNamespace, day: D) -> None:
    with pytest.raises(Refused, match="not a working day"):
        add_schedule(by=mk.reception, date=day)
    assert not Schedule.objects.exists()


def test_schedule_accepted_on_a_saturday_worked_in_exchange() -> None:
    officer = staff_of("ubnd-tinh", User.Role.RECEPTION_OFFICER)
    schedule = add_schedule(by=officer, date=D(2025, 4, 26))  # worked for Friday 2 May 2025
    assert schedule.date == D(2025, 4, 26)


@pytest.mark.parametrize("end", [dt.time(7, 0), dt.time(7, 30)], ids=["before", "same-time"])
def test_schedule_refused_when_it_does_not_end_after_it_starts(
    mk: SimpleNamespace, end: dt.time
) -> None:
    with pytest.raises(Refused, match="end after it starts"):
        add_schedule(by=mk.reception, date=D(2025, 10, 27), start_time=dt.time(7, 30), end_time=end)
    assert not Schedule.objects.exists()


def test_schedule_refused_to_staff_of_another_agency(mk: SimpleNamespace) -> None:
    with pytest.raises(Refused, match="may do this"):
        add_schedule(by=mk.reception, date=D(2025, 10, 27), agency=agency(TAN_PHONG))


def test_schedule_add_writes_a_scheduled_event(mk: SimpleNamespace) -> None:
    schedule = add_schedule(by=mk.reception, date=D(2025, 10, 27))
    event = ReceptionEvent.objects.get(schedule=schedule)
    assert (event.kind, event.actor, event.data) == (
        EventKind.SCHEDULED,
        mk.reception,
        {"date": "2025-10-27"},
    )


def test_recurring_plans_the_weekday_every_week_on_working_days() -> None:
    officer = staff_of("ubnd-tinh", User.Role.RECEPTION_OFFICER)
    _recurring(officer, 0, D(2025, 5, 6), D(2025, 5, 31))
    assert _dates("ubnd-tinh") == [D(2025, 5, 12), D(2025, 5, 19), D(2025, 5, 26)]


def test_recurring_moves_a_monday_holiday_to_the_tuesday() -> None:
    """Monday 7 April 2025 was the Hùng Kings' day: that week's session moves to the 8th."""
    officer = staff_of("ubnd-tinh", User.Role.RECEPTION_OFFICER)
    _recurring(officer, 0, D(2025, 4, 1), D(2025, 4, 20))
    assert _dates("ubnd-tinh") == [D(2025, 4, 8), D(2025, 4, 14)]


def test_recurring_moves_a_holiday_to_the_next_working_day() -> None:
    """Wednesday 30 April 2025 began five days off (30/4–4/5, Friday 2 May exchanged for
    Saturday 26 April): that week's Wednesday session moves to Monday 5 May."""
    officer = staff_of("ubnd-tinh", User.Role.RECEPTION_OFFICER)
    created = _recurring(officer, 2, D(2025, 4, 1), D(2025, 5, 31))
    assert [s.date for s in created] == [
        D(2025, 4, 2),
        D(2025, 4, 9),
        D(2025, 4, 16),
        D(2025, 4, 23),
        D(2025, 5, 5),
        D(2025, 5, 7),
        D(2025, 5, 14),
        D(2025, 5, 21),
        D(2025, 5, 28),
    ]


def test_recurring_mondays_and_wednesdays_plan_a_moved_session_once() -> None:
    """Across April–May 2025 the Wednesday of 30 April moves onto Monday 5 May, which already
    holds the Monday session: one day of reception, one calendar entry."""
    officer = staff_of("ubnd-tinh", User.Role.RECEPTION_OFFICER)
    mondays = _recurring(officer, 0, D(2025, 4, 1), D(2025, 5, 31))
    wednesdays = _recurring(officer, 2, D(2025, 4, 1), D(2025, 5, 31))
    assert D(2025, 5, 5) in [s.date for s in mondays]
    assert D(2025, 5, 5) not in [s.date for s in wednesdays]
    assert [d for d in _dates("ubnd-tinh") if D(2025, 4, 28) <= d <= D(2025, 5, 11)] == [
        D(2025, 4, 28),
        D(2025, 5, 5),
        D(2025, 5, 7),
    ]
    assert len(_dates("ubnd-tinh")) == 16


def test_recurring_twice_plans_nothing_new() -> None:
    officer = staff_of("ubnd-tinh", User.Role.RECEPTION_OFFICER)
    _recurring(officer, 0, D(2025, 4, 1), D(2025, 5, 31))
    _recurring(officer, 2, D(2025, 4, 1), D(2025, 5, 31))
    before = _dates("ubnd-tinh")
    assert _recurring(officer, 0, D(2025, 4, 1), D(2025, 5, 31)) == []
    assert _recurring(officer, 2, D(2025, 4, 1), D(2025, 5, 31)) == []
    assert _dates("ubnd-tinh") == before


def test_recurring_refuses_more_than_a_year_ahead(mk: SimpleNamespace) -> None:
    with pytest.raises(Refused, match="at most a year"):
        _recurring(mk.reception, 0, D(2025, 11, 3), D(2027, 1, 4))


def test_schedule_cancel_needs_a_reason(mk: SimpleNamespace) -> None:
    schedule = add_schedule(by=mk.reception, date=D(2025, 10, 27))
    with pytest.raises(Refused, match="reason"):
        schedule_cancel(schedule=schedule, by=mk.reception, reason="  ")
    schedule.refresh_from_db()
    assert not schedule.is_cancelled


def test_schedule_cancel_writes_an_event_with_the_reason(mk: SimpleNamespace) -> None:
    schedule = add_schedule(by=mk.reception, date=D(2025, 10, 27))
    reason = "Chủ tịch UBND xã dự họp Hội đồng nhân dân tỉnh"
    schedule_cancel(schedule=schedule, by=mk.reception, reason=reason)
    schedule.refresh_from_db()
    assert schedule.is_cancelled
    event = ReceptionEvent.objects.get(kind=EventKind.SCHEDULE_CANCELLED)
    assert (event.schedule, event.actor, event.note) == (schedule, mk.reception, reason)


def test_cancelled_entry_leaves_the_public_calendar(mk: SimpleNamespace) -> None:
    kept = add_schedule(by=mk.reception, date=D(2025, 10, 27))
    cancelled = add_schedule(by=mk.reception, date=D(2025, 11, 3))
    schedule_cancel(schedule=cancelled, by=mk.reception, reason="Trùng lịch tiếp xúc cử tri")
    calendar = selectors.public_calendar(start=D(2025, 10, 20), end=D(2025, 11, 30))
    assert list(calendar) == [kept]
