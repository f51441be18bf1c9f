"""Citizen reception through the service functions: the sessions held (Luật Tiếp công dân 42/2013/QH13)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from time_machine import TimeMachineFixture

from gov.errors import Refused
from gov.models import User
from reception.models import (
    PresiderType,
    ReceptionEvent,
    SessionKind,
)
from tests.complaints.factories import on
from tests.gov.factories import staff_of
from tests.reception.factories import (
    MUONG_KIM,
    TAN_PHONG,
    add_schedule,
    agency,
    log_session,
)
from tests.reception.services_helpers import (  # noqa: F401 (autouse fixtures run in every test here)
    D,
    EventKind,
    _english,
    _today,
)

pytestmark = pytest.mark.django_db


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
