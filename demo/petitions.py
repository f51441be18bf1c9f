"""Demo petitions for ``make run``: about thirty petitions about places in Lai Châu, received
and handled through the service functions by the demo accounts of ``demo.accounts``.

Together they show every status, an overdue list (petitions recorded at the counter weeks
ago), skip-level petitions, a protected denunciation, a group of seven with two
representatives, a cluster of five similar land petitions in Mường Kim that raises a hotspot,
and a second complaint. Demo petitions carry ``DEMO_MARK`` at the start of their address; when
one exists the seed does nothing, so running it twice creates nothing new. Dates are counted
back from today, so the lists look alive whenever the seed runs. Never for production: the
``seed_demo`` command refuses there.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from complaints.models import Petition, PetitionItem
from complaints.services import (
    ItemData,
    Submission,
    SubmitterData,
    item_accept,
    item_close,
    item_conclude,
    item_confirm_contact,
    item_extend,
    item_file,
    item_guide,
    item_link_duplicate,
    item_start_processing,
    item_start_verification,
    item_transfer,
    item_withdraw,
    petition_submit,
)
from demo.common import DEMO_MARK, demo_user, working_days_ago
from demo.petition_data import DEMO_PETITIONS
from demo.petition_specs import DemoPetition, Step
from gov.models import AdministrativeUnit, Agency, Sector


def _ago(days: int) -> dt.date | None:
    """The last working day ``days`` days back; ``None`` (today) for 0."""
    return working_days_ago(days) if days else None


def _agency(code: str) -> Agency | None:
    return Agency.objects.get(code=code) if code else None


def _submission(spec: DemoPetition, made: dict[str, PetitionItem]) -> Submission:
    group = spec.group_size > 1
    return Submission(
        channel=spec.channel,
        receiving_agency=Agency.objects.get(code=spec.to),
        location_unit=AdministrativeUnit.objects.get(code=spec.place),
        content=spec.content,
        items=[
            ItemData(
                kind=spec.kind,
                sector=Sector.objects.get(code=spec.sector),
                summary=spec.summary,
                contested_decision=spec.decision,
                issuer_agency=_agency(spec.issuer),
                first_round_item=made[spec.first_round] if spec.first_round else None,
                denounced_person=spec.denounced,
                denounced_agency=_agency(spec.denounced_agency),
                is_complex=spec.complex,
            )
        ],
        submitters=[
            SubmitterData(
                full_name=p.name,
                phone=p.phone,
                address=spec.address,
                is_representative=p.representative,
            )
            for p in spec.people
        ],
        received_on=_ago(spec.days_ago),
        submitter_type=Petition.SubmitterType.GROUP if group else Petition.SubmitterType.PERSON,
        group_size=spec.group_size,
        is_anonymous=spec.anonymous,
        is_signed=not spec.anonymous,
        location_address=f"{DEMO_MARK} {spec.address}",
    )


def _apply(item: PetitionItem, step: Step, made: dict[str, PetitionItem]) -> PetitionItem:
    """Take one step; returns the item to continue with (a transfer's new item)."""
    by = demo_user(step.by)
    match step.action:
        case "process":
            return item_start_processing(item=item, by=by)
        case "accept":
            handler = demo_user(step.handler)
            return item_accept(item=item, by=by, handler=handler, accepted_on=_ago(step.days_ago))
        case "verify":
            return item_start_verification(item=item, by=by)
        case "extend":
            return item_extend(item=item, by=by, reason=step.text)
        case "conclude":
            return item_conclude(
                item=item,
                by=by,
                conclusion=step.text,
                decision_number=step.number,
                concluded_on=_ago(step.days_ago),
            )
        case "close":
            return item_close(item=item, by=by, note=step.text)
        case "transfer":
            target = Agency.objects.get(code=step.target)
            return item_transfer(item=item, by=by, target=target, note=step.text)
        case "guide":
            item_guide(item=item, by=by, guidance=step.text)
            return item
        case "file":
            return item_file(item=item, by=by, ground=step.ground, note=step.text)
        case "duplicate":
            return item_link_duplicate(item=item, by=by, original=made[step.original])
        case "withdraw":
            return item_withdraw(item=item, by=by, note=step.text)
        case "contact":
            return item_confirm_contact(item=item, by=by, note=step.text)
    raise ValueError(f"Unknown demo step {step.action!r}")


@transaction.atomic
def demo_seed() -> list[Petition]:
    """Create the demo petitions, once; returns those created (none when they exist)."""
    if Petition.objects.filter(location_address__startswith=DEMO_MARK).exists():
        return []
    made: dict[str, PetitionItem] = {}
    petitions = []
    for spec in DEMO_PETITIONS:
        recorder = demo_user(spec.recorded_by) if spec.recorded_by else None
        petition = petition_submit(data=_submission(spec, made), by=recorder).petition
        item = petition.items.get()
        for step in spec.steps:
            item = _apply(item, step, made)
        made[spec.key] = item
        petitions.append(petition)
    return petitions
