"""Dialogues, grassroots mediation and the People's Council, through the service functions."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from complaints.models import ItemEvent, PetitionItem, Status
from complaints.services import item_accept
from dialogues import selectors, services
from dialogues.models import (
    Dialogue,
    MediationCase,
    MediationTeam,
    Question,
    VoterRecommendation,
)
from gov.errors import Refused
from gov.models import AdministrativeUnit
from tests.complaints.factories import agency, on, sector, unit
from tests.dialogues import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)  # a Monday
Outcome = MediationCase.Outcome


@pytest.fixture
def people(time_machine) -> SimpleNamespace:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    return f.staff()


# --- dialogues -------------------------------------------------------------------------------


def test_dialogue_announced_3_days_ahead_warns_citing_law_72_and_7_days(
    people: SimpleNamespace,
) -> None:
    planned = f.dialogue(by=people.leader, date=dt.date(2026, 6, 4), announced_on=TODAY)
    warning = planned.announcement_warning
    assert "Law 72/2025/QH15 Art. 43" in warning
    assert " 7 " in warning
    assert "28/05/2026" in warning  # the last day to announce it


def test_dialogue_announced_8_days_ahead_has_no_warning(people: SimpleNamespace) -> None:
    planned = f.dialogue(by=people.leader, date=dt.date(2026, 6, 9), announced_on=TODAY)
    assert planned.announcement_warning == ""


def test_dialogue_not_yet_announced_carries_the_warning(people: SimpleNamespace) -> None:
    planned = f.dialogue(by=people.leader, date=dt.date(2026, 6, 30))
    assert "Law 72/2025/QH15" in planned.announcement_warning


def test_announcing_in_time_clears_the_warning(people: SimpleNamespace) -> None:
    planned = f.dialogue(by=people.leader, date=dt.date(2026, 6, 30))
    services.dialogue_announce(dialogue=planned, by=people.leader, announced_on=TODAY)
    planned.refresh_from_db()
    assert (planned.announced_on, planned.announcement_warning) == (TODAY, "")


def test_dialogue_dated_before_law_72_is_planned_under_quy_che_06(time_machine) -> None:
    """Before Law 72/2025 took effect (1/7/2025) the province's Quy chế 06-QC/TU sets the same
    7 days: a dialogue announced 18 days ahead is planned without a warning, one announced 3
    days ahead is planned with the warning citing Quy chế 06."""
    time_machine.move_to(on(2025, 6, 2), tick=False)
    people = f.staff()
    in_time = f.dialogue(
        by=people.leader, date=dt.date(2025, 6, 20), announced_on=dt.date(2025, 6, 2)
    )
    late = f.dialogue(by=people.leader, date=dt.date(2025, 6, 5), announced_on=dt.date(2025, 6, 2))
    assert (in_time.state, in_time.announcement_warning) == (Dialogue.State.PLANNED, "")
    assert late.state == Dialogue.State.PLANNED
    assert "Quy chế 06-QC/TU" in late.announcement_warning
    assert "29/05/2025" in late.announcement_warning  # the last day to announce it


def test_dialogue_cannot_be_announced_after_it_is_held(people: SimpleNamespace) -> None:
    with pytest.raises(Refused):
        f.dialogue(by=people.leader, date=dt.date(2026, 5, 29), announced_on=TODAY)


def test_officer_of_another_ward_cannot_plan_a_muong_kim_dialogue(
    people: SimpleNamespace,
) -> None:
    with pytest.raises(Refused):
        f.dialogue(by=people.other_ward, date=dt.date(2026, 6, 30))


def test_results_of_a_held_dialogue_are_due_10_calendar_days_later(
    people: SimpleNamespace,
) -> None:
    held = f.held_dialogue(by=people.leader, date=TODAY)
    assert (held.state, held.results_due_on) == (Dialogue.State.HELD, dt.date(2026, 6, 11))


def test_results_due_on_a_day_off_roll_to_the_next_working_day(time_machine) -> None:
    # Held Wed 19/8/2026: +10 days is Sat 29/8, then Sun 30, the swapped Mon 31/8 and the
    # National Day holidays 1–2/9 are off.
    time_machine.move_to(on(2026, 8, 19), tick=False)
    people = f.staff()
    held = f.held_dialogue(by=people.leader, date=dt.date(2026, 8, 19))
    assert held.results_due_on == dt.date(2026, 9, 3)


def test_dialogue_cannot_be_recorded_as_held_before_its_date(people: SimpleNamespace) -> None:
    planned = f.dialogue(by=people.leader, date=dt.date(2026, 6, 4))
    with pytest.raises(Refused):
        services.dialogue_record(
            dialogue=planned, by=people.leader, minutes="Biên bản.", issues_raised=""
        )


def test_held_dialogue_needs_its_minutes(people: SimpleNamespace) -> None:
    planned = f.dialogue(by=people.leader, date=TODAY)
    with pytest.raises(Refused):
        services.dialogue_record(dialogue=planned, by=people.leader, minutes=" ", issues_raised="")


def test_publishing_results_puts_them_on_the_public_list(
    people: SimpleNamespace, time_machine
) -> None:
    held = f.held_dialogue(by=people.leader, date=TODAY)
    time_machine.move_to(on(2026, 6, 8), tick=False)
    services.dialogue_publish_results(
        dialogue=held, by=people.leader, results="UBND xã cam kết chi trả trước 30/6."
    )
    held.refresh_from_db()
    assert held.results_published_on == dt.date(2026, 6, 8)
    assert not held.results_overdue(dt.date(2026, 6, 20))
    assert list(selectors.public_dialogues()["results"]) == [held]


def test_unpublished_results_are_overdue_after_their_due_day(people: SimpleNamespace) -> None:
    held = f.held_dialogue(by=people.leader, date=TODAY)
    assert not held.results_overdue(dt.date(2026, 6, 11))
    assert held.results_overdue(dt.date(2026, 6, 12))


def test_results_cannot_be_published_before_the_dialogue_is_held(
    people: SimpleNamespace,
) -> None:
    planned = f.dialogue(by=people.leader, date=TODAY)
    with pytest.raises(Refused):
        services.dialogue_publish_results(dialogue=planned, by=people.leader, results="Kết quả.")


def test_results_cannot_be_published_on_a_day_before_the_dialogue(
    people: SimpleNamespace,
) -> None:
    held = f.held_dialogue(by=people.leader, date=TODAY)
    with pytest.raises(Refused):
        services.dialogue_publish_results(
            dialogue=held,
            by=people.leader,
            results="Kết quả.",
            published_on=dt.date(2026, 5, 20),
        )


def test_cancelling_a_planned_dialogue_keeps_the_reason(people: SimpleNamespace) -> None:
    planned = f.dialogue(by=people.leader, date=dt.date(2026, 6, 30))
    services.dialogue_cancel(dialogue=planned, by=people.leader, reason="Mưa lũ, sạt lở đường.")
    planned.refresh_from_db()
    assert (planned.state, planned.minutes) == (Dialogue.State.CANCELLED, "Mưa lũ, sạt lở đường.")
    assert planned not in selectors.public_dialogues()["upcoming"]


def test_cancelling_needs_a_reason(people: SimpleNamespace) -> None:
    planned = f.dialogue(by=people.leader, date=dt.date(2026, 6, 30))
    with pytest.raises(Refused):
        services.dialogue_cancel(dialogue=planned, by=people.leader, reason="")


@pytest.mark.parametrize("action", ["record", "cancel"])
def test_only_a_planned_dialogue_can_be_recorded_or_cancelled(
    people: SimpleNamespace, action: str
) -> None:
    held = f.held_dialogue(by=people.leader, date=TODAY)
    with pytest.raises(Refused):
        if action == "record":
            services.dialogue_record(
                dialogue=held, by=people.leader, minutes="Lần hai.", issues_raised=""
            )
        else:
            services.dialogue_cancel(dialogue=held, by=people.leader, reason="Nhầm.")
    held.refresh_from_db()
    assert held.state == Dialogue.State.HELD


# --- grassroots mediation: teams -------------------------------------------------------------


def _warnings(team: MediationTeam) -> list[str]:
    """The team's Art. 12 warnings, in the source language whatever catalogs are compiled."""
    with translation.override("en"):
        return selectors.team_warnings(team)


