"""The one commitment tracker: every promise, from wherever it was made, followed until kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from dialogues import selectors, services
from dialogues.models import Commitment, CommitmentEvent, CommitmentSource
from gov.errors import Refused
from tests.complaints.factories import agency, on, sector
from tests.dialogues import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)  # a Monday
LATER = dt.date(2026, 6, 30)


@pytest.fixture
def people(time_machine, settings) -> SimpleNamespace:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    settings.PORTAL_COMMITMENT_DUE_SOON_DAYS = 7
    return f.staff()


def _promise(people: SimpleNamespace, **fields: object) -> Commitment:
    values: dict[str, object] = {"made_on": TODAY, "deadline": LATER}
    return f.commitment(by=people.leader, **{**values, **fields})


def _status(commitment: Commitment, user: object) -> str:
    return selectors.commitments_for(user).get(pk=commitment.pk).status


# --- sources ---------------------------------------------------------------------------------


def _dialogue(people: SimpleNamespace) -> object:
    return f.held_dialogue(by=people.leader, date=TODAY)


def _question(people: SimpleNamespace) -> object:
    session = f.council_session(by=people.council, start=TODAY, end=TODAY)
    return f.question(by=people.council, session=session)


def _resolution(people: SimpleNamespace) -> object:
    session = f.council_session(by=people.council, start=TODAY, end=TODAY)
    return services.resolution_add(
        session=session,
        by=people.council,
        number="45/NQ-HĐND",
        adopted_on=TODAY,
        content="Giao UBND tỉnh khắc phục tình trạng thiếu thuốc bảo hiểm y tế.",
    )


def _voter_recommendation(people: SimpleNamespace) -> object:
    return services.voter_recommendation_add(
        meeting=f.voter_meeting(by=people.council, date=TODAY),
        by=people.council,
        content="Đề nghị sửa chữa đường vào bản Nà Phát bị sạt lở.",
        sector=sector("giao-thong"),
        assigned_agency=agency(f.MUONG_KIM),
        assigned_on=TODAY,
    )


def _reception(people: SimpleNamespace) -> object:
    return f.reception_session(by=people.leader, date=TODAY)


SOURCES: dict[str, Callable[[SimpleNamespace], object]] = {
    CommitmentSource.DIALOGUE: _dialogue,
    CommitmentSource.COUNCIL_QUESTION: _question,
    CommitmentSource.COUNCIL_RESOLUTION: _resolution,
    CommitmentSource.VOTER_RECOMMENDATION: _voter_recommendation,
    CommitmentSource.RECEPTION: _reception,
}


@pytest.mark.parametrize("source", list(SOURCES))
def test_one_tracker_follows_promises_from_every_source(
    people: SimpleNamespace, source: str
) -> None:
    origin = SOURCES[source](people)
    promise = _promise(people, source=source, source_object=origin)

    [listed] = selectors.commitments_for(people.leader)
    assert (listed, listed.source, listed.status) == (promise, source, "on_track")
    assert getattr(listed, services.SOURCE_FIELDS[source]) == origin
    assert list(promise.events.values_list("kind", flat=True)) == [CommitmentEvent.Kind.MADE]


def test_promise_must_say_where_it_was_made(people: SimpleNamespace) -> None:
    with pytest.raises(Refused):
        services.commitment_make(
            source=CommitmentSource.DIALOGUE,
            source_object=None,
            owner_agency=agency(f.MUONG_KIM),
            owner_name="Chủ tịch UBND xã",
            content="Sửa đường vào bản.",
            made_on=TODAY,
            deadline=LATER,
            by=people.leader,
        )


def test_promise_deadline_cannot_precede_the_promise(people: SimpleNamespace) -> None:
    with pytest.raises(Refused):
        _promise(people, deadline=TODAY - dt.timedelta(days=1))


# --- status over time ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (TODAY, "on_track"),
        (dt.date(2026, 6, 22), "on_track"),  # 8 days before the deadline
        (dt.date(2026, 6, 23), "due_soon"),  # 7 days before: PORTAL_COMMITMENT_DUE_SOON_DAYS
        (LATER, "due_soon"),  # the deadline itself
        (dt.date(2026, 7, 1), "overdue"),
    ],
)
def test_status_follows_the_deadline_as_days_pass(
    people: SimpleNamespace, time_machine, today: dt.date, status: str
) -> None:
    promise = _promise(people)
    time_machine.move_to(on(today.year, today.month, today.day), tick=False)
    assert _status(promise, people.leader) == status


def test_overdue_filter_lists_promises_past_their_deadline(
    people: SimpleNamespace, time_machine
) -> None:
    late = _promise(people, deadline=dt.date(2026, 6, 10))
    _promise(people, deadline=dt.date(2026, 7, 31))
    time_machine.move_to(on(2026, 6, 11), tick=False)
    assert list(selectors.commitments_for(people.leader).filter(status="overdue")) == [late]


# --- kept or not kept ------------------------------------------------------------------------


def test_kept_promise_records_the_evidence_and_the_day(
    people: SimpleNamespace, time_machine
) -> None:
    promise = _promise(people)
    time_machine.move_to(on(2026, 6, 20), tick=False)
    services.commitment_close(
        commitment=promise,
        by=people.leader,
        kept=True,
        evidence="Đã chi trả đủ, có biên bản ký nhận của 7 hộ.",
        on=dt.date(2026, 6, 19),
    )
    promise.refresh_from_db()
    assert (promise.state, promise.kept_on, promise.evidence) == (
        Commitment.State.KEPT,
        dt.date(2026, 6, 19),
        "Đã chi trả đủ, có biên bản ký nhận của 7 hộ.",
    )
    assert _status(promise, people.leader) == "kept"
    assert promise.events.get(kind=CommitmentEvent.Kind.KEPT).data["late"] is False


def test_promise_not_kept_is_closed_with_the_reason(people: SimpleNamespace) -> None:
    promise = _promise(people)
    services.commitment_close(
        commitment=promise, by=people.leader, kept=False, evidence="Chưa được cấp vốn."
    )
    promise.refresh_from_db()
    assert (promise.state, promise.kept_on) == (Commitment.State.NOT_KEPT, None)
    assert _status(promise, people.leader) == "not_kept"
    assert promise.events.get(kind=CommitmentEvent.Kind.NOT_KEPT).note == "Chưa được cấp vốn."


def test_promise_kept_after_its_deadline_is_recorded_as_late(
    people: SimpleNamespace, time_machine
) -> None:
    promise = _promise(people)
    time_machine.move_to(on(2026, 7, 15), tick=False)
    services.commitment_close(
        commitment=promise, by=people.leader, kept=True, evidence="Đã chi trả đủ."
    )
    event = promise.events.get(kind=CommitmentEvent.Kind.KEPT)
    assert event.data == {"on": "2026-07-15", "late": True}


def test_promise_cannot_be_kept_on_a_future_day(people: SimpleNamespace) -> None:
    with pytest.raises(Refused):
        services.commitment_close(
            commitment=_promise(people),
            by=people.leader,
            kept=True,
            evidence="Đã chi trả đủ.",
            on=TODAY + dt.timedelta(days=1),
        )


CHANGES = {
    "progress": lambda c, by: services.commitment_note_progress(
        commitment=c, by=by, note="Đã lập danh sách chi trả."
    ),
    "deadline": lambda c, by: services.commitment_change_deadline(
        commitment=c, by=by, deadline=dt.date(2026, 8, 31), reason="Chờ vốn bổ sung."
    ),
    "close": lambda c, by: services.commitment_close(
        commitment=c, by=by, kept=True, evidence="Đã chi trả."
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_closed_promise_refuses_further_changes(people: SimpleNamespace, change: str) -> None:
    promise = _promise(people)
    services.commitment_close(commitment=promise, by=people.leader, kept=False, evidence="Không.")
    with pytest.raises(Refused):
        CHANGES[change](promise, people.leader)
    promise.refresh_from_db()
    assert (promise.state, promise.deadline) == (Commitment.State.NOT_KEPT, LATER)
    assert promise.events.count() == 2


# --- deadline changes ------------------------------------------------------------------------


def test_deadline_change_needs_a_reason(people: SimpleNamespace) -> None:
    promise = _promise(people)
    with pytest.raises(Refused):
        services.commitment_change_deadline(
            commitment=promise, by=people.leader, deadline=dt.date(2026, 8, 31), reason=" "
        )
    promise.refresh_from_db()
    assert promise.deadline == LATER


def test_deadline_change_is_in_the_events(people: SimpleNamespace) -> None:
    promise = _promise(people)
    services.commitment_change_deadline(
        commitment=promise, by=people.leader, deadline=dt.date(2026, 8, 31), reason="Chờ vốn."
    )
    event = promise.events.get(kind=CommitmentEvent.Kind.DEADLINE_CHANGED)
    assert (event.actor, event.note, event.data) == (
        people.leader,
        "Chờ vốn.",
        {"before": "2026-06-30", "after": "2026-08-31"},
    )
    promise.refresh_from_db()
    assert promise.deadline == dt.date(2026, 8, 31)


# --- scope -----------------------------------------------------------------------------------


def test_officer_of_another_ward_cannot_record_a_muong_kim_promise(
    people: SimpleNamespace,
) -> None:
    origin = f.held_dialogue(by=people.leader, date=TODAY)
    with pytest.raises(Refused):
        f.commitment(by=people.other_ward, made_on=TODAY, deadline=LATER, source_object=origin)
    assert not Commitment.objects.exists()


@pytest.mark.parametrize("change", list(CHANGES))
def test_officer_of_another_ward_cannot_change_a_muong_kim_promise(
    people: SimpleNamespace, change: str
) -> None:
    promise = _promise(people)
    with pytest.raises(Refused):
        CHANGES[change](promise, people.other_ward)
    promise.refresh_from_db()
    assert (promise.state, promise.deadline) == (Commitment.State.OPEN, LATER)
    assert promise.events.count() == 1


def test_officer_of_another_ward_does_not_see_muong_kim_promises(
    people: SimpleNamespace,
) -> None:
    _promise(people)
    assert not selectors.commitments_for(people.other_ward).exists()


def test_provincial_leader_sees_the_promises_of_every_commune(people: SimpleNamespace) -> None:
    muong_kim = _promise(people)
    tan_phong = f.commitment(
        by=people.other_ward,
        made_on=TODAY,
        deadline=LATER,
        source=CommitmentSource.RECEPTION,
        source_object=f.reception_session(by=people.other_ward, date=TODAY),
        owner_agency=agency(f.TAN_PHONG),
        owner_name="Chủ tịch UBND phường Tân Phong",
        content="Nạo vét rãnh thoát nước tổ dân phố số 5 trước mùa mưa.",
    )
    assert set(selectors.commitments_for(people.province)) == {muong_kim, tan_phong}


# --- public list and counts ------------------------------------------------------------------


def test_public_list_leaves_out_promises_not_for_the_public(people: SimpleNamespace) -> None:
    shown = _promise(people)
    _promise(people, is_public=False)
    assert list(selectors.public_commitments()) == [shown]


def test_status_counts_count_each_status(people: SimpleNamespace, time_machine) -> None:
    _promise(people, deadline=dt.date(2026, 6, 5))  # overdue by 10 June
    _promise(people, deadline=dt.date(2026, 6, 15))  # due soon on 10 June
    _promise(people, deadline=dt.date(2026, 7, 31))  # on track
    kept, broken = _promise(people), _promise(people)
    time_machine.move_to(on(2026, 6, 10), tick=False)
    services.commitment_close(commitment=kept, by=people.leader, kept=True, evidence="Xong.")
    services.commitment_close(commitment=broken, by=people.leader, kept=False, evidence="Không.")
    counts = selectors.status_counts(selectors.commitments_for(people.leader))
    assert counts == {"on_track": 1, "due_soon": 1, "overdue": 1, "kept": 1, "not_kept": 1}


def test_next_session_reviews_the_promises_of_the_previous_session_of_its_council_only(
    people: SimpleNamespace,
) -> None:
    by, council = people.province, people.council

    def promise_in(session: object) -> Commitment:
        clerk = people.commune_council if session.council.code == "hdnd-xa-muong-kim" else council
        asked = f.question(by=clerk, session=session)
        return f.commitment(
            by=by,
            made_on=session.end_date,
            deadline=LATER,
            source=CommitmentSource.COUNCIL_QUESTION,
            source_object=asked,
            owner_agency=agency("so-y-te"),
        )

    older = f.council_session(by=council, start=dt.date(2025, 7, 8), end=dt.date(2025, 7, 10))
    previous = f.council_session(by=council, start=dt.date(2025, 12, 8), end=dt.date(2025, 12, 10))
    commune = f.council_session(
        by=people.commune_council,
        council="hdnd-xa-muong-kim",
        start=dt.date(2026, 1, 5),
        end=dt.date(2026, 1, 6),
    )
    latest = f.council_session(by=council, start=TODAY, end=TODAY)
    promise_in(older)
    from_question = promise_in(previous)
    promise_in(commune)
    promise_in(latest)
    resolution = services.resolution_add(
        session=previous,
        by=council,
        number="38/NQ-HĐND",
        adopted_on=previous.end_date,
        content="Về kết quả chất vấn tại kỳ họp.",
    )
    from_resolution = f.commitment(
        by=by,
        made_on=previous.end_date,
        deadline=LATER,
        source=CommitmentSource.COUNCIL_RESOLUTION,
        source_object=resolution,
        owner_agency=agency("ubnd-tinh"),
    )

    reviewed = selectors.promises_from_previous_session(latest)
    assert set(reviewed) == {from_question, from_resolution}


def test_first_session_of_a_council_has_no_promises_to_review(people: SimpleNamespace) -> None:
    first = f.council_session(
        by=people.commune_council, council="hdnd-xa-muong-kim", start=TODAY, end=TODAY
    )
    assert not selectors.promises_from_previous_session(first).exists()
