"""Reads for the leaders' overview (tổng quan), scoped through ``gov.scoping``.

Every figure is a grouped aggregate computed by the database; Python only pivots the grouped
rows (a few per commune, agency or handler), never the items, so the page runs the same
number of queries for 5 items or a million.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, Model, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from complaints.models import Hotspot, PetitionItem
from complaints.models.items import OPEN_STATUSES
from complaints.selectors import items_for
from dashboard.models import FiguresMonth, MonthlyFigures
from dialogues import selectors as dialogue_selectors
from gov.models import AdministrativeUnit, Agency, User
from gov.scoping import scope_of, scoped
from gov.text import vietnamese_sort_key
from gov.workdays import get_calendar
from reception import selectors as reception_selectors

DASHBOARD_ROLES = {User.Role.LEADER, User.Role.ADMINISTRATOR}


def may_see_dashboard(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or (user.agency_id and user.role in DASHBOARD_ROLES))
    )


def due_soon_working_days() -> int:
    """'Due soon' means within the first reminder's reach, so the overview and the reminders
    speak of the same items."""
    return max(settings.PORTAL_REMINDER_DAYS, default=3)


# --- deadlines -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Aging:
    """A band of calendar days past the due date, ``last`` None for no upper bound."""

    key: str
    first: int
    last: int | None

    def due_range(self, today: dt.date) -> tuple[dt.date | None, dt.date]:
        """The due dates of the items in the band: (earliest or None, latest), inclusive."""
        latest = today - dt.timedelta(days=self.first)
        earliest = None if self.last is None else today - dt.timedelta(days=self.last)
        return earliest, latest


AGING = (
    Aging("1-5", 1, 5),
    Aging("6-10", 6, 10),
    Aging("11-30", 11, 30),
    Aging("31+", 31, None),
)
DUE_SOON = "due_soon"


def _band(today: dt.date) -> Case:
    """Due soon, or the aging band of an overdue item, from its due date alone: the Whens are
    tried in order, so each one only needs the lower bound of its band."""
    whens = [When(due_on__gte=today, then=Value(DUE_SOON))]
    whens += [When(due_on__gte=a.due_range(today)[0], then=Value(a.key)) for a in AGING if a.last]
    return Case(*whens, default=Value(AGING[-1].key), output_field=CharField())


@dataclass
class DeadlineCounts:
    due_soon: int = 0
    aging: dict[str, int] = field(default_factory=lambda: dict.fromkeys((a.key for a in AGING), 0))

    @property
    def overdue(self) -> int:
        return sum(self.aging.values())

    def add(self, band: str, n: int) -> None:
        if band == DUE_SOON:
            self.due_soon += n
        else:
            self.aging[band] += n


@dataclass
class DeadlineRow:
    """One commune, agency or handler; ``obj`` None for items with no handler yet."""

    obj: AdministrativeUnit | Agency | User | None
    counts: DeadlineCounts

    @property
    def name(self) -> str:
        if self.obj is None:
            return ""
        if isinstance(self.obj, User):
            return self.obj.display_name
        if isinstance(self.obj, Agency):
            return self.obj.name
        return str(self.obj)


@dataclass
class DeadlineBoard:
    today: dt.date
    due_soon_days: int
    until: dt.date
    total: DeadlineCounts
    units: list[DeadlineRow]
    agencies: list[DeadlineRow]
    handlers: list[DeadlineRow]


# Grouped by the commune or ward of the petition's place (stored on the item), as the inbox's
# ``unit`` filter selects: no join with the petitions.
DIMENSIONS: dict[str, tuple[str, type[Model]]] = {
    "units": ("place_commune", AdministrativeUnit),
    "agencies": ("agency", Agency),
    "handlers": ("handler", User),
}


# What naming a row needs, and no more: a handler's row never carries their password hash into
# the cache (overview_figures).
NAME_FIELDS: dict[type[Model], tuple[str, ...]] = {
    User: ("id", "username", "first_name", "last_name"),
    Agency: ("id", "code", "name", "short_name"),
    AdministrativeUnit: ("id", "code", "name", "unit_type", "level", "valid_to"),
}


def _rows(counts: dict[int | None, DeadlineCounts], model: type[Model]) -> list[DeadlineRow]:
    """The rows of one dimension, named with one query, worst first."""
    objs = model._default_manager.only(*NAME_FIELDS[model]).in_bulk(
        [pk for pk in counts if pk is not None]
    )
    rows = [DeadlineRow(obj=objs.get(pk), counts=c) for pk, c in counts.items()]
    rows.sort(
        key=lambda r: (
            -r.counts.overdue,
            -r.counts.due_soon,
            r.obj is None,
            vietnamese_sort_key(r.name),
        )
    )
    return rows


def deadline_board(
    user: User, *, today: dt.date | None = None, due_soon_days: int | None = None
) -> DeadlineBoard:
    """Overdue and due-soon open items per commune, agency and handler, with the aging of
    the overdue ones. Only open items due by the end of the due-soon window are read, through
    the (scope_path, status, due_on) index, once: grouped by unit × agency × handler × band
    (a few rows per handler), then summed per dimension in Python. Four queries in all."""
    today = today or timezone.localdate()
    days = due_soon_working_days() if due_soon_days is None else due_soon_days
    until = get_calendar().add_working_days(today, days)
    fields = [f for f, _ in DIMENSIONS.values()]
    grouped = (
        items_for(user)
        .order_by()
        .filter(status__in=OPEN_STATUSES, due_on__lte=until)
        .annotate(band=_band(today))
        .values(*fields, "band")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, dict[int | None, DeadlineCounts]] = {
        name: defaultdict(DeadlineCounts) for name in DIMENSIONS
    }
    total = DeadlineCounts()
    for row in grouped:
        total.add(row["band"], row["n"])
        for name, (f, _) in DIMENSIONS.items():
            counts[name][row[f]].add(row["band"], row["n"])
    tables = {name: _rows(counts[name], model) for name, (_, model) in DIMENSIONS.items()}
    return DeadlineBoard(today=today, due_soon_days=days, until=until, total=total, **tables)


# --- alerts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alerts:
    skip_level: int
    mass: int
    hotspots: int
    unverified: int = 0  # similar unverified online petitions beside the open hotspots


def alerts(user: User) -> Alerts:
    """Open skip-level and mass-complaint items, and open hotspot alerts with the unverified
    online petitions beside them: two queries."""
    flags = (
        items_for(user)
        .order_by()
        .filter(Q(is_skip_level=True) | Q(is_mass=True), status__in=OPEN_STATUSES)
        .aggregate(  # counting the flags, not ids: the partial index item_open_flagged alone
            skip_level=Count("is_skip_level", filter=Q(is_skip_level=True)),
            mass=Count("is_mass", filter=Q(is_mass=True)),
        )
    )
    hotspots = scoped(user, Hotspot.objects.filter(state=Hotspot.State.OPEN)).aggregate(
        n=Count("id"), unverified=Sum("unverified")
    )
    return Alerts(
        skip_level=flags["skip_level"],
        mass=flags["mass"],
        hotspots=hotspots["n"],
        unverified=hotspots["unverified"] or 0,
    )


# --- trends --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    first: dt.date
    received: int
    concluded: int
    on_time: int

    @property
    def label(self) -> str:
        return f"{self.first:%m/%Y}"

    @property
    def on_time_rate(self) -> float | None:
        """Concluded on or before the due date ÷ concluded; None with nothing concluded."""
        return self.on_time / self.concluded if self.concluded else None


def month_starts(today: dt.date, count: int = 12) -> list[dt.date]:
    """The first days of the ``count`` months up to and including ``today``'s, oldest first."""
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def _month(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def item_month_counts(
    items: QuerySet[PetitionItem], *, start: dt.date, end: dt.date, by: tuple[str, ...] = ()
) -> dict[tuple, dict[str, int]]:
    """Items received (a transfer is the same matter, not a new one) and concluded, with how
    many on time as ``complaints.services.item_conclude`` records it, per month from ``start``
    to ``end`` inclusive and per the fields ``by``: {(month, *by values): counts}. Two grouped
    queries."""
    items = items.order_by()
    counts: dict[tuple, dict[str, int]] = defaultdict(
        lambda: {"received": 0, "concluded": 0, "on_time": 0}
    )
    for row in (
        items.filter(received_on__gte=start, received_on__lte=end, transferred_from__isnull=True)
        .annotate(month=TruncMonth("received_on"))
        .values("month", *by)
        .annotate(n=Count("pk"))
    ):
        counts[(_month(row["month"]), *(row[f] for f in by))]["received"] = row["n"]
    for row in (
        items.filter(concluded_on__gte=start, concluded_on__lte=end)
        .annotate(month=TruncMonth("concluded_on"))
        .values("month", *by)
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(concluded_on__lte=F("due_on"))))
    ):
        key = (_month(row["month"]), *(row[f] for f in by))
        counts[key]["concluded"], counts[key]["on_time"] = row["n"], row["on_time"]
    return counts


