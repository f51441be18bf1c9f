"""Resolution deadlines, extensions, their history, and the overdue and due-soon lists."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from complaints.models import ItemDeadline, PetitionItem, Status
from complaints.selectors import due_within, items_for, overdue
from complaints.services import (
    item_accept,
    item_classify,
    item_conclude,
    item_extend,
    item_file,
)
from gov.errors import Refused
from gov.models import User
from gov.workdays import get_calendar
from tests.complaints.factories import (
    ItemDataFactory,
    Kind,
    agency,
    muong_kim_staff,
    on,
    sector,
    submit_item,
    unit,
)
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db

Role = User.Role
Reason = ItemDeadline.Reason


@pytest.fixture
def mk() -> SimpleNamespace:
    return muong_kim_staff()


@pytest.fixture
def friday_1_august_2025(time_machine) -> None:
    # 30 days later is Sun 31/8; Mon 1/9 and Tue 2/9 are days off (National Day).
    time_machine.move_to(on(2025, 8, 1), tick=False)


@pytest.fixture
def monday_4_august_2025(time_machine) -> None:
    # 30, 60 and 90 days later: Wed 3/9, Fri 3/10 and Sun 2/11 (so Mon 3/11).
    time_machine.move_to(on(2025, 8, 4), tick=False)


def _accepted(mk: SimpleNamespace, **item_fields: object) -> PetitionItem:
    item = submit_item(items=[ItemDataFactory(**item_fields)])
    return item_accept(item=item, by=mk.leader, handler=mk.handler)


def _complaint(**fields: object) -> dict[str, object]:
    return {
        "kind": Kind.COMPLAINT,
        "contested_decision": "Quyết định bồi thường số 88/QĐ-UBND",
        "issuer_agency": agency("ubnd-xa-muong-kim"),
        **fields,
    }


def _denunciation() -> dict[str, object]:
    return {
        "kind": Kind.DENUNCIATION,
        "sector": sector("can-bo-cong-chuc"),
        "denounced_person": "Công chức địa chính xã",
        "denounced_agency": agency("ubnd-xa-muong-kim"),
    }


@pytest.mark.parametrize(
    ("is_complex", "is_remote", "days", "due"),
    [
        (False, False, 30, dt.date(2025, 9, 3)),  # 31/8 is Sunday, 1–2/9 days off
        (True, False, 45, dt.date(2025, 9, 15)),
        (False, True, 45, dt.date(2025, 9, 15)),
        (True, True, 60, dt.date(2025, 9, 30)),
    ],
    ids=["normal", "complex", "remote", "remote-complex"],
)
@pytest.mark.usefixtures("friday_1_august_2025")
def test_first_complaint_is_due_within_the_limit_for_its_case_from_acceptance(
    mk: SimpleNamespace, is_complex: bool, is_remote: bool, days: int, due: dt.date
) -> None:
    commune = unit("xa-muong-kim")
    commune.is_remote = is_remote
    commune.save(update_fields=["is_remote"])
    item = _accepted(mk, **_complaint(is_complex=is_complex))
    assert (item.status, item.accepted_on) == (Status.ACCEPTED, dt.date(2025, 8, 1))
    assert item.due_stage == "resolution"
    assert (item.due_rule.days, item.due_rule.day_type) == (days, "calendar")
    assert item.due_on == due


@pytest.mark.usefixtures("friday_1_august_2025")
def test_second_complaint_is_due_in_45_days_from_acceptance(mk: SimpleNamespace) -> None:
    first = _accepted(mk, **_complaint())
    item_conclude(item=first, by=mk.handler, conclusion="Giữ nguyên quyết định bồi thường.")
    province = staff_of("ubnd-tinh", Role.LEADER)
    second = submit_item(
        receiving_agency=agency("ubnd-tinh"),
        items=[ItemDataFactory(**_complaint(first_round_item=first))],
    )
    second = item_accept(item=second, by=province, handler=province)
    assert second.due_stage == "second_resolution"
    assert second.due_on == dt.date(2025, 9, 15)


@pytest.mark.usefixtures("friday_1_august_2025")
def test_denunciation_is_resolved_within_30_days_of_acceptance(mk: SimpleNamespace) -> None:
    item = _accepted(mk, **_denunciation())
    assert item.due_on == dt.date(2025, 9, 3)


@pytest.mark.usefixtures("monday_4_august_2025")
def test_complex_denunciation_is_extended_once_by_30_days(mk: SimpleNamespace) -> None:
    item = _accepted(mk, **_denunciation())
    item = item_extend(item=item, by=mk.handler, reason="Phải xác minh tại hai bản.")
    assert (item.due_on, item.extensions_used) == (dt.date(2025, 10, 3), 1)
    extended = item.events.get(kind="extended")
    assert extended.data["public"] == {"due": "03/10/2025"}
    assert extended.note == "Phải xác minh tại hai bản."
    with pytest.raises(Refused):
        item_extend(item=item, by=mk.handler, reason="Chưa xác minh xong.")
    item.refresh_from_db()
    assert (item.due_on, item.extensions_used) == (dt.date(2025, 10, 3), 1)


@pytest.mark.usefixtures("monday_4_august_2025")
def test_especially_complex_denunciation_is_extended_twice_and_no_more(
    mk: SimpleNamespace,
) -> None:
    item = _accepted(mk, **_denunciation())
    reason = "Nhiều người bị tố cáo, cần giám định tài liệu."
    item = item_extend(item=item, by=mk.handler, reason=reason, especially_complex=True)
    item = item_extend(item=item, by=mk.handler, reason=reason, especially_complex=True)
    assert (item.due_on, item.extensions_used) == (dt.date(2025, 11, 3), 2)
    assert item.is_especially_complex
    with pytest.raises(Refused):
        item_extend(item=item, by=mk.handler, reason=reason, especially_complex=True)
    item.refresh_from_db()
    assert item.due_on == dt.date(2025, 11, 3)


@pytest.mark.usefixtures("monday_4_august_2025")
def test_complaint_extension_moves_it_to_the_complex_limit_once(mk: SimpleNamespace) -> None:
    item = _accepted(mk, **_complaint())
    item = item_extend(item=item, by=mk.handler, reason="Có nhiều nội dung cần xác minh.")
    assert (item.is_complex, item.due_on, item.due_rule.days) == (True, dt.date(2025, 9, 18), 45)
    with pytest.raises(Refused):
        item_extend(item=item, by=mk.handler, reason="Cần thêm thời gian.")
    item.refresh_from_db()
    assert item.due_on == dt.date(2025, 9, 18)


@pytest.mark.usefixtures("monday_4_august_2025")
def test_complaint_already_complex_cannot_be_extended(mk: SimpleNamespace) -> None:
    item = _accepted(mk, **_complaint(is_complex=True))
    with pytest.raises(Refused):
        item_extend(item=item, by=mk.handler, reason="Cần thêm thời gian.")


@pytest.mark.usefixtures("monday_4_august_2025")
def test_recommendation_cannot_be_extended(mk: SimpleNamespace) -> None:
    item = _accepted(mk)
    due = item.due_on
    with pytest.raises(Refused):
        item_extend(item=item, by=mk.handler, reason="Chờ ý kiến của Sở.")
    item.refresh_from_db()
    assert (item.due_on, item.extensions_used) == (due, 0)


@pytest.mark.usefixtures("monday_4_august_2025")
def test_item_not_yet_accepted_cannot_be_extended(mk: SimpleNamespace) -> None:
    item = submit_item(items=[ItemDataFactory(**_denunciation())])
    with pytest.raises(Refused):
        item_extend(item=item, by=mk.handler, reason="Cần thêm thời gian.")


@pytest.mark.usefixtures("monday_4_august_2025")
def test_concluded_item_cannot_be_extended(mk: SimpleNamespace) -> None:
    item = _accepted(mk, **_denunciation())
    item_conclude(item=item, by=mk.handler, conclusion="Tố cáo không có cơ sở.")
    with pytest.raises(Refused):
        item_extend(item=item, by=mk.handler, reason="Xác minh thêm.")


@pytest.mark.usefixtures("monday_4_august_2025")
def test_extension_needs_a_reason(mk: SimpleNamespace) -> None:
    item = _accepted(mk, **_denunciation())
    with pytest.raises(Refused):
        item_extend(item=item, by=mk.handler, reason=" ")
    item.refresh_from_db()
    assert item.extensions_used == 0


@pytest.mark.usefixtures("monday_4_august_2025")
def test_every_deadline_is_kept_in_the_history_with_one_current(mk: SimpleNamespace) -> None:
    item = _accepted(mk, **_denunciation())
    item_extend(item=item, by=mk.handler, reason="Phải xác minh tại hai bản.")
    rows = list(item.deadlines.values_list("stage", "due_on", "reason", "is_current"))
    assert rows == [
        ("processing", dt.date(2025, 8, 13), Reason.STAGE, False),
        ("resolution", dt.date(2025, 9, 3), Reason.STAGE, False),
        ("resolution", dt.date(2025, 10, 3), Reason.EXTENSION, True),
    ]
    item.refresh_from_db()
    assert item.due_on == item.deadlines.get(is_current=True).due_on


@pytest.mark.usefixtures("friday_1_august_2025")
def test_extension_adds_30_days_to_the_legal_period_not_to_the_day_it_rolled_to(
    mk: SimpleNamespace,
) -> None:
    item = _accepted(mk, **_denunciation())
    assert item.due_on == dt.date(2025, 9, 3)
    item = item_extend(item=item, by=mk.handler, reason="Phải xác minh tại hai bản.")
    assert item.due_on == dt.date(2025, 9, 30)  # 60 days from acceptance, a Tuesday


def test_reclassifying_as_a_denunciation_recomputes_the_intake_deadline(
    mk: SimpleNamespace, time_machine
) -> None:
    time_machine.move_to(on(2025, 4, 25), tick=False)
    item = submit_item()
    assert item.due_on == dt.date(2025, 5, 13)
    item = item_classify(
        item=item, by=mk.reception, kind=Kind.DENUNCIATION, sector=item.sector, is_complex=False
    )
    assert item.due_on == dt.date(2025, 5, 8)
    assert list(item.deadlines.values_list("reason", "is_current")) == [
        (Reason.STAGE, False),
        (Reason.RECLASSIFIED, True),
    ]
    item.petition.refresh_from_db()
    assert item.petition.identity_protected


def _received_on(time_machine, day: dt.date) -> PetitionItem:
    time_machine.move_to(on(day.year, day.month, day.day), tick=False)
    return submit_item()


@pytest.fixture
def open_and_closed_items(mk: SimpleNamespace, time_machine) -> SimpleNamespace:
    """Items received in August 2025, seen on Wed 20/8/2025."""
    late = _received_on(time_machine, dt.date(2025, 8, 1))  # due 15/8
    late_but_concluded = _received_on(time_machine, dt.date(2025, 8, 1))
    late_but_filed = _received_on(time_machine, dt.date(2025, 8, 1))
    due_27 = _received_on(time_machine, dt.date(2025, 8, 13))
    due_28 = _received_on(time_machine, dt.date(2025, 8, 14))
    time_machine.move_to(on(2025, 8, 20), tick=False)
    item_accept(
        item=late_but_concluded,
        by=mk.leader,
        handler=mk.handler,
        accepted_on=dt.date(2025, 8, 1),
    )
    PetitionItem.objects.filter(pk=late_but_concluded.pk).update(due_on=dt.date(2025, 8, 10))
    item_conclude(item=late_but_concluded, by=mk.handler, conclusion="Đã trả lời công dân.")
    item_file(item=late_but_filed, by=mk.reception, ground=PetitionItem.FilingGround.UNSIGNED)
    return SimpleNamespace(late=late, due_27=due_27, due_28=due_28)


def test_overdue_lists_open_items_past_their_deadline_in_one_query(
    open_and_closed_items: SimpleNamespace, django_assert_num_queries
) -> None:
    qs = items_for(staff_of("ubnd-tinh", Role.LEADER))
    with django_assert_num_queries(1):
        rows = list(overdue(qs))
    assert rows == [open_and_closed_items.late]
    assert rows[0].due_on == dt.date(2025, 8, 15)


def test_due_within_lists_open_items_due_in_the_next_working_days_in_one_query(
    open_and_closed_items: SimpleNamespace, django_assert_num_queries
) -> None:
    qs = items_for(staff_of("ubnd-tinh", Role.LEADER))
    get_calendar()  # the calendar corrections are cached; a warm cache costs no query
    with django_assert_num_queries(1):
        rows = list(due_within(qs, working_days=5))  # 21/8 to 27/8
    assert rows == [open_and_closed_items.due_27]
    assert rows[0].due_on == dt.date(2025, 8, 27)
    assert open_and_closed_items.due_28.due_on == dt.date(2025, 8, 28)
