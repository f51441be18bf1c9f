"""Citizen reception through the service functions: the calendar, the sessions held and the
visitors received (Luật Tiếp công dân 42/2013/QH13)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from time_machine import TimeMachineFixture

from complaints.confidentiality import MASK, masked_display, may_see_identity
from complaints.deadlines import intake_deadline
from complaints.models import Channel, IdentityReveal, Petition
from complaints.services import item_start_processing, item_transfer
from gov.errors import Refused
from gov.models import Notification, User
from reception import selectors
from reception.models import (
    PresiderType,
    ReceptionEvent,
    ReceptionSession,
    Schedule,
    SessionKind,
    Visit,
)
from reception.services import schedule_add_recurring, schedule_cancel
from tests.complaints.factories import on
from tests.gov.factories import staff_of
from tests.reception.factories import (
    MUONG_KIM,
    TAN_PHONG,
    add_schedule,
    agency,
    log_session,
    log_visit,
    reception_staff,
    sector,
)

pytestmark = pytest.mark.django_db

D = dt.date
Outcome = Visit.Outcome
EventKind = ReceptionEvent.Kind


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Refusals are matched on their English source text, which says which rule refused;
    what an officer reads is its Vietnamese translation, kept in ``locale/``."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _today(time_machine: TimeMachineFixture) -> None:
    """Monday 20 October 2025, after the commune reform of 1 July 2025."""
    time_machine.move_to(on(2025, 10, 20), tick=False)


@pytest.fixture
def mk() -> SimpleNamespace:
    return reception_staff(MUONG_KIM)


@pytest.fixture
def held(mk: SimpleNamespace) -> ReceptionSession:
    """A periodic session of Mường Kim held last Thursday by the chairman."""
    return log_session(by=mk.reception, date=D(2025, 10, 16))


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


# --- sessions ------------------------------------------------------------------------------------


def test_session_in_the_future_refused(mk: SimpleNamespace) -> None:
    with pytest.raises(Refused, match="future"):
        log_session(by=mk.reception, date=D(2025, 10, 21))


def test_session_today_accepted(mk: SimpleNamespace) -> None:
    assert log_session(by=mk.reception, date=D(2025, 10, 20)).date == D(2025, 10, 20)


@pytest.mark.parametrize("reason", ["", "   "])
def test_ad_hoc_session_needs_a_reason(mk: SimpleNamespace, reason: str) -> None:
    with pytest.raises(Refused, match="Art. 18"):
        log_session(
            by=mk.reception, date=D(2025, 10, 16), kind=SessionKind.AD_HOC, ad_hoc_reason=reason
        )


def test_session_needs_the_name_of_who_presided(mk: SimpleNamespace) -> None:
    with pytest.raises(Refused, match="presided"):
        log_session(by=mk.reception, date=D(2025, 10, 16), presider_name=" ")


def test_session_refused_to_staff_of_another_agency(mk: SimpleNamespace) -> None:
    tan_phong = staff_of(TAN_PHONG, User.Role.RECEPTION_OFFICER)
    with pytest.raises(Refused, match="may do this"):
        log_session(by=tan_phong, date=D(2025, 10, 16), agency=agency(MUONG_KIM))


def test_session_refused_for_a_calendar_entry_of_another_agency(mk: SimpleNamespace) -> None:
    tan_phong = staff_of(TAN_PHONG, User.Role.RECEPTION_OFFICER)
    theirs = add_schedule(by=tan_phong, date=D(2025, 10, 16))
    with pytest.raises(Refused, match="another agency"):
        log_session(by=mk.reception, date=D(2025, 10, 16), schedule=theirs)


def test_second_session_for_one_calendar_entry_refused(mk: SimpleNamespace) -> None:
    schedule = add_schedule(by=mk.reception, date=D(2025, 10, 16))
    log_session(by=mk.reception, date=D(2025, 10, 16), schedule=schedule)
    with pytest.raises(Refused, match="already logged"):
        log_session(by=mk.reception, date=D(2025, 10, 16), schedule=schedule)


def test_session_takes_the_place_of_its_calendar_entry(mk: SimpleNamespace) -> None:
    schedule = add_schedule(by=mk.reception, date=D(2025, 10, 16), place="Nhà văn hóa bản Nà Phát")
    session = log_session(by=mk.reception, date=D(2025, 10, 16), schedule=schedule)
    assert session.place == "Nhà văn hóa bản Nà Phát"


def test_session_logged_writes_an_event(mk: SimpleNamespace) -> None:
    session = log_session(by=mk.reception, date=D(2025, 10, 16))
    event = ReceptionEvent.objects.get(session=session)
    assert (event.kind, event.actor, event.data) == (
        EventKind.SESSION_LOGGED,
        mk.reception,
        {"presider_type": "head", "kind": "periodic"},
    )


def test_session_keeps_only_officers_of_its_agency(mk: SimpleNamespace) -> None:
    outsider = staff_of(TAN_PHONG, User.Role.RECEPTION_OFFICER)
    session = log_session(
        by=mk.reception, date=D(2025, 10, 16), officers=[mk.reception, mk.handler, outsider]
    )
    assert set(session.officers.all()) == {mk.reception, mk.handler}


@pytest.mark.parametrize("presider_type", [PresiderType.DEPUTY, PresiderType.OFFICER])
def test_delegated_periodic_session_before_july_2026_has_no_warning(
    time_machine: TimeMachineFixture, mk: SimpleNamespace, presider_type: str
) -> None:
    time_machine.move_to(on(2026, 7, 2), tick=False)
    session = log_session(
        by=mk.reception,
        date=D(2026, 6, 30),
        presider_type=presider_type,
        presider_name="Tòng Văn Hải",
    )
    assert session.delegation_warning == ""
    assert not ReceptionEvent.objects.filter(kind=EventKind.DELEGATION_WARNING).exists()


@pytest.mark.parametrize("agency_code", [MUONG_KIM, "ubnd-tinh", "so-y-te"])
def test_delegated_periodic_session_from_july_2026_is_recorded_with_a_warning(
    time_machine: TimeMachineFixture, agency_code: str
) -> None:
    """Law 136/2025/QH15: from 1 July 2026 heads may not delegate periodic reception."""
    time_machine.move_to(on(2026, 7, 2), tick=False)
    officer = staff_of(agency_code, User.Role.RECEPTION_OFFICER)
    session = log_session(
        by=officer,
        date=D(2026, 7, 1),
        presider_type=PresiderType.DEPUTY,
        presider_name="Tòng Văn Hải",
    )
    assert "01/07/2026" in session.delegation_warning
    assert "Law 136/2025/QH15" in session.delegation_warning
    event = ReceptionEvent.objects.get(kind=EventKind.DELEGATION_WARNING)
    assert (event.session, event.actor, event.note) == (
        session,
        officer,
        session.delegation_warning,
    )


@pytest.mark.parametrize("kind", [SessionKind.REGULAR, SessionKind.AD_HOC])
def test_regular_or_ad_hoc_session_delegated_never_warns(
    time_machine: TimeMachineFixture, mk: SimpleNamespace, kind: str
) -> None:
    time_machine.move_to(on(2026, 7, 2), tick=False)
    session = log_session(
        by=mk.reception,
        date=D(2026, 7, 1),
        kind=kind,
        ad_hoc_reason="Nhiều hộ dân đến cùng lúc",
        presider_type=PresiderType.DEPUTY,
        presider_name="Tòng Văn Hải",
    )
    assert session.delegation_warning == ""
    assert not ReceptionEvent.objects.filter(kind=EventKind.DELEGATION_WARNING).exists()


def test_periodic_session_by_the_head_from_july_2026_has_no_warning(
    time_machine: TimeMachineFixture, mk: SimpleNamespace
) -> None:
    time_machine.move_to(on(2026, 7, 2), tick=False)
    assert log_session(by=mk.reception, date=D(2026, 7, 1)).delegation_warning == ""


# --- visits: outcomes ---------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [Outcome.GUIDED, Outcome.ANSWERED])
def test_guidance_or_answer_needs_its_text(
    mk: SimpleNamespace, held: ReceptionSession, outcome: str
) -> None:
    with pytest.raises(ValidationError) as error:
        log_visit(session=held, by=mk.reception, outcome=outcome, handling="  ")
    assert set(error.value.message_dict) == {"handling"}
    assert not Visit.objects.exists()


@pytest.mark.parametrize("outcome", [Outcome.GUIDED, Outcome.ANSWERED])
def test_guided_or_answered_visit_is_logged_without_a_petition(
    mk: SimpleNamespace, held: ReceptionSession, outcome: str
) -> None:
    visit = log_visit(
        session=held,
        by=mk.reception,
        outcome=outcome,
        handling="Hướng dẫn gửi đơn đến Tòa án nhân dân khu vực.",
    )
    assert (visit.outcome, visit.handling, visit.petition) == (
        outcome,
        "Hướng dẫn gửi đơn đến Tòa án nhân dân khu vực.",
        None,
    )
    assert not Petition.objects.exists()


def test_refusal_needs_a_legal_ground(mk: SimpleNamespace, held: ReceptionSession) -> None:
    with pytest.raises(ValidationError) as error:
        log_visit(session=held, by=mk.reception, outcome=Outcome.REFUSED, handling="")
    assert set(error.value.message_dict) == {"refusal_ground"}


def test_refusal_keeps_its_ground(mk: SimpleNamespace, held: ReceptionSession) -> None:
    visit = log_visit(
        session=held,
        by=mk.reception,
        outcome=Outcome.REFUSED,
        refusal_ground=Visit.RefusalGround.PERSISTING,
        handling="",
    )
    assert (visit.outcome, visit.refusal_ground) == (Outcome.REFUSED, "persisting")


def test_ground_dropped_when_the_visitor_was_not_refused(
    mk: SimpleNamespace, held: ReceptionSession
) -> None:
    visit = log_visit(session=held, by=mk.reception, refusal_ground=Visit.RefusalGround.THREATS)
    assert visit.refusal_ground == ""


def test_visit_refused_to_staff_of_another_agency(held: ReceptionSession) -> None:
    tan_phong = staff_of(TAN_PHONG, User.Role.RECEPTION_OFFICER)
    with pytest.raises(Refused, match="may do this"):
        log_visit(session=held, by=tan_phong)


def test_visit_logged_writes_an_event(mk: SimpleNamespace, held: ReceptionSession) -> None:
    visit = log_visit(session=held, by=mk.reception)
    event = ReceptionEvent.objects.get(kind=EventKind.VISIT_LOGGED)
    assert (event.session, event.actor, event.data) == (
        held,
        mk.reception,
        {"visit": visit.pk, "outcome": "answered"},
    )


def test_petition_received_in_a_session_enters_the_petitions_pipeline(
    mk: SimpleNamespace, held: ReceptionSession
) -> None:
    visit = log_visit(
        session=held,
        by=mk.reception,
        full_name="Lò Thị Hoa",
        id_number="012345678901",
        phone="0912 345 678",
        outcome=Outcome.PETITION,
        handling="",
    )
    petition = visit.petition
    assert (petition.channel, petition.received_on, petition.receiving_agency) == (
        Channel.RECEPTION_SESSION,
        D(2025, 10, 16),
        agency(MUONG_KIM),
    )
    assert (petition.recorded_by, petition.is_backdated) == (mk.reception, True)
    assert [(s.full_name, s.id_number) for s in petition.submitters.all()] == [
        ("Lò Thị Hoa", "012345678901")
    ]
    assert petition.submitter_display == "Lò Thị Hoa"


def test_petition_deadline_counts_from_the_session_date(
    mk: SimpleNamespace, held: ReceptionSession
) -> None:
    """Processing a recommendation takes 10 working days from the day it was received, the
    session of Thursday 16/10/2025, not the day it was logged (Monday 20/10)."""
    visit = log_visit(session=held, by=mk.reception, outcome=Outcome.PETITION, handling="")
    item = visit.petition.items.get()
    assert item.started_on == D(2025, 10, 16)
    assert item.due_on == D(2025, 10, 30)
    assert item.due_on == intake_deadline(item, received_on=D(2025, 10, 16))[1].due


# --- visits: protected identity -----------------------------------------------------------------


@pytest.fixture
def denunciation(mk: SimpleNamespace, held: ReceptionSession) -> Visit:
    return log_visit(
        session=held,
        by=mk.reception,
        full_name="Vàng Thị Sua",
        kind="denunciation",
        sector=sector("tham-nhung"),
        content="Tố cáo cán bộ địa chính xã thu tiền khi làm hồ sơ cấp giấy chứng nhận.",
        denounced="Cán bộ địa chính xã Mường Kim",
        outcome=Outcome.PETITION,
        handling="",
    )


def test_denunciation_visit_protects_the_visitor(denunciation: Visit) -> None:
    assert denunciation.identity_protected


def test_denunciation_petition_protects_the_denouncer(denunciation: Visit) -> None:
    petition = denunciation.petition
    assert petition.identity_protected
    assert petition.submitter_display == ""
    assert masked_display(petition) == str(MASK)


def test_denunciation_received_as_a_petition_must_name_who_is_denounced(
    mk: SimpleNamespace, held: ReceptionSession
) -> None:
    with pytest.raises(ValidationError) as error:
        log_visit(
            session=held,
            by=mk.reception,
            kind="denunciation",
            outcome=Outcome.PETITION,
            handling="",
        )
    assert set(error.value.message_dict) == {"denounced"}


def test_denunciation_answered_on_the_spot_is_protected_too(
    mk: SimpleNamespace, held: ReceptionSession
) -> None:
    visit = log_visit(session=held, by=mk.reception, kind="denunciation")
    assert visit.identity_protected


def test_protected_visitor_masked_for_the_reception_officer(
    mk: SimpleNamespace, denunciation: Visit
) -> None:
    assert selectors.visitor_name(mk.reception, denunciation) == str(MASK)


@pytest.mark.parametrize("role", ["handler", "leader"])
def test_protected_visitor_named_to_handlers_and_leaders_of_the_agency(
    mk: SimpleNamespace, denunciation: Visit, role: str
) -> None:
    assert selectors.visitor_name(getattr(mk, role), denunciation) == "Vàng Thị Sua"


def test_protected_visitor_masked_for_a_leader_of_another_agency(denunciation: Visit) -> None:
    province = staff_of("ubnd-tinh", User.Role.LEADER)
    assert selectors.visitor_name(province, denunciation) == str(MASK)


def test_protected_visitor_masked_once_the_petition_is_transferred_away(
    mk: SimpleNamespace, denunciation: Visit
) -> None:
    item = denunciation.petition.items.get()
    item_start_processing(item=item, by=mk.handler)
    item_transfer(item=item, by=mk.handler, target=agency("thanh-tra-tinh"))
    assert not may_see_identity(mk.handler, denunciation.petition)
    assert selectors.visitor_name(mk.handler, denunciation) == str(MASK)


def test_naming_a_protected_visitor_is_logged(mk: SimpleNamespace, denunciation: Visit) -> None:
    assert selectors.visitor_name(mk.handler, denunciation) == "Vàng Thị Sua"
    assert IdentityReveal.objects.filter(petition=denunciation.petition, user=mk.handler).exists()


def test_unprotected_visitor_named_to_the_reception_officer(
    mk: SimpleNamespace, held: ReceptionSession
) -> None:
    visit = log_visit(session=held, by=mk.reception, full_name="Lò Văn Pọm")
    assert selectors.visitor_name(mk.reception, visit) == "Lò Văn Pọm"


# --- visits: groups (Luật Tiếp công dân Art. 29) ---------------------------------------------


def _group(size: int, others: int) -> dict[str, object]:
    """A group of ``size`` people whose speaker and ``others`` more people represent it."""
    return {
        "group_size": size,
        "representatives": [f"Người đại diện {n}" for n in range(1, others + 1)],
        "outcome": Outcome.ANSWERED,
    }


@pytest.mark.parametrize(
    ("size", "others"),
    [(5, 0), (7, 1), (10, 1), (11, 0), (12, 4), (3, 3)],
    ids=["5-by-1", "7-by-2", "10-by-2", "11-by-1", "12-by-5", "3-not-a-group"],
)
def test_group_with_lawful_representatives_is_logged(
    mk: SimpleNamespace, held: ReceptionSession, size: int, others: int
) -> None:
    visit = log_visit(session=held, by=mk.reception, **_group(size, others))
    assert len(visit.representatives.splitlines()) == others


@pytest.mark.parametrize(
    ("size", "others"),
    [(7, 2), (10, 2), (11, 5), (30, 5)],
    ids=["7-by-3", "10-by-3", "11-by-6", "30-by-6"],
)
def test_group_with_too_many_representatives_refused(
    mk: SimpleNamespace, held: ReceptionSession, size: int, others: int
) -> None:
    with pytest.raises(ValidationError) as error:
        log_visit(session=held, by=mk.reception, **_group(size, others))
    assert set(error.value.message_dict) == {"representatives"}
    assert "Art. 29" in error.value.message_dict["representatives"][0]


@pytest.mark.parametrize(("size", "is_group"), [(4, False), (5, True)])
def test_five_people_make_a_group(
    mk: SimpleNamespace, held: ReceptionSession, size: int, is_group: bool
) -> None:
    assert log_visit(session=held, by=mk.reception, **_group(size, 0)).is_group is is_group


def test_group_petition_is_flagged_as_a_mass_complaint(
    mk: SimpleNamespace, held: ReceptionSession
) -> None:
    visit = log_visit(
        session=held, by=mk.reception, **{**_group(7, 1), "outcome": Outcome.PETITION}
    )
    petition = Petition.objects.get(pk=visit.petition_id)
    assert (petition.submitter_type, petition.group_size) == (Petition.SubmitterType.GROUP, 7)
    assert petition.submitters.filter(is_representative=True).count() == 2
    assert petition.is_mass
    assert petition.items.get().is_mass


def test_group_visit_alerts_the_units_leader_once(
    mk: SimpleNamespace, held: ReceptionSession, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        log_visit(session=held, by=mk.reception, **{**_group(7, 1), "outcome": Outcome.PETITION})
    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.kind) == (mk.leader, "group_visit")
    assert "7" in notification.title


def test_group_at_the_provincial_board_alerts_the_province_not_every_department(
    django_capture_on_commit_callbacks,
) -> None:
    officer = staff_of("ban-tiep-cong-dan-tinh", User.Role.RECEPTION_OFFICER)
    province = staff_of("ubnd-tinh", User.Role.LEADER)
    staff_of("so-y-te", User.Role.LEADER)
    session = log_session(
        by=officer,
        date=D(2025, 10, 16),
        kind=SessionKind.REGULAR,
        presider_type=PresiderType.OFFICER,
        presider_name="Đỗ Thị Lan",
    )
    with django_capture_on_commit_callbacks(execute=True):
        log_visit(session=session, by=officer, **_group(7, 1))
    assert province in [n.recipient for n in Notification.objects.all()]
    assert [n.recipient for n in Notification.objects.all()] == [province]


def test_visit_of_four_people_alerts_nobody(
    mk: SimpleNamespace, held: ReceptionSession, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        log_visit(session=held, by=mk.reception, **_group(4, 1))
    assert not Notification.objects.exists()


# --- visits: the reception log's serial numbers (Art. 25) ---------------------------------------


def test_serial_numbers_run_per_agency_across_sessions(mk: SimpleNamespace) -> None:
    monday = log_session(by=mk.reception, date=D(2025, 10, 13))
    thursday = log_session(by=mk.reception, date=D(2025, 10, 16))
    serials = [
        log_visit(session=monday, by=mk.reception).serial,
        log_visit(session=monday, by=mk.reception).serial,
        log_visit(session=thursday, by=mk.reception).serial,
    ]
    assert serials == [1, 2, 3]


def test_serial_numbers_of_another_agency_run_apart(
    mk: SimpleNamespace, held: ReceptionSession
) -> None:
    log_visit(session=held, by=mk.reception)
    tan_phong = staff_of(TAN_PHONG, User.Role.RECEPTION_OFFICER)
    theirs = log_session(by=tan_phong, date=D(2025, 10, 16))
    assert log_visit(session=theirs, by=tan_phong).serial == 1


def test_serial_numbers_restart_in_a_new_year(
    time_machine: TimeMachineFixture, mk: SimpleNamespace
) -> None:
    time_machine.move_to(on(2026, 1, 6), tick=False)
    december = log_session(by=mk.reception, date=D(2025, 12, 30))
    january = log_session(by=mk.reception, date=D(2026, 1, 5))
    log_visit(session=december, by=mk.reception)
    last_of_2025 = log_visit(session=december, by=mk.reception)
    first_of_2026 = log_visit(session=january, by=mk.reception)
    assert (last_of_2025.serial, last_of_2025.year) == (2, 2025)
    assert (first_of_2026.serial, first_of_2026.year) == (1, 2026)