def test_mediation_team_belongs_to_a_village(people: SimpleNamespace) -> None:
    with pytest.raises(Refused):
        services.team_create(unit=unit("xa-muong-kim"), name="Tổ hòa giải xã", by=people.leader)


def test_a_village_has_one_active_mediation_team(people: SimpleNamespace) -> None:
    village = f.village()
    services.team_create(unit=village, name="Tổ hòa giải số 1", by=people.leader)
    with pytest.raises(Refused):
        services.team_create(unit=village, name="Tổ hòa giải số 2", by=people.leader)


def test_officer_of_another_ward_cannot_make_a_muong_kim_team(people: SimpleNamespace) -> None:
    with pytest.raises(Refused):
        services.team_create(unit=f.village(), name="Tổ hòa giải", by=people.other_ward)


def test_complete_team_has_no_warnings(people: SimpleNamespace) -> None:
    assert _warnings(f.team(by=people.leader)) == []


def test_team_of_fewer_than_3_mediators_is_warned(people: SimpleNamespace) -> None:
    small = f.team(by=people.leader, members=((f.WOMAN, False), (f.MAN, False)))
    assert _warnings(small) == ["Fewer than 3 mediators (Luật Hòa giải ở cơ sở Art. 12)."]


def test_team_without_a_woman_is_warned(people: SimpleNamespace) -> None:
    men = f.team(by=people.leader, members=((f.MAN, False),) * 3)
    assert _warnings(men) == ["No woman among the mediators (Art. 12)."]


