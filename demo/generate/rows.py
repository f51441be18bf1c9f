"""``manage.py generate_data --items N``: realistic petitions at scale, for load tests.

Why not the services: ``petition_submit`` and the ``item_*`` services route, detect
duplicates and mass complaints, compute deadlines and write events with some twenty queries
per item, about a hundred items a second: a million items would take hours. This command
writes the same rows directly, in batches, with PostgreSQL's COPY (``bulk_create`` on
SQLite), and keeps them consistent with what the services would write:

- ``scope_path`` is the responsible agency's unit path; ``search_text`` is built by the
  services' own ``_index_text`` (folded with ``gov.text.fold_diacritics``);
- ``due_on``/``due_stage``/``due_rule`` come from ``complaints.deadlines`` and the rules
  table (intake deadline, then resolution from acceptance; ``due_on`` cleared once
  transferred, guided, filed or withdrawn), with the ``ItemDeadline`` history;
- each item has its "received" (or "received by transfer") event, and one event per step of
  its life; transfers and guidance have their numbered letter; a transfer creates the new
  item at the competent agency, as ``item_transfer`` does;
- ``proposed_agency`` and the skip-level flag come from ``complaints.routing``;
- petitions are spread over the 38 current communes (a former commune named as the place for
  those received before the 2025 reform) and the provincial agencies; about 8% of the items
  are overdue; a few petitions are mass complaints;
- one reception session per ~50 items and one commitment per ~200, with their events.

What it does not do: duplicate and hotspot detection, attachments, e-mail.

Generated petitions are recognised by their tracking code: seven characters after the dash
(``LC25-7K3QX9A``) where the service draws six, so the two never collide. ``--items N`` is the
*total* number of generated items wanted: the command adds what is missing, so running it
twice with the same N adds nothing, and ``--items 1000000`` after ``--items 10000`` tops the
database up. One account per role (``gen.xuly.<agency>``, ``gen.lanhdao.<agency>``, unusable
passwords) is created per agency to handle the items. Never for production: it refuses when
``DEBUG`` is off unless ``--allow-production-settings`` is given (the bench uses it).

Timestamps are historic (an event happens on its day): the ``auto_now`` fields are switched
off while the rows are written.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.management.base import CommandError
from django.db import connection, models
from django.utils import timezone

from complaints import deadlines
from complaints.models import (
    Channel,
    ItemDeadline,
    ItemEvent,
    Letter,
    Petition,
    PetitionItem,
    Status,
    Submitter,
)
from complaints.routing import Route, competent_route
from dialogues.models import Commitment, CommitmentEvent
from gov.crypto import EncryptedMixin
from gov.models import AdministrativeUnit, Agency, Sector, TimeLimitRule, User
from gov.workdays import get_calendar
from reception.models import ReceptionSession
from reception.models.reception import ReceptionEvent

GENERATED_CODE = r"^LC[0-9]{2}-[0-9A-Z]{7}$"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
HISTORY_DAYS = 3 * 365
REFORM = dt.date(2025, 7, 1)
OVERDUE_SHARE_OF_OPEN = 0.55  # open items are ~15% of all: ~8% of all are overdue
ITEMS_PER_SESSION = 50
ITEMS_PER_COMMITMENT = 200

KINDS = {"complaint": 35, "denunciation": 12, "recommendation": 35, "feedback": 18}
SECTOR_WEIGHTS = {"dat-dai": 25, "boi-thuong-tai-dinh-cu": 12, "chinh-sach-xa-hoi": 8}
CHANNELS = {
    Channel.ONLINE: 35,
    Channel.COUNTER: 30,
    Channel.POST: 20,
    Channel.RECEPTION_SESSION: 10,
    Channel.COUNCIL_VOTER: 5,
}
# The final status of an item handled where it was received (transfers are decided by routing).
LIFECYCLE = {
    Status.RECEIVED: 3.5,
    Status.PROCESSING: 4,
    Status.ACCEPTED: 6,
    Status.VERIFYING: 3,
    Status.CONCLUDED: 20,
    Status.CLOSED: 40,
    Status.GUIDED: 6,
    Status.FILED: 6,
    Status.WITHDRAWN: 1.5,
}
PROCESSED = {Status.PROCESSING, Status.GUIDED, Status.FILED, Status.TRANSFERRED}
RESOLVING = {Status.ACCEPTED, Status.VERIFYING, Status.CONCLUDED, Status.CLOSED}

FAMILY = ["Lò", "Lù", "Giàng", "Vàng", "Tẩn", "Sùng", "Nguyễn", "Trần", "Hoàng", "Lê", "Đèo", "Tao"]
MIDDLE_M = ["Văn", "A", "Seo", "Láo", "Đức", "Minh"]
MIDDLE_F = ["Thị", "Thị", "Mỷ", "Thu"]
GIVEN = ["Xuân", "Sử", "Mai", "San", "Pao", "Chứ", "Hoa", "Lan", "Tùng", "Hùng", "Dế", "Phềnh"]
SUBJECTS = {
    "complaint": "Khiếu nại quyết định về {s}",
    "denunciation": "Tố cáo cán bộ vi phạm trong lĩnh vực {s}",
    "recommendation": "Kiến nghị giải quyết vướng mắc về {s}",
    "feedback": "Phản ánh tình trạng chậm xử lý về {s}",
}
DETAILS = [
    "tại bản {v}, gia đình tôi đã nhiều lần đề nghị nhưng chưa được trả lời",
    "ảnh hưởng đến sản xuất nương rẫy của nhiều hộ ở bản {v}",
    "việc đo đạc, bồi thường khi làm đường qua bản {v} chưa thỏa đáng",
    "đề nghị cơ quan có thẩm quyền xem xét, kiểm tra tại bản {v}",
]
VILLAGES = ["Nà Luồng", "Pá Khôm", "Hua Bum", "Sì Thâu Chải", "Nậm Cười", "Phiêng Phát", "Tà Mung"]


def _code(seq: int, year: int) -> str:
    """An odd multiplier is a bijection modulo 32**7: distinct sequence numbers give distinct
    codes that do not look consecutive."""
    n, chars = (seq * 0x2545F491 + 0x1F2E3D) % 32**7, []
    for _ in range(7):
        n, r = divmod(n, 32)
        chars.append(ALPHABET[r])
    return f"LC{year % 100:02d}-{''.join(chars)}"


def generated_petitions() -> models.QuerySet[Petition]:
    return Petition.objects.filter(code__regex=GENERATED_CODE)


def generated_items() -> models.QuerySet[PetitionItem]:
    return PetitionItem.objects.filter(petition__code__regex=GENERATED_CODE)


@contextlib.contextmanager
def historic_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let ``auto_now``/``auto_now_add`` fields take the values we give them."""
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


