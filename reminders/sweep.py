"""The deadline sweep: find what falls due or is overdue, and write one reminder row per
thing, kind, deadline and recipient.

Each source is one indexed query over open rows whose deadline is near or past (never a loop
over everything), read in chunks; the rows are inserted with ``ignore_conflicts`` against the
unique constraint of ``Reminder``, so running the sweep twice, or twice at once, writes nothing
new. Sending is a separate step (``reminders.sending``).

Windows, in working days (settings): ``PORTAL_REMINDER_DAYS`` = (3, 1) before the deadline;
overdue → the agency's leaders; overdue by ``PORTAL_ESCALATE_AFTER_DAYS`` more → the leaders of
the superior agency (Luật Tố cáo Art. 38: the superior demands a report).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from complaints.models import PetitionItem
from complaints.models.items import OPEN_STATUSES
from dialogues.models import Commitment, MediationCase, Question, VoterRecommendation
from gov.models import Agency, User
from gov.workdays import get_calendar
from reception.models import Schedule

from .models import Reminder

Kind = Reminder.Kind
Target = Reminder.Target
CHUNK = 2000


@dataclass(frozen=True)
class Window:
    today: dt.date
    tomorrow_until: dt.date
    soon_until: dt.date
    escalate_before: dt.date


def window(today: dt.date) -> Window:
    cal = get_calendar()
    far, near = max(settings.PORTAL_REMINDER_DAYS), min(settings.PORTAL_REMINDER_DAYS)
    escalate_before = today
    for _ in range(settings.PORTAL_ESCALATE_AFTER_DAYS):  # M working days back
        escalate_before -= dt.timedelta(days=1)
        while not cal.is_working_day(escalate_before):
            escalate_before -= dt.timedelta(days=1)
    return Window(
        today=today,
        tomorrow_until=cal.add_working_days(today, near),
        soon_until=cal.add_working_days(today, far),
        escalate_before=escalate_before,
    )


def kinds_for(deadline: dt.date, w: Window) -> list[str]:
    if deadline < w.escalate_before:
        return [Kind.OVERDUE, Kind.ESCALATED]
    if deadline < w.today:
        return [Kind.OVERDUE]
    if deadline <= w.tomorrow_until:
        return [Kind.DUE_TOMORROW]
    if deadline <= w.soon_until:
        return [Kind.DUE_SOON]
    return []


class Staff:
    """Who works where, loaded once per sweep (the staff table is small)."""

    def __init__(self) -> None:
        self.by_agency: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for uid, agency_id, role in User.objects.filter(
            is_active=True, agency__isnull=False
        ).values_list("id", "agency_id", "role"):
            self.by_agency[agency_id][role].append(uid)
        self.parent = dict(Agency.objects.values_list("id", "parent_id"))
        self.commune_agency = dict(
            Agency.objects.filter(
                kind=Agency.Kind.PEOPLES_COMMITTEE, valid_to__isnull=True
            ).values_list("unit_id", "id")
        )

    def leaders(self, agency_id: int | None) -> list[int]:
        return list(self.by_agency[agency_id][User.Role.LEADER]) if agency_id else []

    def workers(self, agency_id: int) -> list[int]:
        roles = self.by_agency[agency_id]
        return (
            roles[User.Role.HANDLER] + roles[User.Role.RECEPTION_OFFICER] or roles[User.Role.LEADER]
        )

    def superior_leaders(self, agency_id: int) -> list[int]:
        return self.leaders(self.parent.get(agency_id))


def _recipients(kind: str, *, staff: Staff, agency_id: int, person_id: int | None) -> list[int]:
    if kind == Kind.ESCALATED:
        return staff.superior_leaders(agency_id)
    if kind == Kind.OVERDUE:
        return staff.leaders(agency_id) or staff.workers(agency_id)
    return [person_id] if person_id else staff.workers(agency_id)


def _rows(
    target: str, rows: Iterable[tuple[int, dt.date, int, int | None]], w: Window, staff: Staff
) -> Iterator[Reminder]:
    for target_id, deadline, agency_id, person_id in rows:
        for kind in kinds_for(deadline, w):
            for uid in set(
                _recipients(kind, staff=staff, agency_id=agency_id, person_id=person_id)
            ):
                yield Reminder(
                    target=target,
                    target_id=target_id,
                    kind=kind,
                    deadline=deadline,
                    recipient_id=uid,
                )


def _sources(w: Window) -> list[tuple[str, Iterable[tuple[int, dt.date, int, int | None]]]]:
    near = Q(status__in=OPEN_STATUSES, due_on__lte=w.soon_until)
    return [
        (
            Target.PETITION_ITEM,
            PetitionItem.objects.filter(near).values_list(
                "id", "due_on", "agency_id", "handler_id"
            ),
        ),
        (
            Target.COMMITMENT,
            Commitment.objects.filter(
                state=Commitment.State.OPEN, deadline__lte=w.soon_until
            ).values_list("id", "deadline", "owner_agency_id", "owner_id"),
        ),
        (
            Target.COUNCIL_QUESTION,
            Question.objects.filter(
                state=Question.State.ASKED, answer_due_on__lte=w.soon_until
            ).values_list("id", "answer_due_on", "asked_agency_id", "created_by_id"),
        ),
        (
            Target.VOTER_RECOMMENDATION,
            VoterRecommendation.objects.filter(
                replied_on__isnull=True, reply_due_on__lte=w.soon_until
            ).values_list("id", "reply_due_on", "assigned_agency_id"),
        ),
    ]


def _insert(batch: list[Reminder]) -> None:
    Reminder.objects.bulk_create(batch, ignore_conflicts=True, batch_size=CHUNK)


def sweep(*, today: dt.date | None = None) -> int:
    """Write the reminder rows due today. Returns how many rows it considered (an upper bound
    of the new ones: existing rows are ignored by the database)."""
    today = today or timezone.localdate()
    w, staff, considered = window(today), Staff(), 0
    for target, qs in _sources(w):
        rows = (r if len(r) == 4 else (*r, None) for r in qs.iterator(chunk_size=CHUNK))
        batch: list[Reminder] = []
        for reminder in _rows(target, rows, w, staff):
            batch.append(reminder)
            if len(batch) >= CHUNK:
                _insert(batch)
                considered += len(batch)
                batch = []
        _insert(batch)
        considered += len(batch)
    considered += _sweep_mediations(w, staff) + _sweep_schedules(w, staff)
    return considered


def _sweep_mediations(w: Window, staff: Staff) -> int:
    """Mediations not started by their start date (Luật Hòa giải ở cơ sở Art. 20)."""
    batch = []
    for case_id, due, unit_id, parent_id in (
        MediationCase.objects.filter(
            outcome=MediationCase.Outcome.PENDING,
            started_on__isnull=True,
            start_due_on__lte=w.soon_until,
        )
        .values_list("id", "start_due_on", "team__unit_id", "team__unit__parent_id")
        .iterator(chunk_size=CHUNK)
    ):
        agency_id = staff.commune_agency.get(parent_id) or staff.commune_agency.get(unit_id)
        if agency_id:
            batch.extend(_rows(Target.MEDIATION, [(case_id, due, agency_id, None)], w, staff))
    _insert(batch)
    return len(batch)


def _sweep_schedules(w: Window, staff: Staff) -> int:
    """The heads and reception officers hear of their reception sessions a working day ahead."""
    batch = []
    for sid, day, agency_id in Schedule.objects.filter(
        is_cancelled=False, date__gte=w.today, date__lte=w.tomorrow_until, session__isnull=True
    ).values_list("id", "date", "agency_id"):
        roles = staff.by_agency[agency_id]
        for uid in set(roles[User.Role.LEADER] + roles[User.Role.RECEPTION_OFFICER]):
            batch.append(
                Reminder(
                    target=Target.RECEPTION_SCHEDULE,
                    target_id=sid,
                    kind=Kind.UPCOMING,
                    deadline=day,
                    recipient_id=uid,
                )
            )
    _insert(batch)
    return len(batch)


def weekly_digest(*, today: dt.date | None = None) -> int:
    """One digest per leader per week (the Monday of the week is its "deadline")."""
    today = today or timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    batch = [
        Reminder(
            target=Target.DIGEST, target_id=uid, kind=Kind.WEEKLY, deadline=monday, recipient_id=uid
        )
        for uid in User.objects.filter(is_active=True, role=User.Role.LEADER).values_list(
            "id", flat=True
        )
    ]
    _insert(batch)
    return len(batch)