def test_team_without_a_minority_member_is_warned_in_an_ethnic_minority_area(
    people: SimpleNamespace,
) -> None:
    AdministrativeUnit.objects.filter(code="xa-muong-kim").update(is_ethnic_minority_area=True)
    kinh = f.team(by=people.leader, members=((f.WOMAN, False), (f.MAN, False), (f.MAN, False)))
    assert _warnings(kinh) == ["No ethnic-minority mediator in an ethnic-minority area (Art. 12)."]


def test_team_without_a_minority_member_is_not_warned_elsewhere(people: SimpleNamespace) -> None:
    kinh = f.team(by=people.leader, members=((f.WOMAN, False), (f.MAN, False), (f.MAN, False)))
    assert _warnings(kinh) == []


# --- grassroots mediation: cases -------------------------------------------------------------


def test_mediation_is_to_start_within_3_days_of_assignment(people: SimpleNamespace) -> None:
    case = f.mediation(by=people.leader, assigned_on=TODAY)
    assert case.start_due_on == dt.date(2026, 6, 4)


def test_mediation_start_due_on_a_day_off_rolls_to_the_next_working_day(time_machine) -> None:
    # Assigned Thu 23/4/2026: +3 is Sun 26/4, Hùng Kings' day; Mon 27/4 is its day off.
    time_machine.move_to(on(2026, 4, 24), tick=False)
    people = f.staff()
    case = f.mediation(by=people.leader, assigned_on=dt.date(2026, 4, 23))
    assert case.start_due_on == dt.date(2026, 4, 28)


def test_mediator_must_belong_to_the_team(people: SimpleNamespace) -> None:
    ours, theirs = f.team(by=people.leader), f.team(by=people.leader)
    with pytest.raises(Refused):
        f.mediation(
            by=people.leader,
            assigned_on=TODAY,
            in_team=ours,
            mediator=theirs.members.first(),
        )
    assert not MediationCase.objects.exists()


def test_petition_sent_to_mediation_stays_open_with_an_event(people: SimpleNamespace) -> None:
    item = f.civil_dispute_item(by=people.reception)
    case = f.mediation(by=people.leader, assigned_on=TODAY, source_item=item)
    item.refresh_from_db()
    assert item.is_open
    assert item.status == Status.PROCESSING
    event = item.events.get(kind=ItemEvent.Kind.SENT_TO_MEDIATION)
    assert event.data["mediation"] == case.pk


def test_successful_mediation_files_the_petition_as_mediated(people: SimpleNamespace) -> None:
    item = f.civil_dispute_item(by=people.reception)
    case = f.mediation(by=people.leader, assigned_on=TODAY, source_item=item)
    services.mediation_conclude(
        case=case,
        by=people.leader,
        outcome=Outcome.SUCCESSFUL,
        outcome_on=TODAY,
        agreement_terms="Hai hộ thống nhất mở lại lối đi rộng 1,5 m.",
    )
    item.refresh_from_db()
    case.refresh_from_db()
    assert (item.status, item.filing_ground) == (
        Status.FILED,
        PetitionItem.FilingGround.MEDIATED,
    )
    assert (case.outcome, case.escalated) == (Outcome.SUCCESSFUL, False)


