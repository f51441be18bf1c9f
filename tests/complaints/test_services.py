"""Intake and the lifecycle of a petition item, through the service functions."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from complaints.models import Channel, ItemEvent, Letter, Petition, PetitionItem, Status
from complaints.selectors import petition_by_code_and_secret, public_items, public_timeline
from complaints.services import (
    item_accept,
    item_assign_handler,
    item_close,
    item_conclude,
    item_file,
    item_guide,
    item_link_duplicate,
    item_start_processing,
    item_start_verification,
    item_transfer,
    item_withdraw,
)
from gov.errors import Refused
from gov.fast.inserts import inserts_are_one_statement
from gov.legal import GROUP_SOURCE
from gov.models import User
from tests.complaints.factories import (
    ItemDataFactory,
    Kind,
    SubmitterDataFactory,
    agency,
    group_of,
    muong_kim_staff,
    on,
    sector,
    submit,
    submit_item,
)
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db

Role = User.Role
MUONG_KIM = "Ủy ban nhân dân xã Mường Kim"


@pytest.fixture
def mk() -> SimpleNamespace:
    return muong_kim_staff()


def _kinds(item: PetitionItem) -> list[str]:
    return list(item.events.order_by("at", "id").values_list("kind", flat=True))


# --- intake ----------------------------------------------------------------------------------


def test_online_petition_gets_a_tracking_code_and_a_secret_that_opens_it() -> None:
    result = submit()
    code = result.petition.code
    assert re.fullmatch(r"LC\d\d-[0-9A-Z]{6}", code)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", result.secret)
    assert petition_by_code_and_secret(code, result.secret) == result.petition
    assert petition_by_code_and_secret(code.lower(), result.secret.lower()) == result.petition
    assert petition_by_code_and_secret(code, "AAAA-BBBB") is None
    assert result.secret not in result.petition.secret_hash


def test_a_tracking_code_already_taken_is_drawn_again_and_nothing_is_written_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from complaints import codes

    taken = submit().petition.code
    drawn = iter([taken, taken, "LC26-NEW001"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    result = submit()
    assert result.petition.code == "LC26-NEW001"
    assert Petition.objects.filter(code=taken).count() == 1
    assert PetitionItem.objects.filter(petition=result.petition).count() == 1
    assert ItemEvent.objects.filter(petition=result.petition).count() == 1
    assert PetitionItem.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_petition_submitted_outside_any_transaction_is_written_whole(
    reference_data: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in a running portal, where no test transaction wraps the submission: on PostgreSQL
    the petition, its submitter, item, deadline and event are one statement, with no
    transaction or savepoint around it; a taken code is drawn again all the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaints import codes

    taken = submit().petition.code
    drawn = iter([taken, "LC26-NEW002"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    with CaptureQueriesContext(connection) as queries:
        result = submit(contact_email="dan@example.vn")
    petition = Petition.objects.get(code="LC26-NEW002")
    item = petition.items.get()
    assert (petition.pk, item.pk) == (result.petition.pk, result.petition.items.get().pk)
    assert petition.submitters.count() == 1
    assert list(item.deadlines.values_list("due_on", flat=True)) == [item.due_on]
    assert _kinds(item) == [ItemEvent.Kind.RECEIVED]
    assert Petition.objects.filter(code=taken).count() == 1
    if inserts_are_one_statement():  # PostgreSQL, fast paths on (gov.fast)
        # The acknowledgement sent after the commit notes the delivery (gov.jobs, "gov_jobrun"):
        # not the petition's writing.
        writes = [
            q["sql"] for q in queries if "INSERT" in q["sql"] and "gov_jobrun" not in q["sql"]
        ]
        assert len(writes) == 2  # the attempt with the taken code, refused whole; then ours
        assert not [q for q in queries if "SAVEPOINT" in q["sql"]]


def test_online_petition_starts_with_a_public_received_event() -> None:
    item = submit_item()
    assert item.status == Status.RECEIVED
    assert _kinds(item) == [ItemEvent.Kind.RECEIVED]
    event = item.events.get()
    assert event.actor is None
    assert event.data["due_on"] == item.due_on.isoformat()
    assert [MUONG_KIM in e.public_text for e in public_timeline(item.petition)] == [True]


def test_recommendation_received_before_the_may_holidays_is_due_in_ten_working_days(
    time_machine,
) -> None:
    # Fri 25/4/2025; Sat 26/4 is worked in exchange, 30/4–2/5 are days off.
    time_machine.move_to(on(2025, 4, 25), tick=False)
    item = submit_item(items=[ItemDataFactory(kind=Kind.RECOMMENDATION)])
    assert item.due_stage == "processing"
    assert item.due_on == dt.date(2025, 5, 13)
    assert (item.due_rule.days, item.due_rule.day_type) == (10, "working")


def test_denunciation_must_be_processed_in_seven_working_days(time_machine) -> None:
    time_machine.move_to(on(2025, 4, 25), tick=False)
    item = submit_item(
        items=[ItemDataFactory(kind=Kind.DENUNCIATION, sector=sector("can-bo-cong-chuc"))]
    )
    assert item.due_stage == "processing"
    assert item.due_on == dt.date(2025, 5, 8)


def test_denunciation_needing_verification_in_several_places_gets_ten_working_days(
    time_machine,
) -> None:
    time_machine.move_to(on(2025, 4, 25), tick=False)
    item = submit_item(
        items=[
            ItemDataFactory(
                kind=Kind.DENUNCIATION, sector=sector("can-bo-cong-chuc"), is_complex=True
            )
        ]
    )
    assert item.due_on == dt.date(2025, 5, 13)
    assert item.due_rule.variant == "complex"


def test_complaint_in_2025_is_due_when_processing_and_acceptance_both_end(time_machine) -> None:
    time_machine.move_to(on(2025, 4, 25), tick=False)
    item = submit_item(items=[ItemDataFactory(kind=Kind.COMPLAINT)])
    assert item.due_on == dt.date(2025, 5, 13)


def test_complaint_after_july_2026_must_be_accepted_within_seven_working_days(
    time_machine,
) -> None:
    time_machine.move_to(on(2026, 7, 6), tick=False)  # Monday; processing would end 20/7
    item = submit_item(items=[ItemDataFactory(kind=Kind.COMPLAINT)])
    assert item.due_stage == "acceptance"
    assert item.due_on == dt.date(2026, 7, 15)
    assert item.due_rule.days == 7


def test_officer_records_a_counter_petition_received_earlier(time_machine) -> None:
    time_machine.move_to(on(2025, 5, 20), tick=False)
    officer = staff_of("ubnd-xa-muong-kim", Role.RECEPTION_OFFICER)
    petition = submit(by=officer, channel=Channel.COUNTER, received_on=dt.date(2025, 5, 6)).petition
    item = petition.items.get()
    assert (petition.received_on, petition.is_backdated) == (dt.date(2025, 5, 6), True)
    assert petition.recorded_by == officer
    assert item.due_on == dt.date(2025, 5, 20)  # counted from the real date received
    event = item.events.get(kind=ItemEvent.Kind.RECEIVED)
    assert event.actor == officer
    assert "06/05/2025" in event.note


def test_online_petition_cannot_claim_an_earlier_date(time_machine) -> None:
    time_machine.move_to(on(2025, 5, 20), tick=False)
    with pytest.raises(ValidationError) as exc:
        submit(received_on=dt.date(2025, 5, 6))
    assert "received_on" in exc.value.message_dict
    assert not Petition.objects.exists()


def test_date_received_cannot_be_in_the_future(time_machine) -> None:
    time_machine.move_to(on(2025, 5, 20), tick=False)
    officer = staff_of("ubnd-xa-muong-kim", Role.RECEPTION_OFFICER)
    with pytest.raises(ValidationError) as exc:
        submit(by=officer, channel=Channel.COUNTER, received_on=dt.date(2025, 5, 21))
    assert "received_on" in exc.value.message_dict


@pytest.mark.parametrize(("size", "representatives"), [(5, 1), (10, 2), (11, 5), (40, 3)])
def test_group_with_the_lawful_number_of_representatives_is_received(
    size: int, representatives: int
) -> None:
    petition = submit(**group_of(size, representatives)).petition
    assert petition.group_size == size
    assert petition.submitters.filter(is_representative=True).count() == representatives


@pytest.mark.parametrize(("size", "representatives"), [(5, 3), (10, 0), (11, 6), (40, 0)])
def test_group_with_too_many_or_no_representatives_is_refused(
    size: int, representatives: int
) -> None:
    with pytest.raises(ValidationError) as exc:
        submit(**group_of(size, representatives))
    [message] = exc.value.message_dict["submitters"]
    assert GROUP_SOURCE in message
    assert not Petition.objects.exists()


def test_mixed_petition_is_split_into_items_with_their_own_route_and_deadline(
    time_machine,
) -> None:
    time_machine.move_to(on(2025, 4, 25), tick=False)
    petition = submit(
        receiving_agency=agency("ban-tiep-cong-dan-tinh"),
        items=[
            ItemDataFactory(
                kind=Kind.COMPLAINT,
                contested_decision="Quyết định thu hồi đất số 45/QĐ-UBND",
                issuer_agency=agency("ubnd-xa-muong-kim"),
            ),
            ItemDataFactory(
                kind=Kind.DENUNCIATION,
                sector=sector("can-bo-cong-chuc"),
                denounced_person="Giám đốc Sở",
                denounced_agency=agency("so-nong-nghiep-moi-truong"),
                denounced_is_head=True,
            ),
        ],
    ).petition
    complaint, denunciation = petition.items.order_by("number")
    assert (complaint.number, complaint.kind, denunciation.number) == (1, Kind.COMPLAINT, 2)
    assert complaint.proposed_agency.code == "ubnd-xa-muong-kim"
    assert denunciation.proposed_agency.code == "ubnd-tinh"
    assert complaint.due_on == dt.date(2025, 5, 13)
    assert denunciation.due_on == dt.date(2025, 5, 8)
    assert [d.due_on for d in complaint.deadlines.all()] == [dt.date(2025, 5, 13)]
    assert [d.due_on for d in denunciation.deadlines.all()] == [dt.date(2025, 5, 8)]
    assert petition.identity_protected  # one item is a denunciation


# --- lifecycle -------------------------------------------------------------------------------


def test_item_goes_from_received_to_closed_with_an_event_at_each_step(
    mk: SimpleNamespace, time_machine
) -> None:
    time_machine.move_to(on(2025, 8, 4), tick=False)
    item = submit_item()
    item_start_processing(item=item, by=mk.reception)
    item_accept(item=item, by=mk.leader, handler=mk.handler)
    item_start_verification(item=item, by=mk.handler)
    item_conclude(
        item=item,
        by=mk.handler,
        conclusion="Cấp giấy chứng nhận quyền sử dụng đất cho hộ ông theo đúng hiện trạng.",
        decision_number="112/QĐ-UBND",
    )
    item_close(item=item, by=mk.handler, note="Đã giao quyết định cho công dân.")
    item.refresh_from_db()
    assert item.status == Status.CLOSED
    assert (item.handler, item.decision_number) == (mk.handler, "112/QĐ-UBND")
    assert list(item.events.values_list("kind", "from_status", "to_status")) == [
        ("received", "", "received"),
        ("processing_started", "received", "processing"),
        ("accepted", "processing", "accepted"),
        ("verification_started", "accepted", "verifying"),
        ("concluded", "verifying", "concluded"),
        ("closed", "concluded", "closed"),
    ]
    texts = [e.public_text for e in public_timeline(item.petition)]
    assert len(texts) == 6
    assert "25/08/2025" in texts[2]  # a recommendation: 15 working days from 4/8/2025


def test_item_cannot_be_verified_before_it_is_accepted(mk: SimpleNamespace) -> None:
    item = submit_item()
    with pytest.raises(Refused):
        item_start_verification(item=item, by=mk.handler)
    item.refresh_from_db()
    assert item.status == Status.RECEIVED
    assert _kinds(item) == ["received"]


def test_closed_item_cannot_be_withdrawn(mk: SimpleNamespace) -> None:
    item = submit_item()
    item_accept(item=item, by=mk.leader, handler=mk.handler)
    item_conclude(item=item, by=mk.handler, conclusion="Giữ nguyên hiện trạng.")
    item_close(item=item, by=mk.handler)
    with pytest.raises(Refused):
        item_withdraw(item=item, by=mk.reception, note="Công dân xin rút đơn.")
    item.refresh_from_db()
    assert item.status == Status.CLOSED


def test_filed_item_cannot_be_accepted(mk: SimpleNamespace) -> None:
    item = submit_item()
    item_file(item=item, by=mk.reception, ground=PetitionItem.FilingGround.UNSIGNED)
    with pytest.raises(Refused):
        item_accept(item=item, by=mk.leader, handler=mk.handler)
    item.refresh_from_db()
    assert (item.status, item.handler) == (Status.FILED, None)


def test_transfer_gives_the_competent_agency_a_new_item_deadline_and_letter(
    time_machine,
) -> None:
    time_machine.move_to(on(2025, 8, 4), tick=False)
    board = staff_of("ban-tiep-cong-dan-tinh", Role.RECEPTION_OFFICER)
    petition = submit(receiving_agency=agency("ban-tiep-cong-dan-tinh")).petition
    original = petition.items.get()
    time_machine.move_to(on(2025, 8, 7), tick=False)
    new = item_transfer(
        item=original,
        by=board,
        target=agency("ubnd-xa-muong-kim"),
        note="Đề nghị xem xét, trả lời công dân.",
    )
    original.refresh_from_db()
    assert (original.status, original.due_on) == (Status.TRANSFERRED, None)
    assert (new.number, new.agency.code, new.status) == (2, "ubnd-xa-muong-kim", Status.RECEIVED)
    assert new.transferred_from == original
    assert (new.started_on, new.due_on) == (dt.date(2025, 8, 7), dt.date(2025, 8, 21))
    # The petition's date received stays with every item of it, the transferred one included.
    assert original.received_on == new.received_on == petition.received_on == dt.date(2025, 8, 4)
    assert new.deadlines.get().is_current
    letter = Letter.objects.get(item=original)
    assert letter.kind == Letter.Kind.TRANSFER
    assert letter.addressee == MUONG_KIM
    assert petition.code in letter.body
    assert MUONG_KIM in letter.body
    assert _kinds(original)[-1] == "transferred_out"
    assert _kinds(new) == ["transferred_in"]
    assert list(public_items(petition)) == [new]


def test_transfer_to_the_agency_holding_the_item_is_refused(mk: SimpleNamespace) -> None:
    item = submit_item()
    with pytest.raises(Refused):
        item_transfer(item=item, by=mk.reception, target=agency("ubnd-xa-muong-kim"))
    assert item.petition.items.count() == 1


def test_transfer_to_an_abolished_district_is_refused(mk: SimpleNamespace) -> None:
    item = submit_item()
    with pytest.raises(Refused):
        item_transfer(item=item, by=mk.reception, target=agency("ubnd-huyen-than-uyen"))
    item.refresh_from_db()
    assert item.status == Status.RECEIVED


def test_guidance_writes_a_letter_to_the_citizen(mk: SimpleNamespace) -> None:
    item = submit_item(
        items=[ItemDataFactory(sector=sector("tu-phap-to-tung"), kind=Kind.COMPLAINT)],
        submitters=[SubmitterDataFactory(full_name="Lò Văn Pọm")],
    )
    guidance = "Đề nghị ông gửi đơn đến Tòa án nhân dân khu vực 3 – Lai Châu."
    letter = item_guide(item=item, by=mk.reception, guidance=guidance)
    item.refresh_from_db()
    assert (item.status, item.due_on) == (Status.GUIDED, None)
    assert letter.kind == Letter.Kind.GUIDANCE
    assert letter.addressee == "Lò Văn Pọm"
    assert guidance in letter.body
    assert _kinds(item)[-1] == "guided"


def test_guidance_without_text_is_refused(mk: SimpleNamespace) -> None:
    item = submit_item()
    with pytest.raises(Refused):
        item_guide(item=item, by=mk.reception, guidance="   ")
    assert not Letter.objects.exists()


def test_filing_needs_a_legal_ground(mk: SimpleNamespace) -> None:
    item = submit_item()
    with pytest.raises(Refused):
        item_file(item=item, by=mk.reception, ground="")
    with pytest.raises(Refused):
        item_file(item=item, by=mk.reception, ground=PetitionItem.FilingGround.OTHER)
    item.refresh_from_db()
    assert item.status == Status.RECEIVED


def test_filing_on_a_ground_ends_the_item_and_tells_the_citizen_why(mk: SimpleNamespace) -> None:
    item = submit_item()
    item_file(item=item, by=mk.reception, ground=PetitionItem.FilingGround.COURT_DECIDED)
    item.refresh_from_db()
    assert (item.status, item.filing_ground, item.due_on) == (
        Status.FILED,
        PetitionItem.FilingGround.COURT_DECIDED,
        None,
    )
    event = item.events.get(kind=ItemEvent.Kind.FILED)
    assert event.is_public
    label = str(PetitionItem.FilingGround.COURT_DECIDED.label)
    assert label in event.public_text


def test_duplicate_is_linked_to_the_item_being_handled_and_filed(mk: SimpleNamespace) -> None:
    original = submit_item()
    duplicate = submit_item()
    item_link_duplicate(item=duplicate, by=mk.reception, original=original)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.FILED
    assert duplicate.duplicate_of == original
    assert duplicate.filing_ground == PetitionItem.FilingGround.DUPLICATE
    assert str(original) in duplicate.events.get(kind="duplicate_linked").note


def test_item_cannot_duplicate_another_item_of_its_own_petition(mk: SimpleNamespace) -> None:
    petition = submit(
        items=[ItemDataFactory(), ItemDataFactory(kind=Kind.FEEDBACK, sector=sector("giao-duc"))]
    ).petition
    first, second = petition.items.order_by("number")
    with pytest.raises(Refused):
        item_link_duplicate(item=second, by=mk.reception, original=first)
    second.refresh_from_db()
    assert second.status == Status.RECEIVED


def test_citizen_may_withdraw_an_accepted_item(mk: SimpleNamespace) -> None:
    item = submit_item()
    item_accept(item=item, by=mk.leader, handler=mk.handler)
    item_withdraw(item=item, by=mk.handler, note="Công dân nộp đơn xin rút ngày 10/8.")
    item.refresh_from_db()
    assert (item.status, item.due_on) == (Status.WITHDRAWN, None)
    assert item.events.get(kind="withdrawn").note == "Công dân nộp đơn xin rút ngày 10/8."


def test_withdrawal_needs_a_record_of_how_the_citizen_withdrew(mk: SimpleNamespace) -> None:
    item = submit_item()
    with pytest.raises(Refused):
        item_withdraw(item=item, by=mk.reception, note="")
    item.refresh_from_db()
    assert item.status == Status.RECEIVED


def test_officer_of_another_agency_cannot_act_on_the_item(mk: SimpleNamespace) -> None:
    item = submit_item()
    tan_phong = staff_of("ubnd-phuong-tan-phong", Role.LEADER)
    with pytest.raises(Refused):
        item_start_processing(item=item, by=tan_phong)
    with pytest.raises(Refused):
        item_file(item=item, by=tan_phong, ground=PetitionItem.FilingGround.UNSIGNED)
    item.refresh_from_db()
    assert item.status == Status.RECEIVED


def test_reception_officer_cannot_conclude(mk: SimpleNamespace) -> None:
    item = submit_item()
    item_accept(item=item, by=mk.reception, handler=mk.handler)
    with pytest.raises(Refused):
        item_conclude(item=item, by=mk.reception, conclusion="Đã giải quyết.")
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED


@pytest.mark.parametrize(
    "handler_of",
    [
        lambda: staff_of("ubnd-phuong-tan-phong", Role.HANDLER),
        lambda: staff_of("ubnd-xa-muong-kim", Role.RECEPTION_OFFICER),
        lambda: staff_of("ubnd-xa-muong-kim", Role.HANDLER, is_active=False),
    ],
    ids=["other-agency", "reception-officer", "inactive"],
)
def test_accept_needs_an_active_handler_of_the_items_agency(
    mk: SimpleNamespace, handler_of
) -> None:
    item = submit_item()
    with pytest.raises(Refused):
        item_accept(item=item, by=mk.leader, handler=handler_of())
    item.refresh_from_db()
    assert (item.status, item.handler, item.accepted_on) == (Status.RECEIVED, None, None)


def test_acceptance_date_cannot_precede_the_date_received(
    mk: SimpleNamespace, time_machine
) -> None:
    time_machine.move_to(on(2025, 8, 4), tick=False)
    item = submit_item()
    with pytest.raises(Refused):
        item_accept(item=item, by=mk.leader, handler=mk.handler, accepted_on=dt.date(2025, 8, 1))
    item.refresh_from_db()
    assert item.status == Status.RECEIVED


def test_conclusion_cannot_be_dated_in_the_future(mk: SimpleNamespace, time_machine) -> None:
    time_machine.move_to(on(2025, 8, 4), tick=False)
    item = submit_item()
    item_accept(item=item, by=mk.leader, handler=mk.handler)
    with pytest.raises(Refused):
        item_conclude(
            item=item,
            by=mk.handler,
            conclusion="Đã trả lời công dân.",
            concluded_on=dt.date(2025, 8, 20),
        )


def test_inactive_officer_cannot_be_assigned_as_handler(mk: SimpleNamespace) -> None:
    item = submit_item()
    item_accept(item=item, by=mk.leader, handler=mk.handler)
    departed = staff_of("ubnd-xa-muong-kim", Role.HANDLER, is_active=False)
    with pytest.raises(Refused):
        item_assign_handler(item=item, by=mk.leader, handler=departed)


def test_leader_reassigns_the_handler_with_an_event(mk: SimpleNamespace) -> None:
    item = submit_item()
    item_accept(item=item, by=mk.leader, handler=mk.handler)
    other = staff_of("ubnd-xa-muong-kim", Role.HANDLER)
    item_assign_handler(item=item, by=mk.leader, handler=other)
    item.refresh_from_db()
    assert item.handler == other
    assert item.events.get(kind="handler_assigned").data == {"handler": other.pk}


def test_only_a_complaint_can_follow_a_first_complaint() -> None:
    first = submit_item(items=[ItemDataFactory(kind=Kind.COMPLAINT)])
    with pytest.raises(ValidationError) as exc:
        submit(items=[ItemDataFactory(kind=Kind.RECOMMENDATION, first_round_item=first)])
    assert "items" in exc.value.message_dict
    assert Petition.objects.count() == 1
