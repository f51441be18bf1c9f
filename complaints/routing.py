"""Tiered routing: which agency is competent for an item, and whether the petition skipped a
level (đơn vượt cấp).

- Complaints follow the issuer of the contested decision: the issuer's head decides the first
  complaint, its superior the second (Luật Khiếu nại Art. 17–23).
- Denunciations go to the agency that manages the person denounced, or to its superior when
  that person heads it (Luật Tố cáo Art. 12–15).
- Otherwise the routing table (sector × level of the place × kind) decides.
- A petition is skip-level when it was addressed above the competent level, or when it is a
  second complaint lodged before the first was decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from gov import memo
from gov.models import AdministrativeUnit, Agency, PetitionKind, Sector

from .models import PetitionItem, RoutingRule, Status


@dataclass(frozen=True)
class Route:
    agency: Agency | None  # None: outside the administration, guide the citizen
    reason: str


def _current_agency(*, unit: AdministrativeUnit, kind: str) -> Agency | None:
    """The current agency of this kind in ``unit`` (the oldest, if several)."""
    return memo.remembered("current-agencies", _current_agencies).get((unit.pk, kind))


def _current_agencies() -> dict[tuple[int, str], Agency]:
    """Every current agency by unit and kind, read at once: a few hundred rows."""
    agencies: dict[tuple[int, str], Agency] = {}
    for agency in Agency.objects.filter(valid_to__isnull=True).order_by("id"):
        agencies.setdefault((agency.unit_id, agency.kind), agency)
    return agencies


def _province(unit: AdministrativeUnit) -> AdministrativeUnit:
    while unit.parent_id:
        unit = unit.parent
    return unit


def _successor(agency: Agency) -> Agency:
    seen = set()
    while agency.successor_id and agency.pk not in seen:
        seen.add(agency.pk)
        agency = agency.successor
    return agency


def route_by_table(*, kind: str, sector: Sector, unit: AdministrativeUnit) -> Route:
    rules = memo.remembered(
        ("routing-rules", kind, sector.pk, unit.level),
        lambda: list(
            RoutingRule.objects.filter(
                Q(sector=sector) | Q(sector__isnull=True),
                Q(kind=kind) | Q(kind=""),
                unit_level=unit.level,
            ).select_related("agency")
        ),
    )
    best = sorted(
        rules, key=lambda r: (-(r.sector_id is not None) - (r.kind != ""), r.priority, r.pk)
    )
    for rule in best:
        if rule.target == RoutingRule.Target.GUIDE:
            return Route(None, rule.note or _("Outside the competence of the administration."))
        if rule.target == RoutingRule.Target.FIXED_AGENCY and rule.agency:
            return Route(_successor(rule.agency), rule.note)
        at = unit if rule.target == RoutingRule.Target.UNIT_AGENCY else _province(unit)
        agency = _current_agency(unit=at, kind=rule.agency_kind)
        if agency:
            return Route(agency, rule.note)
    # No rule: the People's Committee of the place, the body of general competence.
    fallback = _current_agency(unit=unit, kind=Agency.Kind.PEOPLES_COMMITTEE) or _current_agency(
        unit=_province(unit), kind=Agency.Kind.PEOPLES_COMMITTEE
    )
    return Route(fallback, _("No routing rule: the People's Committee of the place."))


def competent_route(item: PetitionItem, *, unit: AdministrativeUnit) -> Route:
    """The competent body for ``item`` about a place in ``unit`` (already the current unit)."""
    if unit.level == AdministrativeUnit.Level.VILLAGE and unit.parent_id:
        unit = unit.parent  # villages have no agencies: their commune is the first level
    if item.kind == PetitionKind.COMPLAINT and item.issuer_agency_id:
        issuer = _successor(item.issuer_agency)
        if item.complaint_round <= 1:
            return Route(issuer, _("First complaint: decided by the head of the issuing agency."))
        if issuer.parent_id:
            return Route(
                _successor(issuer.parent),
                _("Second complaint: decided by the superior of the issuer."),
            )
        return Route(
            None, _("Second complaint against the province: lodged with the ministry or a court.")
        )
    if item.kind == PetitionKind.DENUNCIATION and item.denounced_agency_id:
        agency = _successor(item.denounced_agency)
        if item.denounced_is_head and agency.parent_id:
            return Route(
                _successor(agency.parent),
                _("The person denounced heads the agency: its superior is competent."),
            )
        return Route(
            agency, _("Decided by the head of the agency that manages the person denounced.")
        )
    return route_by_table(kind=item.kind, sector=item.sector, unit=unit)


def skip_level_reason(item: PetitionItem, *, addressed_to: Agency, route: Route) -> str:
    """Why ``item`` is skip-level, or "" when it is not."""
    if (
        item.kind == PetitionKind.COMPLAINT
        and item.complaint_round >= 2
        and item.first_round_item_id
    ):
        first = item.first_round_item
        lodged_on = item.started_on or item.petition.received_on
        if first.status not in {Status.CONCLUDED, Status.CLOSED} and not (
            first.due_on and lodged_on > first.due_on
        ):
            return _(
                "Second complaint lodged before the first was decided or its time limit passed."
            )
    if route.agency is None or route.agency.pk == addressed_to.pk:
        return ""
    if addressed_to.unit.level < route.agency.unit.level:
        return _("Addressed to %(high)s, but %(competent)s is competent.") % {
            "high": addressed_to.name,
            "competent": route.agency.name,
        }
    return ""