def test_successful_mediation_records_the_terms_of_the_agreement(people: SimpleNamespace) -> None:
    case = f.mediation(by=people.leader, assigned_on=TODAY)
    with pytest.raises(Refused):
        services.mediation_conclude(
            case=case, by=people.leader, outcome=Outcome.SUCCESSFUL, outcome_on=TODAY
        )


def test_failed_mediation_sends_the_petition_on_its_way(people: SimpleNamespace) -> None:
    item = f.civil_dispute_item(by=people.reception)
    case = f.mediation(by=people.leader, assigned_on=TODAY, source_item=item)
    services.mediation_conclude(
        case=case, by=people.leader, outcome=Outcome.UNSUCCESSFUL, outcome_on=TODAY
    )
    item.refresh_from_db()
    case.refresh_from_db()
    assert item.is_open
    assert item.events.filter(kind=ItemEvent.Kind.MEDIATION_FAILED).count() == 1
    assert case.escalated


def test_mediation_outcome_is_recorded_once(people: SimpleNamespace) -> None:
    case = f.mediation(by=people.leader, assigned_on=TODAY)
    services.mediation_conclude(
        case=case, by=people.leader, outcome=Outcome.ENDED, outcome_on=TODAY
    )
    with pytest.raises(Refused):
        services.mediation_conclude(
            case=case, by=people.leader, outcome=Outcome.UNSUCCESSFUL, outcome_on=TODAY
        )


def test_successful_mediation_is_recorded_even_after_the_petition_was_accepted(
    people: SimpleNamespace,
) -> None:
    item = f.civil_dispute_item(by=people.reception)
    case = f.mediation(by=people.leader, assigned_on=TODAY, source_item=item)
    item_accept(item=item, by=people.leader, handler=people.leader)
    services.mediation_conclude(
        case=case,
        by=people.leader,
        outcome=Outcome.SUCCESSFUL,
        outcome_on=TODAY,
        agreement_terms="Hai hộ thống nhất mở lại lối đi.",
    )
    case.refresh_from_db()
    assert case.outcome == Outcome.SUCCESSFUL


@pytest.mark.parametrize("outcome", [Outcome.PENDING, Outcome.UNSUCCESSFUL, Outcome.ENDED])
def test_follow_up_only_after_a_successful_mediation(people: SimpleNamespace, outcome: str) -> None:
    case = f.mediation(by=people.leader, assigned_on=TODAY)
    if outcome != Outcome.PENDING:
        services.mediation_conclude(case=case, by=people.leader, outcome=outcome, outcome_on=TODAY)
        case.refresh_from_db()
    with pytest.raises(Refused):
        services.mediation_follow_up(
            case=case, by=people.leader, note="Đã kiểm tra.", agreement_kept=True
        )


def test_follow_up_of_an_agreement_is_written_down(people: SimpleNamespace) -> None:
    case = f.mediation(by=people.leader, assigned_on=TODAY)
    case = services.mediation_conclude(
        case=case,
        by=people.leader,
        outcome=Outcome.SUCCESSFUL,
        outcome_on=TODAY,
        agreement_terms="Mở lại lối đi.",
    )
    services.mediation_follow_up(
        case=case, by=people.leader, note="Lối đi đã được mở lại.", agreement_kept=True
    )
    case.refresh_from_db()
    assert (case.follow_up, case.agreement_kept) == ("01/06/2026: Lối đi đã được mở lại.", True)


def test_grassroots_results_count_settled_and_escalated_disputes_per_commune(
    people: SimpleNamespace,
) -> None:
    village_team = f.team(by=people.leader)
    for _ in range(2):
        case = f.mediation(by=people.leader, assigned_on=TODAY, in_team=village_team)
        services.mediation_conclude(
            case=case,
            by=people.leader,
            outcome=Outcome.SUCCESSFUL,
            outcome_on=TODAY,
            agreement_terms="Thống nhất ranh giới.",
        )
    failed = f.mediation(
        by=people.leader,
        assigned_on=TODAY,
        in_team=village_team,
        source_item=f.civil_dispute_item(by=people.reception),
    )
    services.mediation_conclude(
        case=failed, by=people.leader, outcome=Outcome.UNSUCCESSFUL, outcome_on=TODAY
    )
    f.mediation(by=people.leader, assigned_on=TODAY, in_team=village_team)

    rows = {
        row.unit.code: row
        for row in selectors.grassroots_results(people.province, start=TODAY, end=TODAY)
    }
    mk = rows["xa-muong-kim"]
    assert (mk.mediations, mk.settled, mk.not_settled, mk.pending) == (4, 2, 1, 1)
    assert mk.escalated_petitions == 1
    assert mk.resolved_share == pytest.approx(2 / 3)
    tp = rows["phuong-tan-phong"]
    assert (tp.mediations, tp.escalated_petitions, tp.resolved_share) == (0, 0, None)


