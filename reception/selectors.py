"""Reads of citizen reception: the public calendar, the reception log and compliance."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from complaints.confidentiality import MASK
from gov.models import AdministrativeUnit, Agency, User
from gov.scoping import scoped

from .models import FrequencyRule, PresiderType, ReceptionSession, Schedule, SessionKind, Visit


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
    return qs.order_by("session__agency__name", "session__date", "serial")


def may_see_visitor(user: User, visit: Visit) -> bool:
    """A protected visitor (a denouncer) is named only to handlers and leaders of the agency
    that received them, as in ``complaints.confidentiality``."""
    if not visit.identity_protected:
        return True
    return user.agency_id == visit.session.agency_id and user.role in {
        User.Role.HANDLER,
        User.Role.LEADER,
    }


def visitor_name(user: User, visit: Visit) -> str:
    return visit.full_name if may_see_visitor(user, visit) else str(MASK)


# --- compliance --------------------------------------------------------------------------------


@dataclass
class Period:
    label: str
    start: dt.date
    end: dt.date
    in_person: list[ReceptionSession] = field(default_factory=list)
    delegated: list[ReceptionSession] = field(default_factory=list)

    @property
    def missed(self) -> bool:
        return not self.in_person


@dataclass
class ComplianceRow:
    agency: Agency
    rule: FrequencyRule
    periods: list[Period]

    @property
    def required(self) -> int:
        return self.rule.days * len(self.periods)

    @property
    def held_in_person(self) -> int:
        return sum(min(len({s.date for s in p.in_person}), self.rule.days) for p in self.periods)

    @property
    def delegated(self) -> int:
        return sum(len(p.delegated) for p in self.periods)

    @property
    def missed_periods(self) -> list[Period]:
        return [p for p in self.periods if len({s.date for s in p.in_person}) < self.rule.days]

    @property
    def complies(self) -> bool:
        return not self.missed_periods


def _periods(rule: FrequencyRule, year: int, month: int) -> list[Period]:
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    if rule.period == FrequencyRule.Period.MONTH:
        return [Period(label=first.strftime("%m/%Y"), start=first, end=last)]
    # Weeks belong to the month that holds their Thursday (ISO 8601), so none counts twice.
    monday = first - dt.timedelta(days=first.weekday())
    periods = []
    while monday <= last:
        thursday = monday + dt.timedelta(days=3)
        if thursday.month == month:
            week = thursday.isocalendar().week
            periods.append(
                Period(label=f"W{week:02d}", start=monday, end=monday + dt.timedelta(days=6))
            )
        monday += dt.timedelta(weeks=1)
    return periods


def compliance(
    user: User, *, year: int, month: int, unit: AdministrativeUnit | None = None
) -> list[ComplianceRow]:
    """For each head in scope: the periodic sessions the law requires in the month, against
    those held in person; delegated sessions are counted apart. Two queries in all."""
    on = dt.date(year, month, calendar.monthrange(year, month)[1])
    rules: dict[tuple[str, int], FrequencyRule] = {}
    for rule in FrequencyRule.objects.filter(effective_from__lte=on).order_by("effective_from"):
        rules[(rule.agency_kind, rule.unit_level)] = rule
    agencies = scoped(user, Agency.objects.filter(valid_to__isnull=True)).select_related("unit")
    if unit is not None:
        agencies = agencies.filter(unit__path__startswith=unit.path)
    kinds_levels = Q()
    for kind, level in rules:
        kinds_levels |= Q(kind=kind, unit__level=level)
    agencies = (
        list(agencies.filter(kinds_levels).order_by("unit__level", "unit__name", "name"))
        if rules
        else []
    )
    rows = [
        ComplianceRow(
            agency=a,
            rule=rules[(a.kind, a.unit.level)],
            periods=_periods(rules[(a.kind, a.unit.level)], year, month),
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
