"""Whether heads received citizens in person as often as the law requires: a commune chairman
at least one day a week (Art. 15(2)(d)), the province chairman and department directors at
least one day a month (Art. 18(2)). Weeks belong to the month of their Thursday (ISO 8601)."""

from __future__ import annotations

import datetime as dt

import pytest
from time_machine import TimeMachineFixture

from gov.models import Agency, User
from gov.workdays import get_calendar
from reception.models import PresiderType, SessionKind
from reception.selectors import ComplianceRow, compliance
from tests.complaints.factories import on
from tests.gov.factories import staff_of
from tests.reception.factories import MUONG_KIM, TAN_PHONG, log_session

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _today(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(on(2025, 11, 3), tick=False)


@pytest.fixture
def province_leader() -> User:
    return staff_of("ubnd-tinh", User.Role.LEADER)


@pytest.fixture
def mk_officer() -> User:
    return staff_of(MUONG_KIM, User.Role.RECEPTION_OFFICER)


@pytest.fixture
def mk_october(mk_officer: User) -> None:
    """October 2025 in Mường Kim: W40–W44. The chairman receives in W40 (on Tuesday 30
    September, a week whose Thursday is 2 October), twice in W43 and in W44; a deputy stands in
    for him in W41; W42 has only an ad hoc session."""
    for day in (D(2025, 9, 30), D(2025, 10, 20), D(2025, 10, 22), D(2025, 10, 27)):
        log_session(by=mk_officer, date=day)
    log_session(
        by=mk_officer,
        date=D(2025, 10, 6),
        presider_type=PresiderType.DEPUTY,
        presider_name="Tòng Văn Hải",
    )
    log_session(
        by=mk_officer,
        date=D(2025, 10, 16),
        kind=SessionKind.AD_HOC,
        ad_hoc_reason="Mười hộ dân bản Nà Phát đến cùng lúc về việc sạt lở",
    )


def _row(user: User, code: str, year: int = 2025, month: int = 10) -> ComplianceRow:
    [row] = [r for r in compliance(user, year=year, month=month) if r.agency.code == code]
    return row


# --- a commune, weekly --------------------------------------------------------------------------


def test_weekly_rule_requires_each_week_whose_thursday_is_in_the_month(
    province_leader: User,
) -> None:
    row = _row(province_leader, MUONG_KIM)
    assert [(p.label, p.start, p.end) for p in row.periods] == [
        ("W40", D(2025, 9, 29), D(2025, 10, 5)),
        ("W41", D(2025, 10, 6), D(2025, 10, 12)),
        ("W42", D(2025, 10, 13), D(2025, 10, 19)),
        ("W43", D(2025, 10, 20), D(2025, 10, 26)),
        ("W44", D(2025, 10, 27), D(2025, 11, 2)),
    ]
    assert row.required == 5


@pytest.mark.usefixtures("mk_october")
def test_commune_sessions_held_in_person_counted_once_a_week(province_leader: User) -> None:
    assert _row(province_leader, MUONG_KIM).held_in_person == 3


@pytest.mark.usefixtures("mk_october")
def test_commune_delegated_session_counted_apart(province_leader: User) -> None:
    row = _row(province_leader, MUONG_KIM)
    assert row.delegated == 1
    assert [s.date for s in row.periods[1].delegated] == [D(2025, 10, 6)]


@pytest.mark.usefixtures("mk_october")
def test_commune_missed_weeks_are_the_delegated_one_and_the_empty_one(
    province_leader: User,
) -> None:
    assert [p.label for p in _row(province_leader, MUONG_KIM).missed_periods] == ["W41", "W42"]


@pytest.mark.usefixtures("mk_october")
def test_commune_with_missed_weeks_does_not_comply(province_leader: User) -> None:
    assert _row(province_leader, MUONG_KIM).complies is False


def test_commune_received_every_week_complies(mk_officer: User) -> None:
    for day in (D(2025, 9, 29), D(2025, 10, 6), D(2025, 10, 13), D(2025, 10, 20), D(2025, 10, 27)):
        log_session(by=mk_officer, date=day)
    row = _row(mk_officer, MUONG_KIM)
    assert (row.required, row.held_in_person, row.missed_periods, row.complies) == (5, 5, [], True)


@pytest.mark.usefixtures("mk_october")
def test_week_straddling_two_months_counts_in_the_month_of_its_thursday(
    province_leader: User,
) -> None:
    """Tuesday 30/9/2025 belongs to W40, whose Thursday is 2 October: October counts it,
    September (W36–W39) does not."""
    october = _row(province_leader, MUONG_KIM, month=10)
    september = _row(province_leader, MUONG_KIM, month=9)
    assert [s.date for s in october.periods[0].in_person] == [D(2025, 9, 30)]
    assert [p.label for p in september.periods] == ["W36", "W37", "W38", "W39"]
    assert september.held_in_person == 0
    assert not any(p.in_person or p.delegated for p in september.periods)


def test_week_of_new_year_counts_in_january(
    mk_officer: User, time_machine: TimeMachineFixture
) -> None:
    """Tuesday 30/12/2025 is in ISO week 1 of 2026 (Thursday 1 January)."""
    time_machine.move_to(on(2026, 1, 5), tick=False)
    log_session(by=mk_officer, date=D(2025, 12, 30))
    january = _row(mk_officer, MUONG_KIM, year=2026, month=1)
    december = _row(mk_officer, MUONG_KIM, year=2025, month=12)
    assert (january.periods[0].label, january.held_in_person) == ("W01", 1)
    assert [p.label for p in december.periods][-1] == "W52"
    assert december.held_in_person == 0


# --- the province and its departments, monthly --------------------------------------------------


def test_province_chairman_received_once_in_person_complies(province_leader: User) -> None:
    officer = staff_of("ubnd-tinh", User.Role.RECEPTION_OFFICER)
    log_session(by=officer, date=D(2025, 10, 15), presider_name="Lê Văn Lương")
    row = _row(province_leader, "ubnd-tinh")
    assert [p.label for p in row.periods] == ["10/2025"]
    assert (row.required, row.held_in_person, row.complies) == (1, 1, True)


def test_department_head_who_only_delegated_does_not_comply(province_leader: User) -> None:
    officer = staff_of("so-y-te", User.Role.RECEPTION_OFFICER)
    log_session(
        by=officer,
        date=D(2025, 10, 15),
        presider_type=PresiderType.DEPUTY,
        presider_name="Phó Giám đốc Sở Y tế",
    )
    row = _row(province_leader, "so-y-te")
    assert (row.required, row.held_in_person, row.delegated, row.complies) == (1, 0, 1, False)
    assert [p.label for p in row.missed_periods] == ["10/2025"]


# --- scope and cost ----------------------------------------------------------------------------


def test_commune_officer_sees_only_their_commune(mk_officer: User) -> None:
    rows = compliance(mk_officer, year=2025, month=10)
    assert [r.agency.code for r in rows] == [MUONG_KIM]


def test_provincial_leader_sees_every_head_the_law_binds(province_leader: User) -> None:
    codes = {r.agency.code for r in compliance(province_leader, year=2025, month=10)}
    communes = set(
        Agency.objects.filter(
            kind=Agency.Kind.PEOPLES_COMMITTEE, unit__level=3, valid_to__isnull=True
        ).values_list("code", flat=True)
    )
    departments = set(
        Agency.objects.filter(
            kind=Agency.Kind.DEPARTMENT, unit__level=1, valid_to__isnull=True
        ).values_list("code", flat=True)
    )
    assert len(communes) > 30
    assert {MUONG_KIM, TAN_PHONG} <= communes
    assert codes == communes | departments | {"ubnd-tinh", "thanh-tra-tinh"}


def test_compliance_of_a_past_month_lists_the_agencies_of_that_month(
    province_leader: User,
) -> None:
    codes = {r.agency.code for r in compliance(province_leader, year=2025, month=1)}
    assert "so-lao-dong-tbxh" in codes


def _fill(weeks: int) -> None:
    """``weeks`` weeks of sessions in Mường Kim, Tân Phong, the province and a department."""
    for code in (MUONG_KIM, TAN_PHONG, "ubnd-tinh", "so-y-te"):
        officer = staff_of(code, User.Role.RECEPTION_OFFICER)
        for n in range(weeks):
            day = D(2025, 9, 29) + dt.timedelta(weeks=n % 5, days=n // 5)
            log_session(by=officer, date=day)
            log_session(
                by=officer,
                date=day,
                presider_type=PresiderType.DEPUTY,
                presider_name="Phó Chủ tịch",
            )


@pytest.mark.parametrize("weeks", [1, 10])
def test_compliance_runs_a_bounded_number_of_queries(
    province_leader: User, django_assert_max_num_queries, weeks: int
) -> None:
    _fill(weeks)
    leader = User.objects.get(pk=province_leader.pk)  # nothing cached
    get_calendar()  # the working calendar, read once per process (gov.workdays)
    with django_assert_max_num_queries(5):
        rows = compliance(leader, year=2025, month=10)
        summary = [
            (r.agency.name, r.agency.unit.name, r.required, r.held_in_person, r.delegated)
            for r in rows
        ]
        labels = [p.label for r in rows for p in r.missed_periods]
    assert len(summary) > 40
    assert labels


def test_a_week_of_tet_requires_no_session(
    province_leader: User, mk_officer: User, time_machine: TimeMachineFixture
) -> None:
    """February 2026: W08 (16–20 February) is all Tết holiday. The chairman receives every
    other week and complies; W08 requires nothing and is not missed."""
    time_machine.move_to(on(2026, 3, 2), tick=False)
    for day in (D(2026, 2, 3), D(2026, 2, 10), D(2026, 2, 24)):
        log_session(by=mk_officer, date=day)
    row = _row(province_leader, MUONG_KIM, year=2026, month=2)
    assert [p.label for p in row.periods] == ["W06", "W07", "W08", "W09"]
    assert [p.required_days for p in row.periods] == [1, 1, 0, 1]
    assert (row.required, row.held_in_person) == (3, 3)
    assert row.complies and not row.missed_periods