@contextlib.contextmanager
def memoised_rules() -> Iterator[None]:
    """``gov.selectors.time_limit_rule`` answered from memory: the rule in force changes only
    on a rule's ``effective_from``, so one lookup per kind, stage, variant and period between
    two such dates stands for every day in it. The deadlines are still computed by
    ``gov.selectors.deadline_for`` and the working calendar."""
    from gov import selectors

    original = selectors.time_limit_rule
    starts = sorted(set(TimeLimitRule.objects.values_list("effective_from", flat=True)))
    memo: dict[tuple, TimeLimitRule] = {}

    def lookup(*, kind: str, stage: str, variant: str = "normal", on: dt.date) -> TimeLimitRule:
        period = bisect.bisect_right(starts, on)
        key = (kind, stage, variant, period)
        if key not in memo:
            memo[key] = original(kind=kind, stage=stage, variant=variant, on=on)
        return memo[key]

    selectors.time_limit_rule = lookup
    try:
        yield
    finally:
        selectors.time_limit_rule = original


# --- writing ---------------------------------------------------------------------------------


def reserve_ids(model: type[models.Model], n: int) -> Iterator[int]:
    """``n`` primary keys for rows we insert ourselves: a block of the sequence on PostgreSQL
    (unused ones leave a harmless gap), the next free ones on SQLite (one writer at a time)."""
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT setval(s, nextval(s) + %s - 1) FROM pg_get_serial_sequence(%s, 'id') s",
                [max(n, 1), table],
            )
            last = cur.fetchone()[0]
            return iter(range(last - max(n, 1) + 1, last + 1))
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = cur.fetchone()[0] + 1
        return iter(range(first, first + max(n, 1)))


def _value(f: models.Field, obj: models.Model) -> object:
    value = getattr(obj, f.attname)
    if isinstance(f, models.JSONField):
        return json.dumps(value)
    if isinstance(f, EncryptedMixin):  # identities are encrypted at rest, generated ones too
        return f.get_db_prep_save(value, connection)
    return value


def insert(model: type[models.Model], objs: list[models.Model]) -> int:
    """COPY on PostgreSQL; ``bulk_create`` elsewhere. Rows without a pk get one from the
    database."""
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=500)
        return len(objs)
    with_pk = objs[0].pk is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({cols}) FROM STDIN"
    with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row([_value(f, obj) for f in fields])
    return len(objs)


# --- reference data, loaded once --------------------------------------------------------------


