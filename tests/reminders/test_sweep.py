"""The deadline sweep and the sender: the right people, at the right time, exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from complaints.services import item_accept, item_extend
from gov.models import Notification, User
from reminders import sending, sweep
from reminders.models import Reminder
from tests.complaints.factories import ItemDataFactory, muong_kim_staff, on, submit_item
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db
Kind = Reminder.Kind


@pytest.fixture
def staff() -> object:
    people = muong_kim_staff()
    people.handler.email = "xuly@example.vn"
    people.handler.save(update_fields=["email"])
    people.province_leader = staff_of("ubnd-tinh", User.Role.LEADER)
    return people


def _kinds(item_id: int) -> set[tuple[str, int]]:
    return set(
        Reminder.objects.filter(target="petition_item", target_id=item_id).values_list(
            "kind", "recipient_id"
        )
    )


def test_due_soon_reminds_the_agency_then_due_tomorrow(staff: object) -> None:
    with time_machine.travel(
        on(2025, 3, 3), tick=False
    ):  # Mon; processing due 10 working days later
        item = submit_item()
    assert item.due_on == dt.date(2025, 3, 17)
    sweep.sweep(today=dt.date(2025, 3, 10))  # 5 working days before: nothing yet
    assert not _kinds(item.pk)
    sweep.sweep(today=dt.date(2025, 3, 12))  # 3 working days before
    assert {k for k, _ in _kinds(item.pk)} == {Kind.DUE_SOON}
    assert {u for _, u in _kinds(item.pk)} == {staff.reception.pk, staff.handler.pk}
    sweep.sweep(today=dt.date(2025, 3, 14))  # the working day before
    assert {k for k, _ in _kinds(item.pk)} == {Kind.DUE_SOON, Kind.DUE_TOMORROW}


def test_overdue_goes_to_the_leader_and_later_to_the_superior(staff: object) -> None:
    with time_machine.travel(on(2025, 3, 3), tick=False):
        item = submit_item()
    sweep.sweep(today=dt.date(2025, 3, 18))
    assert (Kind.OVERDUE, staff.leader.pk) in _kinds(item.pk)
    assert not any(k == Kind.ESCALATED for k, _ in _kinds(item.pk))
    sweep.sweep(today=dt.date(2025, 3, 25))  # more than 5 working days overdue
    assert (Kind.ESCALATED, staff.province_leader.pk) in _kinds(item.pk)


def test_sweeping_twice_writes_nothing_new(staff: object) -> None:
    with time_machine.travel(on(2025, 3, 3), tick=False):
        submit_item()
        submit_item()
    sweep.sweep(today=dt.date(2025, 3, 25))
    count = Reminder.objects.count()
    assert count > 0
    sweep.sweep(today=dt.date(2025, 3, 25))
    assert Reminder.objects.count() == count


def test_each_reminder_is_sent_once_by_mail_and_in_the_app(staff: object) -> None:
    with time_machine.travel(on(2025, 3, 3), tick=False):
        item = submit_item()
    sweep.sweep(today=dt.date(2025, 3, 12))
    reminder = Reminder.objects.get(target_id=item.pk, recipient=staff.handler)
    assert sending.send(reminder.pk) is True
    assert sending.send(reminder.pk) is False  # delivered twice: sent once
    assert sending.email(reminder.pk) is True
    assert sending.email(reminder.pk) is False
    assert Notification.objects.filter(recipient=staff.handler).count() == 1
    handler_mail = [m for m in mail.outbox if m.to == ["xuly@example.vn"]]
    assert len(handler_mail) == 1
    assert item.petition.code in handler_mail[0].subject
    assert handler_mail[0].alternatives  # an HTML body too


def test_recipients_without_email_are_done_after_the_app(staff: object) -> None:
    with time_machine.travel(on(2025, 3, 3), tick=False):
        item = submit_item()
    sweep.sweep(today=dt.date(2025, 3, 12))
    reminder = Reminder.objects.get(target_id=item.pk, recipient=staff.reception)
    sending.send(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.emailed_at is not None
    assert not sending.emails_pending().filter(pk=reminder.pk).exists()


def test_an_email_claim_left_by_a_dead_sender_is_taken_again_once_stale(
    staff: object, settings: object
) -> None:
    with time_machine.travel(on(2025, 3, 3), tick=False):
        item = submit_item()
    sweep.sweep(today=dt.date(2025, 3, 12))
    reminder = Reminder.objects.get(target_id=item.pk, recipient=staff.handler)
    sending.send(reminder.pk)
    assert (
        sending.emails_pending()
        .filter(pk=reminder.pk)
        .update(email_claimed_at=dt.datetime.now(tz=dt.UTC))
    )
    assert not sending.emails_pending().filter(pk=reminder.pk).exists()  # a worker holds it
    later = dt.datetime.now(tz=dt.UTC) + dt.timedelta(
        seconds=settings.PORTAL_CLAIM_STALE_SECONDS + 60
    )
    with time_machine.travel(later):
        assert sending.email(reminder.pk) is True


def test_an_extension_is_reminded_for_the_new_date_only(staff: object) -> None:
    with time_machine.travel(on(2025, 3, 3), tick=False):
        item = submit_item(
            items=[ItemDataFactory(kind="denunciation", denounced_person="Cán bộ A")]
        )
    with time_machine.travel(on(2025, 3, 5), tick=False):
        item = item_accept(item=item, by=staff.leader, handler=staff.handler)
    old = item.due_on  # 30 days from 5/3 → 4/4/2025
    sweep.sweep(today=old - dt.timedelta(days=1))
    old_rows = Reminder.objects.filter(target_id=item.pk, deadline=old).count()
    assert old_rows > 0
    with time_machine.travel(on(2025, 4, 2), tick=False):
        item = item_extend(item=item, by=staff.handler, reason="Xác minh nhiều nơi")
    new = item.due_on
    sweep.sweep(today=old)
    assert Reminder.objects.filter(target_id=item.pk, deadline=old).count() == old_rows
    for pk in Reminder.objects.filter(target_id=item.pk, deadline=old).values_list("id", flat=True):
        assert sending.send(pk) is False  # the old date is no longer reminded
    sweep.sweep(today=new - dt.timedelta(days=1))
    assert Reminder.objects.filter(target_id=item.pk, deadline=new).exists()


def test_tasks_carry_ids_only(staff: object, django_capture_on_commit_callbacks: object) -> None:
    from reminders.tasks import reminder_send_task

    with time_machine.travel(on(2025, 3, 3), tick=False):
        item = submit_item()
    sweep.sweep(today=dt.date(2025, 3, 12))
    reminder = Reminder.objects.filter(target_id=item.pk).first()
    signature = reminder_send_task.s(reminder.pk)
    assert signature.args == (reminder.pk,) and not signature.kwargs


def test_weekly_digest_once_per_leader_and_week(staff: object) -> None:
    assert sweep.weekly_digest(today=dt.date(2025, 3, 12)) >= 2
    again = sweep.weekly_digest(today=dt.date(2025, 3, 14))
    assert Reminder.objects.filter(kind=Kind.WEEKLY).count() == again
    digest = Reminder.objects.get(kind=Kind.WEEKLY, recipient=staff.leader)
    assert digest.deadline == dt.date(2025, 3, 10)
    assert sending.send(digest.pk)
    assert Notification.objects.get(recipient=staff.leader, kind="reminder:weekly").title


def test_the_digest_names_answers_replies_and_results_owed(staff: object, time_machine) -> None:
    """A dialogue held by Mường Kim on Monday 3/3/2025 owes its results from 14/3 (due 13/3,
    10 days): the digest of 17/3 says so; a digest with nothing owed says nothing of it."""
    from django.utils import translation

    from tests.dialogues import factories as accountability

    time_machine.move_to(on(2025, 3, 10), tick=False)
    sweep.weekly_digest(today=dt.date(2025, 3, 10))
    with translation.override("en"):
        quiet = sending.build(Reminder.objects.get(kind=Kind.WEEKLY, recipient=staff.leader))
    assert "Owed past the legal day" not in quiet.body
    time_machine.move_to(on(2025, 3, 3), tick=False)
    accountability.held_dialogue(by=staff.leader, date=dt.date(2025, 3, 3))
    time_machine.move_to(on(2025, 3, 17), tick=False)
    sweep.weekly_digest(today=dt.date(2025, 3, 17))
    digest = Reminder.objects.get(
        kind=Kind.WEEKLY, recipient=staff.leader, deadline=dt.date(2025, 3, 17)
    )
    with translation.override("en"):
        body = sending.build(digest).body
    assert "0 written answers to council questions, 0 replies to voters, 1 dialogue results" in body


def test_every_kind_of_deadline_is_swept_and_its_message_links_to_its_page(staff: object) -> None:
    """Commitments, council questions, voter recommendations, mediations and reception
    sessions are reminded like petitions, and each reminder's link opens."""
    from django.test import Client

    from demo.accountability import demo_seed as accountability_demo
    from demo.accounts import demo_seed as gov_demo
    from demo.reception import demo_seed as reception_demo

    gov_demo()
    reception_demo()
    accountability_demo()
    today = dt.date.today()
    sweep.sweep(today=today + dt.timedelta(days=90))  # far ahead: everything still open is overdue
    sweep.sweep(today=today)
    targets = set(Reminder.objects.values_list("target", flat=True))
    assert {"commitment", "council_question", "voter_recommendation", "mediation"} <= targets
    client = Client()
    for target in targets:
        reminder = Reminder.objects.filter(target=target).first()
        message = sending.build(reminder)
        if message is None:
            continue
        client.force_login(reminder.recipient)
        assert client.get(message.url).status_code == 200, (target, message.url)


