"""Fixtures of the overview's tests: Mường Kim's staff and petitions of March 2025."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.complaints.factories import agency, muong_kim_staff, on, submit_item, unit


@pytest.fixture
def mk() -> SimpleNamespace:
    return muong_kim_staff()


@pytest.fixture
def march_2025(time_machine) -> SimpleNamespace:
    """Items of Mường Kim, submitted so that on Tuesday 25/3/2025 one is due within 3 working
    days, one is not due yet, and four are overdue, one in each aging band; and one overdue
    item of Bản Bo. The first processing period is 10 working days."""
    submitted = {}
    for day in [(2025, 2, 3), (2025, 2, 17), (2025, 3, 3), (2025, 3, 10), (2025, 3, 13)]:
        time_machine.move_to(on(*day), tick=False)
        submitted[day] = submit_item()
    time_machine.move_to(on(2025, 3, 20), tick=False)
    not_due = submit_item()
    time_machine.move_to(on(2025, 3, 3), tick=False)
    ban_bo = submit_item(receiving_agency=agency("ubnd-xa-ban-bo"), location_unit=unit("xa-ban-bo"))
    time_machine.move_to(on(2025, 3, 25), tick=False)
    due = {d: item.due_on for d, item in submitted.items()}
    # The deadlines the bands below are counted from (calendar days overdue on 25/3).
    assert due == {
        (2025, 2, 3): dt.date(2025, 2, 17),  # 36 days: over 30
        (2025, 2, 17): dt.date(2025, 3, 3),  # 22 days: 11-30
        (2025, 3, 3): dt.date(2025, 3, 17),  # 8 days: 6-10
        (2025, 3, 10): dt.date(2025, 3, 24),  # 1 day: 1-5
        (2025, 3, 13): dt.date(2025, 3, 27),  # due within 3 working days
    }
    assert not_due.due_on == dt.date(2025, 4, 3) and ban_bo.due_on == dt.date(2025, 3, 17)
    return SimpleNamespace(items=submitted, ban_bo=ban_bo)