@dataclass(frozen=True)
class Trends:
    months: list[Month]
    as_of: dt.datetime | None  # the oldest roll-up read; None when every month was counted live


TREND_MONTHS = 12  # the overview's window


def monthly_trends(
    user: User, *, today: dt.date | None = None, months: int = TREND_MONTHS
) -> Trends:
    """Per month: items received, concluded, and concluded on time. Months whose roll-up is
    complete (``dashboard.models.FiguresMonth``) are read from ``MonthlyFigures``, summed over
    the scope; from the first month without one, the items are counted directly. Four queries
    at most, whatever the number of items."""
    today = today or timezone.localdate()
    firsts = month_starts(today, months)
    rolled = dict(
        FiguresMonth.objects.filter(month__gte=firsts[0], month__lte=firsts[-1]).values_list(
            "month", "computed_at"
        )
    )
    live_from = next((first for first in firsts if first not in rolled), None)
    if scope_of(user).agency_id is not None:
        live_from = firsts[0]  # the roll-up is per unit; an agency's own items are few
    counts: dict[dt.date, dict[str, int]] = {}
    rolled_months = [first for first in firsts if live_from is None or first < live_from]
    if rolled_months:
        for row in (
            scoped(user, MonthlyFigures.objects.filter(month__in=rolled_months))
            .order_by()
            .values("month")
            .annotate(received=Sum("received"), concluded=Sum("concluded"), on_time=Sum("on_time"))
        ):
            counts[row["month"]] = row
    if live_from is not None:
        live = item_month_counts(items_for(user), start=live_from, end=today)
        counts.update({month: c for (month,), c in live.items()})
    as_of = min((rolled[m] for m in rolled_months), default=None)
    return Trends(
        months=[
            Month(
                first=first,
                received=counts.get(first, {}).get("received") or 0,
                concluded=counts.get(first, {}).get("concluded") or 0,
                on_time=counts.get(first, {}).get("on_time") or 0,
            )
            for first in firsts
        ],
        as_of=as_of,
    )