def test_unpublished_dialogue_results_are_reminded_until_published(staff: object) -> None:
    """A dialogue held on Monday 1/6/2026 has its results due on Thursday 11/6 (10 days, the
    rules table): its leader hears of it from three working days ahead, the commune's leaders
    once it is overdue; once published, a reminder still queued says nothing."""
    from django.test import Client

    from dialogues import services
    from tests.dialogues import factories as accountability

    with time_machine.travel(on(2026, 6, 1), tick=False):
        held = accountability.held_dialogue(
            by=staff.leader, date=dt.date(2026, 6, 1), leader=staff.leader
        )
    assert held.results_due_on == dt.date(2026, 6, 11)

    def reminded() -> set[tuple[str, int]]:
        return set(
            Reminder.objects.filter(target="dialogue_results", target_id=held.pk).values_list(
                "kind", "recipient_id"
            )
        )

    sweep.sweep(today=dt.date(2026, 6, 5))  # Friday: 4 working days ahead, nothing yet
    assert reminded() == set()
    sweep.sweep(today=dt.date(2026, 6, 8))  # Monday: 3 working days ahead
    assert reminded() == {(Kind.DUE_SOON, staff.leader.pk)}
    sweep.sweep(today=dt.date(2026, 6, 12))
    assert (Kind.OVERDUE, staff.leader.pk) in reminded()
    late = Reminder.objects.get(target="dialogue_results", kind=Kind.OVERDUE)
    message = sending.build(late)
    assert message is not None and held.topic in message.body
    client = Client()
    client.force_login(staff.leader)
    assert client.get(message.url).status_code == 200
    with time_machine.travel(on(2026, 6, 12), tick=False):
        services.dialogue_publish_results(dialogue=held, by=staff.leader, results="Kết quả.")
    assert sending.build(late) is None


