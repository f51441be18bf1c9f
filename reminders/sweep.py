"""The deadline sweep: find what falls due or is overdue, and write one reminder row per
thing, kind, deadline and recipient.

Windows, in working days (settings): ``PORTAL_REMINDER_DAYS`` = (3, 1) before the deadline;
overdue → the agency's leaders; overdue by ``PORTAL_ESCALATE_AFTER_DAYS`` more → the leaders of
the superior agency (Luật Tố cáo Art. 38: the superior demands a report).

Two paths write the same rows:

- PostgreSQL: the work is done in the database, one ``INSERT … SELECT … ON CONFLICT DO NOTHING``
  per source and kind of reminder. The boundary dates are computed in Python once (working
  days) and the recipients of each agency (a small table) are passed as arrays, so no row is
  read into Python. Rows the log already holds are skipped with ``NOT EXISTS`` on the unique
  index, so a second run in the same day reads and writes almost nothing.
- Other databases (SQLite, the embedded default): the same indexed queries read in chunks, the
  rows built in Python and inserted with ``ignore_conflicts``.

Either way the unique constraint of ``Reminder`` is what makes the sweep safe to run twice, or
twice at once: the database keeps one row. Sending is a separate step (``reminders.sending``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.utils import timezone

from complaints.models import PetitionItem
from complaints.models.items import OPEN_STATUSES
from dialogues.models import Commitment, Dialogue, MediationCase, Question, VoterRecommendation
from dialogues.models.dialogues import RESULTS_OWED
from gov.fast import enabled_for
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

    def receivers(self, agency_id: int) -> list[int]:
        """Who hears of a reception session: the heads and the reception officers."""
        roles = self.by_agency[agency_id]
        return roles[User.Role.LEADER] + roles[User.Role.RECEPTION_OFFICER]


def _recipients(kind: str, *, staff: Staff, agency_id: int, person_id: int | None) -> list[int]:
    if kind == Kind.ESCALATED:
        return staff.superior_leaders(agency_id)
    if kind == Kind.OVERDUE:
        return staff.leaders(agency_id) or staff.workers(agency_id)
    return [person_id] if person_id else staff.workers(agency_id)


@dataclass(frozen=True)
class Source:
    """A kind of thing with a deadline: which rows are still open, and its columns."""

    target: str
    model: type[models.Model]
    open: Q
    deadline: str
    agency: str
    person: str | None = None  # the person responsible, reminded instead of the agency

    def rows(self) -> QuerySet:
        return self.model.objects.filter(self.open).order_by()

    @property
    def columns(self) -> tuple[str, ...]:
        return ("id", self.deadline, self.agency) + ((self.person,) if self.person else ())


SOURCES = [
    Source(
        Target.PETITION_ITEM,
        PetitionItem,
        Q(status__in=OPEN_STATUSES),
        "due_on",
        "agency_id",
        "handler_id",
    ),
    Source(
        Target.COMMITMENT,
        Commitment,
        Q(state=Commitment.State.OPEN),
        "deadline",
        "owner_agency_id",
        "owner_id",
    ),
    Source(
        Target.COUNCIL_QUESTION,
        Question,
        Q(state=Question.State.ASKED),
        "answer_due_on",
        "asked_agency_id",
        "created_by_id",
    ),
    Source(
        Target.VOTER_RECOMMENDATION,
        VoterRecommendation,
        Q(replied_on__isnull=True),
        "reply_due_on",
        "assigned_agency_id",
    ),
    # A dialogue held and its results not yet published (Law 72/2025/QH15 Art. 43: within the
    # days of the rules table): its leader first, then the agency's leaders, then the superior.
    Source(
        Target.DIALOGUE_RESULTS,
        Dialogue,
        RESULTS_OWED,
        "results_due_on",
        "agency_id",
        "leader_id",
    ),
]
# Mediations not started by their start date (Luật Hòa giải ở cơ sở Art. 20): the team's
# village (or commune) leads to the commune's People's Committee.
MEDIATIONS = Source(
    Target.MEDIATION,
    MediationCase,
    Q(outcome=MediationCase.Outcome.PENDING, started_on__isnull=True),
    "start_due_on",
    "team__unit_id",
)
# Reception sessions on the calendar and not held yet.
SCHEDULES = Source(
    Target.RECEPTION_SCHEDULE,
    Schedule,
    Q(is_cancelled=False, session__isnull=True),
    "date",
    "agency_id",
)


def sweep(*, today: dt.date | None = None) -> int:
    """Write the reminder rows due today. Returns how many rows it wrote on the fast path
    (PostgreSQL, ``gov.fast``); on the plain path how many it considered (an upper bound of the
    new ones: existing rows are ignored by the database)."""
    today = today or timezone.localdate()
    w, staff = window(today), Staff()
    if enabled_for(connection):  # the fast path (gov.fast): one INSERT … SELECT per rule
        return _sweep_in_database(w, staff)
    return _sweep_in_python(w, staff)


# --- Portable path: rows read in chunks, built in Python --------------------------------------


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
    return [
        (
            source.target,
            source.rows()
            .filter(**{f"{source.deadline}__lte": w.soon_until})
            .values_list(*source.columns),
        )
        for source in SOURCES
    ]


def _insert(batch: list[Reminder]) -> None:
    Reminder.objects.bulk_create(batch, ignore_conflicts=True, batch_size=CHUNK)


def _sweep_in_python(w: Window, staff: Staff) -> int:
    considered = 0
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
        MEDIATIONS.rows()
        .filter(start_due_on__lte=w.soon_until)
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
    for sid, day, agency_id in (
        SCHEDULES.rows()
        .filter(date__gte=w.today, date__lte=w.tomorrow_until)
        .values_list("id", "date", "agency_id")
    ):
        for uid in set(staff.receivers(agency_id)):
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


# --- PostgreSQL path: one INSERT … SELECT per source and kind ---------------------------------

PERSON = "person"  # the person responsible if there is one, else the agency's workers


@dataclass(frozen=True)
class Rule:
    """One kind of reminder: the deadlines it covers (field lookups on the deadline, as
    ``kinds_for`` decides them) and who receives it (a group of ``_groups``, or ``PERSON``)."""

    kind: str
    deadlines: dict[str, dt.date]
    recipients: str


def _deadline_rules(w: Window) -> list[Rule]:
    return [
        Rule(Kind.DUE_SOON, {"gt": w.tomorrow_until, "lte": w.soon_until}, PERSON),
        Rule(Kind.DUE_TOMORROW, {"gte": w.today, "lte": w.tomorrow_until}, PERSON),
        Rule(Kind.OVERDUE, {"lt": w.today}, Kind.OVERDUE),
        Rule(Kind.ESCALATED, {"lt": w.escalate_before}, Kind.ESCALATED),
    ]


def _groups(staff: Staff) -> dict[str, tuple[list[int], list[int]]]:
    """Each group of recipients as two parallel arrays (agency ids, user ids), the same people
    ``_recipients`` names, for the database to join."""
    agencies = list(staff.parent)
    groups = {
        PERSON: {a: staff.workers(a) for a in agencies},
        Kind.OVERDUE: {a: staff.leaders(a) or staff.workers(a) for a in agencies},
        Kind.ESCALATED: {a: staff.superior_leaders(a) for a in agencies},
        Kind.UPCOMING: {a: staff.receivers(a) for a in agencies},
    }
    arrays = {}
    for name, by_agency in groups.items():
        pairs = sorted({(a, uid) for a, uids in by_agency.items() for uid in uids})
        arrays[name] = ([a for a, _ in pairs], [uid for _, uid in pairs])
    return arrays


# The candidates (target_id, deadline, agency_id, person_id) joined to their recipients; rows
# the log already holds are skipped through the unique index, and the rest inserted in a fixed
# order, so that two sweeps at once wait for each other instead of deadlocking.
INSERT_SQL = """
WITH candidate (target_id, deadline, agency_id, person_id) AS ({candidates}),
recipient (agency_id, user_id) AS (SELECT * FROM unnest(%s::bigint[], %s::bigint[])),
due (target_id, deadline, recipient_id) AS (
    SELECT c.target_id, c.deadline, COALESCE({person}, r.user_id)
    FROM candidate c LEFT JOIN recipient r ON {person} IS NULL AND r.agency_id = c.agency_id
)
INSERT INTO {table} (target, target_id, kind, deadline, recipient_id, created_at, attempts,
    last_error)
