"""The overview's reception line counts a head as complying only when every period so far had
its sessions: a month that has not ended, without a session yet, is "in progress", not met
(issue 18, item 5: "Thực hiện đúng 51" in December before any head had received anyone)."""

from __future__ import annotations

import datetime as dt

import pytest
from time_machine import TimeMachineFixture

from dashboard.selectors import compliance_summary
from gov.models import User
from tests.complaints.factories import on
from tests.gov.factories import staff_of
from tests.reception.factories import MUONG_KIM, log_session

pytestmark = pytest.mark.django_db


def test_a_running_month_without_sessions_is_in_progress_not_met(
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(on(2026, 12, 3), tick=False)
    summary = compliance_summary(staff_of("ubnd-tinh", User.Role.LEADER))
    assert summary.heads > 0
    assert summary.complying == 0  # nobody has received anyone in December yet
    assert summary.missed == 0  # the first week ends on Sunday 6/12: nothing is missed yet
    assert summary.pending == summary.heads


def test_a_head_whose_periods_so_far_were_held_complies(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(on(2026, 12, 3), tick=False)
    officer = staff_of(MUONG_KIM, User.Role.RECEPTION_OFFICER)
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    before = compliance_summary(leader)
    assert (before.heads, before.complying, before.pending) == (1, 0, 1)
    log_session(by=officer, date=dt.date(2026, 12, 2))  # the chairman, this week
    after = compliance_summary(leader)
    assert (after.complying, after.missed, after.pending) == (1, 0, 0)
    time_machine.move_to(on(2026, 12, 15), tick=False)  # the week of 7/12 passed without one
    later = compliance_summary(leader)
    assert (later.complying, later.missed, later.pending) == (0, 1, 0)