def test_grassroots_results_show_an_officer_only_their_commune(people: SimpleNamespace) -> None:
    rows = selectors.grassroots_results(people.leader, start=TODAY, end=TODAY)
    assert [row.unit.code for row in rows] == ["xa-muong-kim"]


# --- the People's Council --------------------------------------------------------------------


def test_session_is_only_for_a_peoples_council(people: SimpleNamespace) -> None:
    with pytest.raises(Refused):
        f.council_session(by=people.council, council="ubnd-tinh", start=TODAY, end=TODAY)


@pytest.mark.parametrize(
    ("council", "who"), [("hdnd-tinh", "council"), ("hdnd-xa-muong-kim", "commune_council")]
)
def test_council_staff_open_a_session_of_their_council(
    people: SimpleNamespace, council: str, who: str
) -> None:
    session = f.council_session(
        by=getattr(people, who), council=council, start=TODAY, end=dt.date(2026, 6, 3)
    )
    assert session.council == agency(council)


def test_officer_of_another_ward_cannot_open_a_muong_kim_council_session(
    people: SimpleNamespace,
) -> None:
    with pytest.raises(Refused):
        f.council_session(by=people.other_ward, council="hdnd-xa-muong-kim", start=TODAY, end=TODAY)


def test_session_number_is_unique_in_a_term(people: SimpleNamespace) -> None:
    f.council_session(by=people.council, start=TODAY, end=TODAY, number=12)
    with pytest.raises(Refused):
        f.council_session(by=people.council, start=TODAY, end=TODAY, number=12)


@pytest.mark.parametrize(
    "asked_on", [dt.date(2026, 5, 31), dt.date(2026, 6, 4)], ids=["before", "after"]
)
def test_question_is_asked_during_the_session(people: SimpleNamespace, asked_on: dt.date) -> None:
    session = f.council_session(by=people.council, start=TODAY, end=dt.date(2026, 6, 3))
    with pytest.raises(Refused):
        f.question(by=people.council, session=session, asked_on=asked_on)


@pytest.mark.parametrize(
    ("session_ends", "answer_due"),
    [
        (dt.date(2025, 12, 10), dt.date(2025, 12, 30)),  # Law 87/2015 Art. 60(4): 20 days
        (dt.date(2026, 2, 27), dt.date(2026, 3, 19)),  # last session under the 20-day rule
        (dt.date(2026, 3, 2), dt.date(2026, 3, 17)),  # Law 121/2025 from 1/3/2026: 15 days
        (dt.date(2026, 3, 5), dt.date(2026, 3, 20)),
    ],
)
def test_written_answer_is_due_by_the_rule_in_force_when_the_session_closes(
    people: SimpleNamespace, session_ends: dt.date, answer_due: dt.date
) -> None:
    session = f.council_session(
        by=people.council, start=session_ends - dt.timedelta(days=2), end=session_ends
    )
    asked = f.question(by=people.council, session=session)
    assert asked.answer_due_on == answer_due


def test_question_answered_in_session(people: SimpleNamespace) -> None:
    session = f.council_session(by=people.council, start=TODAY, end=TODAY)
    asked = f.question(by=people.council, session=session)
    services.question_answer(
        question=asked,
        by=people.province,
        answer="Sở sẽ bổ sung thuốc cho các trạm y tế trước 30/6.",
        in_session=True,
        answered_on=TODAY,
    )
    asked.refresh_from_db()
    assert (asked.state, asked.answered_on) == (Question.State.ANSWERED_IN_SESSION, TODAY)