# --- reception, mediation, commitments -----------------------------------------------------


@dataclass(frozen=True)
class ComplianceSummary:
    """Heads who received citizens in person as often as the law requires this month:
    ``pending`` are those short only in a period not over yet."""

    year: int
    month: int
    heads: int
    complying: int
    missed: int
    pending: int


def compliance_summary(user: User, *, today: dt.date | None = None) -> ComplianceSummary:
    today = today or timezone.localdate()
    rows = reception_selectors.compliance(user, year=today.year, month=today.month)
    missed = pending = 0
    for row in rows:  # one row per head, never per session
        if row.missed_periods:  # a week or month that is over without its sessions
            missed += 1
        elif any(p.missed and p.start <= today for p in row.periods_in_progress):
            # A week or month running now whose sessions are not held yet: in progress, not
            # met (weeks still to come are nobody's fault). A head complies only with every
            # period so far held.
            pending += 1
    return ComplianceSummary(
        year=today.year,
        month=today.month,
        heads=len(rows),
        complying=len(rows) - missed - pending,
        missed=missed,
        pending=pending,
    )


@dataclass(frozen=True)
class MediationSummary:
    start: dt.date
    end: dt.date
    mediations: int
    settled: int
    escalated: int


def mediation_summary(user: User, *, today: dt.date | None = None) -> MediationSummary:
    """This year's disputes settled at the grassroots against those that went up as
    petitions (``dialogues.selectors.grassroots_results``), summed over the communes."""
    today = today or timezone.localdate()
    start = dt.date(today.year, 1, 1)
    rows = dialogue_selectors.grassroots_results(user, start=start, end=today)
    return MediationSummary(
        start=start,
        end=today,
        mediations=sum(r.mediations for r in rows),
        settled=sum(r.settled for r in rows),
        escalated=sum(r.escalated_petitions for r in rows),
    )


