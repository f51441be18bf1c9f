"""Reads of citizen reception: the public calendar, the reception log and compliance."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Q, QuerySet
from django.utils import timezone

from complaints.confidentiality import MASK
from gov.audit import audit_record
from gov.db import in_vietnamese_order
from gov.models import AdministrativeUnit, Agency, AuditRecord, User
from gov.scoping import scoped
from gov.workdays import get_calendar

from .models import (
    FrequencyRule,
    PresiderType,
    ReceptionSession,
    Schedule,
    SessionKind,
    Visit,
    VisitorReveal,
)


def public_calendar(
    *, start: dt.date, end: dt.date, unit: AdministrativeUnit | None = None
) -> QuerySet[Schedule]:
    """Published, not cancelled calendar entries between two dates, optionally in one unit."""
    qs = Schedule.objects.filter(
        is_published=True, is_cancelled=False, date__gte=start, date__lte=end
    )
    if unit is not None:
        qs = qs.filter(agency__unit__path__startswith=unit.path)
    return qs.select_related("agency", "agency__unit").order_by(
        "date", "start_time", "agency__name"
    )


def sessions_for(user: User) -> QuerySet[ReceptionSession]:
    return scoped(user, ReceptionSession.objects.all()).select_related(
        "agency", "agency__unit", "schedule"
    )


def visits_for(user: User) -> QuerySet[Visit]:
    return scoped(user, Visit.objects.all()).select_related(
        "session", "session__agency", "sector", "location_unit", "petition"
    )


def reception_log(
    user: User, *, start: dt.date, end: dt.date, agency: Agency | None = None
) -> QuerySet[Visit]:
    """The reception log (sổ tiếp công dân, Luật Tiếp công dân Art. 25) for a period."""
    qs = visits_for(user).filter(session__date__gte=start, session__date__lte=end)
    if agency is not None:
        qs = qs.filter(session__agency=agency)
    return qs.order_by(in_vietnamese_order("session__agency__name"), "session__date", "serial")


def may_see_visitor(user: User, visit: Visit) -> bool:
    """A protected visitor (a denouncer) is named only to handlers and leaders of the agency
    competent for the matter: for a visit that became a petition, exactly as
    ``complaints.confidentiality`` decides (so a transfer moves the right with the petition);
    otherwise the agency that received the visitor."""
    if not visit.identity_protected:
        return True
    if visit.petition_id:
        from complaints.confidentiality import may_see_identity

        return may_see_identity(user, visit.petition)
    return user.agency_id == visit.session.agency_id and user.role in {
        User.Role.HANDLER,
        User.Role.LEADER,
    }


def visitor_name(user: User, visit: Visit) -> str:
    """The one accessor of a visitor's name; each showing of a protected name is logged."""
    if not may_see_visitor(user, visit):
        return str(MASK)
    if visit.identity_protected:
        if visit.petition_id:
            from complaints.models import IdentityReveal

            IdentityReveal.objects.create(
                petition_id=visit.petition_id, user=user, purpose="reception log"
            )
            subject = ("complaints.petition", visit.petition_id)
        else:
            VisitorReveal.objects.create(visit=visit, user=user)
            subject = visit
        audit_record(
            kind=AuditRecord.Kind.IDENTITY_REVEAL,
            actor=user,
            subject=subject,
            data={"purpose": "reception log"},
        )
    return visit.full_name


# --- compliance --------------------------------------------------------------------------------


@dataclass
class Period:
    label: str
    start: dt.date
    end: dt.date
    in_person: list[ReceptionSession] = field(default_factory=list)
    delegated: list[ReceptionSession] = field(default_factory=list)

    def is_over(self, today: dt.date) -> bool:
        return self.end < today

    @property
    def missed(self) -> bool:
        """Fewer days in person than required; whether the period is over is the caller's
        question (``ComplianceRow.missed_periods``)."""
        return len({s.date for s in self.in_person}) < self.required_days

    required_days: int = 1


@dataclass
class ComplianceRow:
    agency: Agency
    rule: FrequencyRule
    periods: list[Period]
    today: dt.date = dt.date.max  # periods ending before it are over

    @property
    def required(self) -> int:
        return sum(p.required_days for p in self.periods)

    @property
    def held_in_person(self) -> int:
        return sum(min(len({s.date for s in p.in_person}), p.required_days) for p in self.periods)

    @property
    def delegated(self) -> int:
        return sum(len(p.delegated) for p in self.periods)

    @property
    def missed_periods(self) -> list[Period]:
        """Periods that are over and had fewer days in person than the rule requires; a week
        or month still running is not missed yet."""
        return [p for p in self.periods if p.is_over(self.today) and p.missed]

    @property
    def periods_in_progress(self) -> list[Period]:
        return [p for p in self.periods if not p.is_over(self.today)]

    @property
    def complies(self) -> bool:
        return not self.missed_periods


def _required(rule: FrequencyRule, start: dt.date, end: dt.date) -> int:
    """The rule's days, but never more than the period's working days: a week that is all
    public holiday (Tết) requires no session; a day worked in exchange counts."""
    working = get_calendar().working_days_between(start - dt.timedelta(days=1), end)
    return min(rule.days, working)


def _periods(rule: FrequencyRule, year: int, month: int) -> list[Period]:
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    if rule.period == FrequencyRule.Period.MONTH:
        return [
            Period(
                label=first.strftime("%m/%Y"),
                start=first,
                end=last,
                required_days=_required(rule, first, last),
            )
        ]
    # Weeks belong to the month that holds their Thursday (ISO 8601), so none counts twice.
    monday = first - dt.timedelta(days=first.weekday())
    periods = []
    while monday <= last:
        thursday = monday + dt.timedelta(days=3)
        if thursday.month == month:
            week = thursday.isocalendar().week
            sunday = monday + dt.timedelta(days=6)
            periods.append(
                Period(
                    label=f"W{week:02d}",
                    start=monday,
                    end=sunday,
                    required_days=_required(rule, monday, sunday),
                )
            )
        monday += dt.timedelta(weeks=1)
    return periods


