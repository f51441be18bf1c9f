"""The demo reception: a calendar ahead, a month held behind, every outcome, created once."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone
from time_machine import TimeMachineFixture

from complaints.models import Channel, Petition
from demo.accounts import demo_seed as gov_demo_seed
from demo.common import DEMO_MARK
from demo.petitions import demo_seed as complaints_demo_seed
from demo.reception import demo_seed as reception_demo_seed
from gov.models import Notification, User
from gov.workdays import get_calendar
from reception.models import (
    PresiderType,
    ReceptionEvent,
    ReceptionSession,
    Schedule,
    SessionKind,
    Visit,
)
from reception.selectors import ComplianceRow, compliance, public_calendar, visitor_name
from tests.complaints.factories import on

pytestmark = pytest.mark.django_db

COUNTED = [Schedule, ReceptionSession, Visit, ReceptionEvent, Petition, Notification]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in COUNTED}


def _seed(django_capture_on_commit_callbacks) -> list[ReceptionSession]:
    gov_demo_seed()
    with django_capture_on_commit_callbacks(execute=True):
        complaints_demo_seed()
        return reception_demo_seed()


@pytest.fixture
def seeded(django_capture_on_commit_callbacks) -> SimpleNamespace:
    """The demo, seeded on the real date like ``make run`` does."""
    created = _seed(django_capture_on_commit_callbacks)
    return SimpleNamespace(created=created, counts=_counts())


def _months(today: dt.date) -> list[tuple[int, int]]:
    """The current month and the last full one."""
    previous = today.replace(day=1) - dt.timedelta(days=1)
    return [(previous.year, previous.month), (today.year, today.month)]


def _muong_kim_rows(today: dt.date) -> list[ComplianceRow]:
    chairman = User.objects.get(username="lanhdao.muongkim")
    return [
        row
        for year, month in _months(today)
        for row in compliance(chairman, year=year, month=month)
    ]


def test_demo_seed_twice_creates_nothing_new(
    seeded: SimpleNamespace, django_capture_on_commit_callbacks
) -> None:
    assert seeded.created
    with django_capture_on_commit_callbacks(execute=True):
        assert reception_demo_seed() == []
    assert _counts() == seeded.counts


def test_seed_demo_command_seeds_reception_after_the_petitions(
    django_capture_on_commit_callbacks,
) -> None:
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet-logins", stdout=out)
    sessions = ReceptionSession.objects.count()
    assert sessions > 10
    assert f"demo reception sessions created: {sessions}" in out.getvalue()
    assert Visit.objects.filter(petition__isnull=False).exists()


def test_demo_sessions_carry_the_demo_mark(seeded: SimpleNamespace) -> None:
    assert not ReceptionSession.objects.exclude(note__startswith=DEMO_MARK).exists()
    assert len(seeded.created) == ReceptionSession.objects.count()


def test_demo_sessions_are_past_working_days(seeded: SimpleNamespace) -> None:
    today, cal = timezone.localdate(), get_calendar()
    days = list(ReceptionSession.objects.values_list("date", flat=True))
    assert all(d < today and cal.is_working_day(d) for d in days)
    assert min(days) >= today - dt.timedelta(weeks=10)


def test_demo_visits_show_every_outcome(seeded: SimpleNamespace) -> None:
    assert set(Visit.objects.values_list("outcome", flat=True)) == set(Visit.Outcome.values)
    assert 14 <= Visit.objects.count() <= 18


def test_demo_reception_log_numbers_visits_in_date_order(seeded: SimpleNamespace) -> None:
    codes = set(Visit.objects.values_list("session__agency__code", flat=True))
    assert len(codes) >= 2  # the demo receives at more than one agency
    for code in codes:
        visits = Visit.objects.filter(session__agency__code=code).order_by("year", "serial")
        dates = [v.session.date for v in visits]
        assert dates == sorted(dates), code


def test_demo_refusals_use_each_legal_ground(seeded: SimpleNamespace) -> None:
    grounds = set(
        Visit.objects.filter(outcome=Visit.Outcome.REFUSED).values_list("refusal_ground", flat=True)
    )
    assert grounds == set(Visit.RefusalGround.values)


def test_demo_petitions_received_in_sessions_enter_the_pipeline(seeded: SimpleNamespace) -> None:
    visits = Visit.objects.filter(outcome=Visit.Outcome.PETITION).select_related(
        "petition", "session"
    )
    assert len(visits) >= 4
    for visit in visits:
        assert visit.petition.channel == Channel.RECEPTION_SESSION
        assert visit.petition.received_on == visit.session.date
        assert visit.petition.receiving_agency_id == visit.session.agency_id


def test_demo_denunciation_visit_keeps_the_visitor_secret(seeded: SimpleNamespace) -> None:
    [visit] = Visit.objects.filter(kind="denunciation")
    assert visit.identity_protected and visit.petition.identity_protected
    officer = User.objects.get(username="tiepdan.muongkim")
    handler = User.objects.get(username="xuly.muongkim")
    assert visitor_name(officer, visit) != visit.full_name
    assert visitor_name(handler, visit) == visit.full_name


def test_demo_group_of_seven_names_two_representatives_and_petitions(
    seeded: SimpleNamespace,
) -> None:
    [group] = Visit.objects.filter(is_group=True)
    assert (group.group_size, group.outcome, group.session.kind) == (
        7,
        Visit.Outcome.PETITION,
        SessionKind.AD_HOC,
    )
    petition = Petition.objects.get(pk=group.petition_id)
    assert petition.submitters.filter(is_representative=True).count() == 2
    assert petition.is_mass
    [alert] = Notification.objects.filter(kind="group_visit")
    assert alert.recipient.username == "lanhdao.muongkim"


def test_demo_calendar_covers_the_next_eight_weeks(seeded: SimpleNamespace) -> None:
    today = timezone.localdate()
    entries = list(
        public_calendar(start=today + dt.timedelta(days=1), end=today + dt.timedelta(weeks=8))
    )
    by_agency: dict[str, list[Schedule]] = {}
    for entry in entries:
        by_agency.setdefault(entry.agency.code, []).append(entry)
    assert len(by_agency["ubnd-xa-muong-kim"]) >= 7
    assert len(by_agency["ubnd-phuong-tan-phong"]) >= 7
    assert 1 <= len(by_agency["ubnd-tinh"]) <= 3
    assert len(by_agency["ban-tiep-cong-dan-tinh"]) >= 12
    assert {e.place for e in by_agency["ubnd-xa-muong-kim"]} == {"Trụ sở UBND xã Mường Kim"}
    assert {e.place for e in by_agency["ubnd-tinh"]} == {"Trụ sở Ban Tiếp công dân tỉnh"}
    assert {e.kind for e in by_agency["ban-tiep-cong-dan-tinh"]} == {SessionKind.REGULAR}
    assert {(e.start_time, e.end_time) for e in by_agency["ubnd-xa-muong-kim"]} == {
        (dt.time(7, 30), dt.time(11, 0))
    }


def test_demo_province_chairman_received_once_a_month_in_person(
    seeded: SimpleNamespace,
) -> None:
    sessions = ReceptionSession.objects.filter(agency__code="ubnd-tinh")
    assert set(sessions.values_list("kind", "presider_type")) == {
        (SessionKind.PERIODIC, PresiderType.HEAD)
    }
    months = [(s.date.year, s.date.month) for s in sessions]
    assert 1 <= len(months) == len(set(months)) <= 2
    assert Visit.objects.filter(session__agency__code="ubnd-tinh").exists()


def _assert_muong_kim_missed_and_delegated(today: dt.date) -> None:
    cancelled = Schedule.objects.get(agency__code="ubnd-xa-muong-kim", is_cancelled=True)
    delegated = ReceptionSession.objects.get(
        agency__code="ubnd-xa-muong-kim", presider_type=PresiderType.DEPUTY
    )
    rows = _muong_kim_rows(today)
    missed = [p for r in rows for p in r.missed_periods]
    assert any(p.start <= cancelled.date <= p.end for p in missed)
    assert delegated in [s for r in rows for p in r.periods for s in p.delegated]
    assert any(p.start <= delegated.date <= p.end for p in missed)


def test_demo_compliance_shows_a_missed_week_and_a_delegated_one(
    seeded: SimpleNamespace,
) -> None:
    _assert_muong_kim_missed_and_delegated(timezone.localdate())


def test_demo_tan_phong_received_every_past_week_in_person(seeded: SimpleNamespace) -> None:
    sessions = ReceptionSession.objects.filter(agency__code="ubnd-phuong-tan-phong")
    assert sessions.count() >= 4
    assert set(sessions.values_list("presider_type", flat=True)) == {PresiderType.HEAD}


@pytest.mark.parametrize(
    "moment",
    [on(2027, 2, 15), on(2026, 5, 4), on(2026, 8, 31), on(2025, 12, 1)],
    ids=["after-tet-2027", "after-30-4-2026", "holiday-monday", "first-of-month"],
)
def test_demo_keeps_its_story_whatever_the_date(
    time_machine: TimeMachineFixture, django_capture_on_commit_callbacks, moment: dt.datetime
) -> None:
    time_machine.move_to(moment, tick=False)
    _seed(django_capture_on_commit_callbacks)
    today = moment.date()
    assert set(Visit.objects.values_list("outcome", flat=True)) == set(Visit.Outcome.values)
    assert not ReceptionSession.objects.filter(date__gte=today).exists()
    _assert_muong_kim_missed_and_delegated(today)


def test_seed_demo_prints_names_and_the_address_make_run_serves(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    """Issue 18, item 9: `make run HOST=… PORT=…` prints the login address it serves."""
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8080")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    assert "Log in at http://0.0.0.0:8080/dang-nhap/" in printed
    assert "Lò Văn Pâng – Chủ tịch UBND xã" in printed