def _rows() -> set[tuple]:
    return set(
        Reminder.objects.exclude(kind=Kind.WEEKLY).values_list(
            "target", "target_id", "kind", "deadline", "recipient_id"
        )
    )


@pytest.mark.parametrize("days_ahead", [0, 2, 10, 90])
def test_the_database_sweep_writes_the_same_rows_as_the_portable_one(
    staff: object, days_ahead: int
) -> None:
    """On PostgreSQL the sweep runs as INSERT … SELECT in the database; it must name exactly
    the reminders (every source, kind and recipient) that the portable path builds in Python."""
    from django.db import connection

    from demo.accountability import demo_seed as accountability_demo
    from demo.accounts import demo_seed as gov_demo
    from demo.reception import demo_seed as reception_demo

    if connection.vendor != "postgresql":
        pytest.skip("the database path is PostgreSQL's: set DATABASE_URL=postgres://...")
    gov_demo()
    reception_demo()
    accountability_demo()
    for _ in range(3):
        submit_item()
    from tests.dialogues import factories as accountability

    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    accountability.held_dialogue(by=leader, date=dt.date.today(), leader=leader)
    accountability.held_dialogue(by=leader, date=dt.date.today())  # no leader's account
    today = dt.date.today() + dt.timedelta(days=days_ahead)
    w, people = sweep.window(today), sweep.Staff()
    sweep._sweep_in_python(w, people)
    portable = _rows()
    assert portable, "the scenario must have something to remind"
    Reminder.objects.all().delete()
    written = sweep._sweep_in_database(w, people)
    assert _rows() == portable
    assert written == len(portable)
    assert sweep._sweep_in_database(w, people) == 0  # and nothing twice