class Reference:
    """Units, agencies, sectors and the generator's staff, with memoised deadlines and routes
    (a few thousand distinct inputs for a million items)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        units = {u.pk: u for u in AdministrativeUnit.objects.select_related("parent")}
        self.communes = [
            u
            for u in units.values()
            if u.level == AdministrativeUnit.Level.COMMUNE and u.valid_to is None
        ]
        if len(self.communes) < 2:
            raise CommandError("Load the reference data first: manage.py load_reference_data")
        self.former: dict[int, list[AdministrativeUnit]] = {c.pk: [] for c in self.communes}
        for u in units.values():
            if u.level == AdministrativeUnit.Level.COMMUNE and u.successor_id in self.former:
                self.former[u.successor_id].append(u)
        agencies = list(Agency.objects.filter(valid_to__isnull=True).select_related("unit"))
        self.commune_agency = {
            a.unit_id: a for a in agencies if a.kind == Agency.Kind.PEOPLES_COMMITTEE
        }
        self.provincial = [
            a
            for a in agencies
            if a.unit.level == AdministrativeUnit.Level.PROVINCE
            and a.kind not in {Agency.Kind.PEOPLES_COUNCIL, Agency.Kind.OFFICE}
        ]
        self.sectors = list(Sector.objects.all())
        self.sector_weights = [SECTOR_WEIGHTS.get(s.code, 3) for s in self.sectors]
        self.handler, self.leader = self._staff(agencies)
        self.calendar = get_calendar()
        self._routes: dict[tuple, Route] = {}
        self._intake: dict[tuple, tuple] = {}
        self._resolution: dict[tuple, object] = {}

    @staticmethod
    def _staff(agencies: list[Agency]) -> tuple[dict[int, User], dict[int, User]]:
        wanted = {
            f"gen.{prefix}.{a.code}"[:150]: (a, role)
            for a in agencies
            for prefix, role in (("xuly", User.Role.HANDLER), ("lanhdao", User.Role.LEADER))
        }
        have = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
        new = []
        for username, (agency, role) in wanted.items():
            if username not in have:
                user = User(
                    username=username,
                    agency=agency,
                    role=role,
                    first_name="(gen)",
                    last_name=f"{role.label} {agency.short_name or agency.name}"[:150],
                )
                user.set_unusable_password()
                new.append(user)
        User.objects.bulk_create(new)
        by_role: dict[str, dict[int, User]] = {User.Role.HANDLER: {}, User.Role.LEADER: {}}
        for user in User.objects.filter(username__in=wanted):
            by_role[user.role][user.agency_id] = user
        return by_role[User.Role.HANDLER], by_role[User.Role.LEADER]

    def route(self, item: PetitionItem, unit: AdministrativeUnit) -> Route:
        key = (item.kind, item.sector_id, unit.pk)
        if key not in self._routes:
            self._routes[key] = competent_route(item, unit=unit)
        return self._routes[key]

    def intake(self, item: PetitionItem, start: dt.date) -> tuple[str, object]:
        key = (item.kind, item.is_complex, start)
        if key not in self._intake:
            self._intake[key] = deadlines.intake_deadline(item, received_on=start)
        return self._intake[key]

    def resolution(self, item: PetitionItem, accepted_on: dt.date) -> object:
        key = (item.kind, item.complaint_round, item.variant, accepted_on)
        if key not in self._resolution:
            self._resolution[key] = deadlines.resolution_deadline(item, accepted_on=accepted_on)
        return self._resolution[key]


# --- one batch --------------------------------------------------------------------------------


@dataclass
class Rows:
    petitions: list[Petition] = field(default_factory=list)
    submitters: list[Submitter] = field(default_factory=list)
    items: list[PetitionItem] = field(default_factory=list)
    deadlines: list[ItemDeadline] = field(default_factory=list)
    events: list[ItemEvent] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    sessions: list[ReceptionSession] = field(default_factory=list)
    session_events: list[ReceptionEvent] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    commitment_events: list[CommitmentEvent] = field(default_factory=list)

    def write(self) -> int:
        return sum(
            insert(type(objs[0]), objs) if objs else 0
            for objs in (
                self.petitions,
                self.submitters,
                self.items,
                self.deadlines,
                self.letters,
                self.events,
                self.sessions,
                self.session_events,
                self.commitments,
                self.commitment_events,
            )
        )


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    """A moment in office hours on ``day``, in the portal's time zone."""
    t = dt.time(rng.randint(7, 16), rng.randint(0, 59), rng.randint(0, 59))
    return timezone.make_aware(dt.datetime.combine(day, t))
