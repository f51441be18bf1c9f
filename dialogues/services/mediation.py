"""Grassroots mediation (hòa giải ở cơ sở, Luật Hòa giải ở cơ sở): the village teams, their
mediators and cases; a petition about a civil dispute may go to mediation first."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import services as petitions
from complaints.models import PetitionItem
from dialogues import events, lifecycles
from dialogues.models import MediationCase, MediationTeam, Mediator
from dialogues.services.common import Kind, _check_actor, _locked_for, _not_future, deadline_for
from gov.authority import Act
from gov.errors import Refused
from gov.models import AdministrativeUnit, Agency, TimeLimitRule, User


def commune_agency(unit: AdministrativeUnit) -> Agency:
    """The People's Committee that keeps mediation in ``unit``'s commune (its owner)."""
    commune = unit.parent if unit.level == AdministrativeUnit.Level.VILLAGE else unit
    agency = Agency.objects.filter(
        unit=commune, kind=Agency.Kind.PEOPLES_COMMITTEE, valid_to__isnull=True
    ).first()
    if agency is None:
        raise Refused(_("No People's Committee governs %(unit)s.") % {"unit": unit})
    return agency


@transaction.atomic
def team_create(*, unit: AdministrativeUnit, name: str, by: User) -> MediationTeam:
    """A mediation team for a village or residential group (one per village, Art. 12)."""
    if unit.level != AdministrativeUnit.Level.VILLAGE:
        raise Refused(_("A mediation team belongs to a village or residential group."))
    _check_actor(by, Act.MEDIATION, commune_agency(unit))
    if MediationTeam.objects.filter(unit=unit, is_active=True).exists():
        raise Refused(_("%(unit)s already has a mediation team.") % {"unit": unit})
    return MediationTeam.objects.create(unit=unit, name=name)


@transaction.atomic
def mediator_add(
    *,
    team: MediationTeam,
    by: User,
    full_name: str,
    gender: str,
    is_ethnic_minority: bool = False,
    ethnicity: str = "",
    is_leader: bool = False,
) -> Mediator:
    _check_actor(by, Act.MEDIATION, commune_agency(team.unit))
    if is_leader:
        team.members.filter(is_leader=True).update(is_leader=False)
    return Mediator.objects.create(
        team=team,
        full_name=full_name,
        gender=gender,
        is_ethnic_minority=is_ethnic_minority,
        ethnicity=ethnicity,
        is_leader=is_leader,
    )


@transaction.atomic
def mediation_open(
    *,
    team: MediationTeam,
    by: User,
    parties: str,
    dispute: str,
    mediator: Mediator,
    assigned_on: dt.date,
    source_item: PetitionItem | None = None,
) -> MediationCase:
    """Open a mediation case; it is to start within 3 days of assignment (Art. 20, rules table).
    A petition about a civil dispute can be sent here first; the petition waits for the outcome."""
    _check_actor(by, Act.MEDIATION, commune_agency(team.unit))
    if mediator.team_id != team.pk or not mediator.is_active:
        raise Refused(_("The mediator must be an active member of the team."))
    _not_future(assigned_on, _("The assignment date"))
    if not parties.strip() or not dispute.strip():
        raise Refused(_("Name the parties and describe the dispute."))
    due = deadline_for(
        kind=TimeLimitRule.Kind.MEDIATION, stage=TimeLimitRule.Stage.START, start=assigned_on
    ).due
    case = MediationCase.objects.create(
        team=team,
        parties=parties,
        dispute=dispute,
        mediator=mediator,
        assigned_on=assigned_on,
        start_due_on=due,
        source_item=source_item,
        recorded_by=by,
    )
    events.mediation_opened(case, actor=by)
    if source_item is not None:
        petitions.item_send_to_mediation(
            item=source_item, by=by, team_name=team.name, case_id=case.pk
        )
    return case


def _locked_case(case: MediationCase, by: User) -> MediationCase:
    return _locked_for(
        case,
        by,
        Act.MEDIATION,
        owner=lambda c: commune_agency(c.team.unit),
        related=("team__unit", "source_item"),
    )


@transaction.atomic
def mediation_start(*, case: MediationCase, by: User, started_on: dt.date) -> MediationCase:
    case = _locked_case(case, by)
    lifecycles.MEDIATION.allow(case.outcome, Kind.STARTED, refused=Refused)
    _not_future(started_on, _("The start date"))
    if started_on < case.assigned_on:
        raise Refused(_("Mediation cannot start before it was assigned."))
    case.started_on = started_on
    case.save(update_fields=["started_on"])
    events.mediation_started(case, actor=by)
    return case


@transaction.atomic
def mediation_conclude(
    *, case: MediationCase, by: User, outcome: str, outcome_on: dt.date, agreement_terms: str = ""
) -> MediationCase:
    """Successful (with the agreement's terms), unsuccessful or ended (Art. 23–27). An
    unsuccessful mediation of a petition's dispute sends the petition on its way again."""
    case = _locked_case(case, by)
    if outcome not in MediationCase.Outcome.values or outcome == MediationCase.Outcome.PENDING:
        raise Refused(_("Choose the outcome."))
    lifecycles.MEDIATION.check_move(case.outcome, outcome, refused=Refused)
    if outcome == MediationCase.Outcome.SUCCESSFUL and not agreement_terms.strip():
        raise Refused(_("A successful mediation records the terms of the agreement."))
    _not_future(outcome_on, _("The outcome date"))
    if outcome_on < case.assigned_on:
        raise Refused(_("The outcome cannot precede the assignment."))
    lifecycles.MEDIATION.move(case, outcome, field_name="outcome", refused=Refused)
    case.outcome_on, case.agreement_terms = outcome_on, agreement_terms
    case.started_on = case.started_on or outcome_on
    case.escalated = case.source_item_id is not None and outcome != MediationCase.Outcome.SUCCESSFUL
    case.save(update_fields=["outcome", "outcome_on", "agreement_terms", "started_on", "escalated"])
    events.mediation_concluded(case, actor=by)
    if case.source_item is not None:
        petitions.item_mediation_outcome(
            item=case.source_item,
            by=by,
            settled=outcome == MediationCase.Outcome.SUCCESSFUL,
            case_id=case.pk,
        )
    return case


@transaction.atomic
def mediation_follow_up(
    *, case: MediationCase, by: User, note: str, agreement_kept: bool | None
) -> MediationCase:
    """The mediator follows up on the agreement (Art. 27)."""
    case = _locked_case(case, by)
    lifecycles.MEDIATION.allow(case.outcome, Kind.FOLLOWED_UP, refused=Refused)
    if not note.strip():
        raise Refused(_("Write what the follow-up found."))
    stamp = timezone.localdate().strftime("%d/%m/%Y")
    case.follow_up = f"{case.follow_up}\n{stamp}: {note}".strip()
    case.agreement_kept = agreement_kept
    case.save(update_fields=["follow_up", "agreement_kept"])
    events.mediation_followed_up(case, actor=by, note=note)
    return case
