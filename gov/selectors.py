"""Reads of the shared reference data: legal time limits, units, agencies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from gov.db import in_vietnamese_order

from . import memo
from .models import AdministrativeUnit, Agency, TimeLimitRule, User
from .scoping import scope_of, scope_root, scoped
from .text import fold_diacritics
from .workdays import WorkingCalendar, get_calendar


class NoTimeLimitRule(LookupError):
    """No rule in the table covers this kind, stage and date: an administrator must add one."""


def time_limit_rule(
    *, kind: str, stage: str, variant: str = TimeLimitRule.Variant.NORMAL, on: dt.date
) -> TimeLimitRule:
    """The rule in force on ``on`` (the case's start date) for this kind, stage and variant.

    A variant the law does not distinguish for a stage (acceptance has no "remote" limit, say)
    falls back to the normal rule; a kind with no rule of its own falls back to the rule for any
    petition (processing is 10 working days for every kind).
    """
    kinds = (
        [kind]
        if kind == TimeLimitRule.Kind.ANY_PETITION
        else [kind, TimeLimitRule.Kind.ANY_PETITION]
    )
    variants = (
        [variant]
        if variant == TimeLimitRule.Variant.NORMAL
        else [variant, TimeLimitRule.Variant.NORMAL]
    )
    candidates = memo.remembered(
        ("time-limit-rules", kind, stage, variant, on),
        lambda: list(
            TimeLimitRule.objects.filter(
                kind__in=kinds, stage=stage, variant__in=variants, effective_from__lte=on
            ).order_by("-effective_from")
        ),
    )
    for k in kinds:
        for v in variants:
            for rule in candidates:  # newest first
                if rule.kind == k and rule.variant == v:
                    return rule
    raise NoTimeLimitRule(f"No time limit rule for {kind}/{stage}/{variant} on {on.isoformat()}")


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    rule: TimeLimitRule


def deadline_for(
    *,
    kind: str,
    stage: str,
    start: dt.date,
    variant: str = TimeLimitRule.Variant.NORMAL,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """The due date of a period that starts after ``start``, under the rule in force then."""
    rule = time_limit_rule(kind=kind, stage=stage, variant=variant, on=start)
    cal = calendar or get_calendar()
    due = cal.add_days(start, rule.days, working=rule.day_type == TimeLimitRule.DayType.WORKING)
    return Deadline(due=due, rule=rule)


def province() -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(level=AdministrativeUnit.Level.PROVINCE, parent=None)


def current_communes() -> QuerySet[AdministrativeUnit]:
    """Today's communes and wards, with their former district and the units they replaced."""
    return (
        AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.COMMUNE, valid_to__isnull=True
        )
        .select_related("former_district")
        .prefetch_related(
            Prefetch(
                "predecessors",
                queryset=AdministrativeUnit.objects.order_by(in_vietnamese_order("name")),
            )
        )
        .order_by(in_vietnamese_order("former_district__name"), in_vietnamese_order("name"))
    )


def unit_search(*, query: str) -> QuerySet[AdministrativeUnit]:
    """Communes and districts, current and former, whose name contains ``query``, with or
    without diacritics ("ta mung" finds "Tà Mung")."""
    return (
        AdministrativeUnit.objects.filter(
            name_folded__contains=fold_diacritics(query.strip()), level__lte=3
        )
        .select_related("parent", "successor", "former_district")
        .order_by("level", in_vietnamese_order("name"))
    )


def agencies_of_unit(*, unit: AdministrativeUnit) -> QuerySet[Agency]:
    return unit.agencies.filter(valid_to__isnull=True).order_by("kind", in_vietnamese_order("name"))


def time_limit_rules_in_force(*, on: dt.date) -> list[TimeLimitRule]:
    """For each kind, stage and variant, the rule in force on ``on`` (the table is small)."""
    latest: dict[tuple[str, str, str], TimeLimitRule] = {}
    for rule in TimeLimitRule.objects.filter(effective_from__lte=on).order_by("effective_from"):
        latest[(rule.kind, rule.stage, rule.variant)] = rule
    order = {k: i for i, k in enumerate(TimeLimitRule.Kind.values)}
    stage_order = {s: i for i, s in enumerate(TimeLimitRule.Stage.values)}
    variant_order = {v: i for i, v in enumerate(TimeLimitRule.Variant.values)}
    return sorted(
        latest.values(),
        key=lambda r: (order[r.kind], stage_order[r.stage], variant_order[r.variant]),
    )


def staff_overview(*, user: User) -> dict[str, object]:
    """What a staff member's home page shows: the units and agencies in their scope."""
    from .audit import may_read_log

    units = scoped(user, AdministrativeUnit.objects.all())
    return {
        "reads_audit_log": may_read_log(user),
        "notifications": user.notifications.filter(read_at__isnull=True).order_by("-created_at")[
            :20
        ],
        "unread_count": user.notifications.filter(read_at__isnull=True).count(),
        "root": scope_root(user) if user.agency_id or user.is_superuser else None,
        "need_to_know": bool(user.agency_id) and scope_of(user).agency_id is not None,
        "communes": units.filter(
            level=AdministrativeUnit.Level.COMMUNE, valid_to__isnull=True
        ).order_by(in_vietnamese_order("name")),
        "agencies": scoped(user, Agency.objects.filter(valid_to__isnull=True))
        .select_related("unit")
        .order_by("unit__level", "kind", in_vietnamese_order("name")),
    }


def agency_staff(*, agency: Agency, viewer: User) -> list[User]:
    """An agency's active staff, each with ``has_second_factor`` and ``can_reset`` (whether
    ``viewer`` may reset it): one query for any number of them."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from . import second_factor

    staff = list(
        agency.staff.filter(is_active=True)
        .select_related("agency__unit")
        .annotate(
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .order_by("role", in_vietnamese_order("last_name"))
    )
    for member in staff:
        member.can_reset = member.has_second_factor and second_factor.can_reset(
            by=viewer, user=member
        )
    return staff