def compliance(
    user: User, *, year: int, month: int, unit: AdministrativeUnit | None = None
) -> list[ComplianceRow]:
    """For each head in scope: the periodic sessions the law requires in the month, against
    those held in person; delegated sessions are counted apart. A bounded number of queries,
    whatever the number of sessions. Agencies that existed during the month count, including
    those merged or abolished since."""
    on = dt.date(year, month, calendar.monthrange(year, month)[1])
    rules: dict[tuple[str, int], FrequencyRule] = {}
    for rule in FrequencyRule.objects.filter(effective_from__lte=on).order_by("effective_from"):
        rules[(rule.agency_kind, rule.unit_level)] = rule
    first_day = dt.date(year, month, 1)
    existed = (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=first_day)
    )
    agencies = scoped(user, Agency.objects.filter(existed)).select_related("unit")
    if unit is not None:
        agencies = agencies.filter(unit__path__startswith=unit.path)
    kinds_levels = Q()
    for kind, level in rules:
        kinds_levels |= Q(kind=kind, unit__level=level)
    agencies = (
        list(
            agencies.filter(kinds_levels).order_by(
                "unit__level", in_vietnamese_order("unit__name"), in_vietnamese_order("name")
            )
        )
        if rules
        else []
    )
    periods = {key: _periods(rule, year, month) for key, rule in rules.items()}  # once a rule
    rows = [
        ComplianceRow(
            agency=a,
            rule=rules[(a.kind, a.unit.level)],
            periods=[
                replace(p, in_person=[], delegated=[]) for p in periods[(a.kind, a.unit.level)]
            ],
            today=timezone.localdate(),
        )
        for a in agencies
    ]
    if not rows:
        return []
    start = min(p.start for r in rows for p in r.periods)
    end = max(p.end for r in rows for p in r.periods)
    by_agency: dict[int, list[ReceptionSession]] = defaultdict(list)
    for s in ReceptionSession.objects.filter(
        agency__in=[r.agency for r in rows],
        kind=SessionKind.PERIODIC,
        date__gte=start,
        date__lte=end,
    ).order_by("date"):
        by_agency[s.agency_id].append(s)
    for row in rows:
        for session in by_agency[row.agency.pk]:
            for period in row.periods:
                if period.start <= session.date <= period.end:
                    (
                        period.in_person
                        if session.presider_type == PresiderType.HEAD
                        else period.delegated
                    ).append(session)
    return rows


# --- pages -------------------------------------------------------------------------------------


def public_calendar_of_place(
    *, start: dt.date, end: dt.date, unit: AdministrativeUnit | None = None
) -> QuerySet[Schedule]:
    """The public calendar for the whole province (``None``), for a commune or ward, or, for
    the province unit itself, for the provincial agencies only: "the province" on the public
    filter means its own agencies, not every commune in it."""
    qs = public_calendar(start=start, end=end, unit=unit)
    if unit is not None and unit.level == AdministrativeUnit.Level.PROVINCE:
        qs = qs.filter(agency__unit=unit)
    return qs


def agency_calendar(user: User, *, start: dt.date, end: dt.date) -> QuerySet[Schedule]:
    """The calendar entries of ``user``'s own agency, published or not, cancelled or not, with
    the session logged for each (if any), for the staff page."""
    if not user.agency_id:
        return Schedule.objects.none()
    return (
        scoped(user, Schedule.objects.filter(agency_id=user.agency_id))
        .filter(date__gte=start, date__lte=end)
        .select_related("agency", "session")
        .order_by("date", "start_time")
    )


@dataclass(frozen=True)
class VisitorView:
    """A visitor as ``user`` may see them: a protected visitor's address, ID number, phone and
    co-representatives identify them as surely as their name, so all are masked together."""

    name: str
    address: str = ""
    id_number: str = ""
    phone: str = ""
    representatives: list[str] = field(default_factory=list)
    masked: bool = False


def visitor_for(user: User, visit: Visit, *, export: bool = False) -> VisitorView:
    """``export``: a spreadsheet travels beyond the screen it was made on, so a protected
    visitor is masked in it whoever downloads it (as ``complaints.confidentiality`` does)."""
    if export and visit.identity_protected:
        return VisitorView(name=str(MASK), masked=True)
    if not may_see_visitor(user, visit):
        return VisitorView(name=visitor_name(user, visit), masked=True)
    return VisitorView(
        name=visitor_name(user, visit),
        address=visit.address,
        id_number=visit.id_number,
        phone=visit.phone,
        representatives=[n for n in visit.representatives.splitlines() if n.strip()],
    )


def petition_cases(user: User, visits: list[Visit]) -> dict[int, int]:
    """For the visits that produced a petition: petition id → the first of its items that
    ``user`` may see (its case page), in one query; a petition out of scope has no entry."""
    from complaints.models import PetitionItem

    ids = {v.petition_id for v in visits if v.petition_id}
    if not ids:
        return {}
    cases: dict[int, int] = {}
    rows = scoped(user, PetitionItem.objects.filter(petition_id__in=ids)).order_by(
        "petition_id", "number"
    )
    for petition_id, item_id in rows.values_list("petition_id", "pk"):
        cases.setdefault(petition_id, item_id)
    return cases