def commitment_counts(user: User, *, today: dt.date | None = None) -> dict[str, int]:
    """Commitments by status (kept, overdue, ...): one grouped query."""
    return dialogue_selectors.status_counts(dialogue_selectors.commitments_for(user, today=today))


# --- the whole overview, kept a minute --------------------------------------------------------


@dataclass(frozen=True)
class FollowUps:
    """What is owed past its legal day outside the petitions: written answers to council
    questions, replies to voters' recommendations, and dialogue results not yet published."""

    questions_overdue: int
    recommendations_overdue: int
    dialogue_results_overdue: int


def follow_ups(user: User, *, today: dt.date | None = None) -> FollowUps:
    """Three counts on small tables (a province holds thousands of these rows, not millions)."""
    today = today or timezone.localdate()
    d = dialogue_selectors
    return FollowUps(
        questions_overdue=d.overdue_questions(d.questions_for(user), today=today).count(),
        recommendations_overdue=d.overdue_voter_recommendations(
            d.voter_recommendations_for(user), today=today
        ).count(),
        dialogue_results_overdue=d.results_overdue(d.dialogues_for(user), today=today).count(),
    )


@dataclass
class Overview:
    """Every figure of the overview but the monthly trends (rolled up already), counted at
    ``as_of``."""

    board: DeadlineBoard
    alerts: Alerts
    compliance: ComplianceSummary
    mediation: MediationSummary
    commitments: dict[str, int]
    follow_ups: FollowUps
    as_of: dt.datetime


def overview_figures(user: User, *, today: dt.date | None = None) -> Overview:
    """The overview's figures for ``user``'s scope. They are kept in the cache for
    ``PORTAL_OVERVIEW_CACHE_SECONDS`` (60; 0 to count on every visit), shared by everyone with
    the same scope: ``gov.scoping`` decides what a user sees from their scope alone (its root,
    or its agency for a department), so two leaders of one commune see the same figures. A
    province's overview counts a hundred thousand open items; a leader does not need it
    recounted more than once a minute, and the page says as of when. The inbox behind every number is always live."""
    today = today or timezone.localdate()
    seconds = settings.PORTAL_OVERVIEW_CACHE_SECONDS
    key = f"dashboard:overview:v3:{scope_of(user).key}:{today.isoformat()}"
    kept = cache.get(key) if seconds else None
    # The cache may keep them longer than asked (a clock moved, a server's own expiry): never
    # show figures older than the setting says.
    if kept is not None and timezone.now() - kept.as_of < dt.timedelta(seconds=seconds):
        return kept
    board = deadline_board(user, today=today)
    figures = Overview(
        board=board,
        alerts=alerts(user),
        compliance=compliance_summary(user, today=today),
        mediation=mediation_summary(user, today=today),
        commitments=commitment_counts(user, today=today),
        follow_ups=follow_ups(user, today=today),
        as_of=timezone.now(),
    )
    if seconds:
        cache.set(key, figures, seconds)
    return figures