SELECT %s, d.target_id, %s, d.deadline, d.recipient_id, %s, 0, ''
FROM due d
WHERE d.recipient_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM {table} x
    WHERE x.target = %s AND x.target_id = d.target_id AND x.kind = %s
        AND x.deadline = d.deadline AND x.recipient_id = d.recipient_id
)
ORDER BY d.target_id, d.recipient_id
ON CONFLICT DO NOTHING
"""
# Mediations: the agency is the People's Committee of the team's commune (the parent of its
# village), or of its unit when the team sits in the commune itself.
MEDIATION_CANDIDATES_SQL = """
SELECT m.target_id, m.deadline, COALESCE(p.agency_id, u.agency_id), NULL::bigint
FROM ({rows}) m (target_id, deadline, unit_id, parent_id)
LEFT JOIN unnest(%s::bigint[], %s::bigint[]) p (unit_id, agency_id) ON p.unit_id = m.parent_id
LEFT JOIN unnest(%s::bigint[], %s::bigint[]) u (unit_id, agency_id) ON u.unit_id = m.unit_id
"""


def _candidates(source: Source, rule: Rule, staff: Staff) -> tuple[str, list[object]]:
    """The SQL of the open rows of ``source`` whose deadline ``rule`` covers, as
    (target_id, deadline, agency_id, person_id)."""
    qs = source.rows().filter(**{f"{source.deadline}__{op}": d for op, d in rule.deadlines.items()})
    if source is MEDIATIONS:
        sql, params = qs.values_list(
            "id", "start_due_on", "team__unit_id", "team__unit__parent_id"
        ).query.sql_with_params()
        units, agencies = list(staff.commune_agency), list(staff.commune_agency.values())
        return MEDIATION_CANDIDATES_SQL.format(rows=sql), [
            *params,
            units,
            agencies,
            units,
            agencies,
        ]
    sql, params = qs.values_list(*source.columns).query.sql_with_params()
    if not source.person:
        sql = f"SELECT *, NULL::bigint FROM ({sql}) s"
    return sql, list(params)


def _insert_due(
    cursor: object,
    source: Source,
    rule: Rule,
    *,
    staff: Staff,
    groups: dict[str, tuple[list[int], list[int]]],
    now: dt.datetime,
) -> int:
    candidates, params = _candidates(source, rule, staff)
    sql = INSERT_SQL.format(
        candidates=candidates,
        person="c.person_id" if rule.recipients == PERSON else "NULL::bigint",
        table=connection.ops.quote_name(Reminder._meta.db_table),
    )
    agencies, users = groups[rule.recipients]
    target, kind = str(source.target), str(rule.kind)
    cursor.execute(sql, [*params, agencies, users, target, kind, now, target, kind])
    return cursor.rowcount


def _sweep_in_database(w: Window, staff: Staff) -> int:
    groups, now, written = _groups(staff), timezone.now(), 0
    upcoming = Rule(Kind.UPCOMING, {"gte": w.today, "lte": w.tomorrow_until}, Kind.UPCOMING)
    plan = [(source, rule) for source in [*SOURCES, MEDIATIONS] for rule in _deadline_rules(w)]
    plan.append((SCHEDULES, upcoming))
    with connection.cursor() as cursor:
        for source, rule in plan:
            written += _insert_due(cursor, source, rule, staff=staff, groups=groups, now=now)
    return written


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