def test_answer_after_the_session_closed_is_a_written_answer(
    people: SimpleNamespace, time_machine
) -> None:
    session = f.council_session(by=people.council, start=TODAY, end=dt.date(2026, 6, 2))
    asked = f.question(by=people.council, session=session)
    time_machine.move_to(on(2026, 6, 10), tick=False)
    answer = {"question": asked, "by": people.province, "answer": "Văn bản trả lời số 15."}
    with pytest.raises(Refused):
        services.question_answer(**answer, in_session=True, answered_on=dt.date(2026, 6, 10))
    services.question_answer(**answer, in_session=False, answered_on=dt.date(2026, 6, 10))
    asked.refresh_from_db()
    assert asked.state == Question.State.ANSWERED_IN_WRITING


def test_question_is_answered_once(people: SimpleNamespace) -> None:
    session = f.council_session(by=people.council, start=TODAY, end=TODAY)
    asked = f.question(by=people.council, session=session)
    answer = {"question": asked, "by": people.province, "in_session": True, "answered_on": TODAY}
    services.question_answer(**answer, answer="Lần một.")
    with pytest.raises(Refused):
        services.question_answer(**answer, answer="Lần hai.")


def test_unanswered_question_is_overdue_after_its_due_day(
    people: SimpleNamespace, time_machine
) -> None:
    session = f.council_session(by=people.council, start=TODAY, end=TODAY)
    asked = f.question(by=people.council, session=session)  # due 16/6/2026
    time_machine.move_to(on(2026, 6, 17), tick=False)
    assert list(selectors.overdue_questions(selectors.questions_for(people.province))) == [asked]


def _recommendation(
    people: SimpleNamespace, assigned_on: dt.date, meeting_on: dt.date = TODAY
) -> VoterRecommendation:
    return services.voter_recommendation_add(
        meeting=f.voter_meeting(by=people.council, date=meeting_on),
        by=people.council,
        content="Đề nghị đầu tư công trình nước sinh hoạt tập trung cho bản Hua Ná.",
        sector=sector("nong-nghiep"),
        assigned_agency=agency("so-nong-nghiep-moi-truong"),
        assigned_on=assigned_on,
    )


def test_voter_recommendation_reply_is_due_30_days_after_assignment(
    people: SimpleNamespace,
) -> None:
    assert _recommendation(people, TODAY).reply_due_on == dt.date(2026, 7, 1)


def test_voter_recommendation_reply_due_on_a_day_off_rolls_to_a_working_day(
    people: SimpleNamespace,
) -> None:
    # 3/8/2026 + 30 days is Wed 2/9, National Day; the next working day is Thu 3/9.
    rec = _recommendation(people, dt.date(2026, 8, 3), meeting_on=dt.date(2026, 8, 1))
    assert rec.reply_due_on == dt.date(2026, 9, 3)


def test_voter_recommendation_is_assigned_after_its_meeting(people: SimpleNamespace) -> None:
    with pytest.raises(Refused):
        _recommendation(people, dt.date(2026, 5, 29))


def test_voter_recommendation_is_replied_once(people: SimpleNamespace) -> None:
    rec = _recommendation(people, TODAY)
    reply = {"recommendation": rec, "by": people.province, "replied_on": TODAY}
    services.voter_recommendation_reply(**reply, reply="Đã đưa vào kế hoạch đầu tư năm 2027.")
    with pytest.raises(Refused):
        services.voter_recommendation_reply(**reply, reply="Trả lời lần hai.")
    rec.refresh_from_db()
    assert rec.reply == "Đã đưa vào kế hoạch đầu tư năm 2027."


def test_unanswered_voter_recommendation_is_overdue_after_its_due_day(
    people: SimpleNamespace, time_machine
) -> None:
    rec = _recommendation(people, TODAY)
    time_machine.move_to(on(2026, 7, 2), tick=False)
    recs = selectors.voter_recommendations_for(people.province)
    assert list(selectors.overdue_voter_recommendations(recs)) == [rec]


def test_voter_recommendation_reply_cannot_precede_its_assignment(
    people: SimpleNamespace,
) -> None:
    rec = _recommendation(people, TODAY)
    with pytest.raises(Refused):
        services.voter_recommendation_reply(
            recommendation=rec,
            by=people.province,
            reply="Đã trả lời.",
            replied_on=dt.date(2026, 5, 1),
        )
