"""Every change to a dialogue, a mediation case, a council question or a voters'
recommendation writes one event; the pages' histories are built from them; records made
before the history was kept get theirs from the dates they hold."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from dialogues import selectors, services
from dialogues.models import Dialogue, FollowUpEvent, MediationCase, Question
from gov.errors import Refused
from tests.complaints.factories import agency, on, sector
from tests.dialogues import factories as f
from tests.migrations import migrate_to_latest

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)  # a Monday
Kind = FollowUpEvent.Kind


@pytest.fixture
def people(time_machine) -> SimpleNamespace:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    return f.staff()


def _kinds(subject: object) -> list[str]:
    return [e.kind for e in selectors.history(subject)]


def test_a_dialogue_keeps_every_step_with_who_took_it(
    people: SimpleNamespace, time_machine
) -> None:
    planned = f.dialogue(by=people.leader, date=dt.date(2026, 6, 10))
    services.dialogue_announce(dialogue=planned, by=people.leader, announced_on=TODAY)
    time_machine.move_to(on(2026, 6, 10), tick=False)
    services.dialogue_record(
        dialogue=planned, by=people.leader, minutes="Biên bản.", issues_raised="", attendance=40
    )
    time_machine.move_to(on(2026, 6, 26), tick=False)  # results were due on 22/6
    services.dialogue_publish_results(dialogue=planned, by=people.leader, results="Kết quả.")
    events = selectors.history(planned)
    assert [e.kind for e in events] == [
        Kind.PLANNED,
        Kind.ANNOUNCED,
        Kind.HELD,
        Kind.RESULTS_PUBLISHED,
    ]
    assert {e.actor for e in events} == {people.leader}
    assert events[2].data == {
        "on": "2026-06-10",
        "attendance": 40,
        "results_due_on": "2026-06-22",
    }
    assert events[3].data["late"] is True
    # Another dialogue's history is its own.
    other = f.dialogue(by=people.leader, date=dt.date(2026, 7, 30))
    assert _kinds(other) == [Kind.PLANNED]


def test_a_cancelled_dialogue_records_the_reason(people: SimpleNamespace) -> None:
    planned = f.dialogue(by=people.leader, date=dt.date(2026, 6, 30))
    services.dialogue_cancel(dialogue=planned, by=people.leader, reason="Mưa lũ.")
    last = selectors.history(planned)[-1]
    assert (last.kind, last.note) == (Kind.CANCELLED, "Mưa lũ.")


def test_a_refused_change_writes_nothing(people: SimpleNamespace) -> None:
    planned = f.dialogue(by=people.leader, date=dt.date(2026, 6, 30))
    with pytest.raises(Refused):
        services.dialogue_cancel(dialogue=planned, by=people.leader, reason=" ")
    assert _kinds(planned) == [Kind.PLANNED]


def test_a_mediation_case_keeps_its_steps_and_follow_ups(people: SimpleNamespace) -> None:
    case = f.mediation(by=people.leader, assigned_on=dt.date(2026, 5, 25))  # to start by 28/5
    services.mediation_start(case=case, by=people.leader, started_on=TODAY)
    case = services.mediation_conclude(
        case=case,
        by=people.leader,
        outcome=MediationCase.Outcome.SUCCESSFUL,
        outcome_on=TODAY,
        agreement_terms="Mở lại lối đi.",
    )
    for note in ("Đã kiểm tra lần một.", "Đã kiểm tra lần hai."):
        services.mediation_follow_up(case=case, by=people.leader, note=note, agreement_kept=True)
    events = selectors.history(case)
    assert [e.kind for e in events] == [
        Kind.OPENED,
        Kind.STARTED,
        Kind.CONCLUDED,
        Kind.FOLLOWED_UP,
        Kind.FOLLOWED_UP,
    ]
    assert events[1].data["late"] is True
    assert events[2].note == "Mở lại lối đi."
    assert [e.note for e in events[3:]] == ["Đã kiểm tra lần một.", "Đã kiểm tra lần hai."]


def test_a_question_and_a_recommendation_keep_their_answers(people: SimpleNamespace) -> None:
    session = f.council_session(by=people.council, start=TODAY, end=TODAY)
    asked = f.question(by=people.council, session=session)
    services.question_answer(
        question=asked, by=people.province, answer="Trả lời.", in_session=True, answered_on=TODAY
    )
    assert _kinds(asked) == [Kind.ASKED, Kind.ANSWERED]
    assert selectors.history(asked)[1].data == {
        "on": "2026-06-01",
        "in_session": True,
        "late": False,
    }
    recommendation = services.voter_recommendation_add(
        meeting=f.voter_meeting(by=people.council, date=TODAY),
        by=people.council,
        content="Đề nghị đầu tư công trình nước sinh hoạt.",
        sector=sector("nong-nghiep"),
        assigned_agency=agency("so-nong-nghiep-moi-truong"),
        assigned_on=TODAY,
    )
    services.voter_recommendation_reply(
        recommendation=recommendation, by=people.province, reply="Đã bố trí vốn.", replied_on=TODAY
    )
    assert _kinds(recommendation) == [Kind.ASSIGNED, Kind.REPLIED]


def test_the_pages_show_the_history(client, people: SimpleNamespace) -> None:
    planned = f.dialogue(by=people.leader, date=dt.date(2026, 6, 30))
    services.dialogue_cancel(dialogue=planned, by=people.leader, reason="Mưa lũ, sạt lở.")
    case = f.mediation(by=people.leader, assigned_on=TODAY)
    client.force_login(people.leader)
    page = client.get(reverse("dialogues:dialogue", args=[planned.pk])).content.decode()
    assert "Mưa lũ, sạt lở." in page.split('id="history-title"')[1]
    page = client.get(reverse("dialogues:mediation_case", args=[case.pk])).content.decode()
    with translation.override("vi"):
        assert str(Kind.OPENED.label) in page.split('id="history-title"')[1]


@pytest.mark.slow  # migrates the schema back and forth
@pytest.mark.django_db(transaction=True)
def test_records_made_before_the_history_get_one_from_their_dates(
    reference_data: None, time_machine, request: pytest.FixtureRequest
) -> None:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    people = f.staff()
    held = f.held_dialogue(by=people.leader, date=TODAY)
    session = f.council_session(by=people.council, start=TODAY, end=TODAY)
    asked = f.question(by=people.council, session=session)
    FollowUpEvent.objects.all().delete()
    executor = MigrationExecutor(connection)
    executor.migrate([("dialogues", "0001_initial")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("dialogues", "0002_follow_up_events")])
    # Later migrations add columns the models read: the remaining tests need them back.
    request.addfinalizer(migrate_to_latest)
    held = Dialogue.objects.get(pk=held.pk)
    events = selectors.history(held)
    # Announced (on 22/5) before it was recorded (today): as when it is planned today with
    # that date, the plan's event holds it.
    assert [e.kind for e in events] == [Kind.PLANNED, Kind.HELD]
    assert events[0].data == {"backfilled": True, "announced_on": "2026-05-22"}
    assert events[0].actor == people.leader
    assert events[1].data == {"backfilled": True}
    assert timezone.localtime(events[1].at) == on(2026, 6, 1, hour=12)  # noon of the day held
    assert _kinds(Question.objects.get(pk=asked.pk)) == [Kind.ASKED]


def test_the_session_page_shows_each_questions_history_in_one_query(
    client, people: SimpleNamespace
) -> None:
    session = f.council_session(by=people.council, start=TODAY, end=TODAY)
    first = f.question(by=people.council, session=session)
    services.question_answer(
        question=first, by=people.province, answer="Trả lời.", in_session=True, answered_on=TODAY
    )
    client.force_login(people.province)
    url = reverse("dialogues:session", args=[session.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        with translation.override("vi"):
            assert str(Kind.ANSWERED.label) in page.split(f'id="q{first.pk}"')[1]
        return len(captured)

    queries()  # the first page of a process may fill caches kept for the next ones
    one = queries()
    for _ in range(3):
        f.question(by=people.council, session=session)
    assert queries() == one


def test_a_step_entered_days_later_shows_the_day_it_was_taken(
    client, people: SimpleNamespace, time_machine
) -> None:
    case = f.mediation(by=people.leader, assigned_on=TODAY)
    time_machine.move_to(on(2026, 6, 5), tick=False)
    services.mediation_start(case=case, by=people.leader, started_on=dt.date(2026, 6, 2))
    opened, started = selectors.history(case)
    assert (opened.stated_day, started.stated_day) == (None, dt.date(2026, 6, 2))
    client.force_login(people.leader)
    page = client.get(reverse("dialogues:mediation_case", args=[case.pk])).content.decode()
    assert "vào ngày 02/06/2026" in page.split('id="history-title"')[1]
