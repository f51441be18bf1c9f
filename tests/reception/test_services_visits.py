"""Citizen reception through the service functions: the visitors received, their outcomes, a protected identity, groups and the reception log's serial numbers (Luật Tiếp công dân 42/2013/QH13)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
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
    SessionKind,
    Visit,
)
from tests.complaints.factories import on
from tests.gov.factories import staff_of
from tests.reception.factories import (
    MUONG_KIM,
    TAN_PHONG,
    agency,
    log_session,
    log_visit,
    sector,
)
from tests.reception.services_helpers import (  # noqa: F401 (autouse fixtures run in every test here)
    D,
    EventKind,
    _english,
    _today,
)

pytestmark = pytest.mark.django_db


Outcome = Visit.Outcome


@pytest.fixture
def held(mk: SimpleNamespace) -> ReceptionSession:
    """A periodic session of Mường Kim held last Thursday by the chairman."""
    return log_session(by=mk.reception, date=D(2025, 10, 16))


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
