"""Processing (xử lý đơn) by the agency holding an item: start, classify, accept for resolution
(thụ lý), transfer to the competent agency, guide the citizen, file, link a duplicate, name the
handler. Each locks the item, asks gov.authority, moves it along the lifecycle table and writes
an event."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import deadlines, events
from complaints.confidentiality import identity_for_letter
from complaints.models import ItemDeadline, Letter, PetitionItem, Status
from complaints.services.common import (
    Kind,
    _close_out,
    _index_text,
    _locked_for,
    _may_handle,
    _move,
    _notify_citizen,
    _protect_identity,
    _route,
    _save,
)
from complaints.services.intake import ItemData, _item_create
from gov.authority import Act
from gov.errors import Refused
from gov.models import Agency, Sector, User


@transaction.atomic
def item_start_processing(*, item: PetitionItem, by: User) -> PetitionItem:
    item = _locked_for(item, by, Act.PETITION_PROCESS)
    before = _move(item, Status.PROCESSING)
    _save(item, "status")
    events.processing_started(item, actor=by, from_status=before)
    return item


@transaction.atomic
def item_classify(
    *,
    item: PetitionItem,
    by: User,
    kind: str,
    sector: Sector,
    is_complex: bool,
    summary: str | None = None,
) -> PetitionItem:
    """Classify (phân loại) an item during processing; a new kind re-routes it and recomputes
    its intake deadline from the date received."""
    item = _locked_for(item, by, Act.PETITION_PROCESS)
    if item.status not in {Status.RECEIVED, Status.PROCESSING}:
        raise Refused(_("Only a petition being processed can be classified."))
    before = {"kind": item.kind, "sector": item.sector_id, "is_complex": item.is_complex}
    item.kind, item.sector, item.is_complex = kind, sector, is_complex
    if summary is not None:
        item.summary = summary
    if kind == Kind.DENUNCIATION:
        _protect_identity(item.petition)
    _route(item, addressed_to=item.agency)
    if before["kind"] != kind or before["is_complex"] != is_complex:
        stage, deadline = deadlines.intake_deadline(item, received_on=item.started_on)
        deadlines.deadline_set(
            item,
            stage=stage,
            start_on=item.started_on,
            deadline=deadline,
            reason=ItemDeadline.Reason.RECLASSIFIED,
            by=by,
        )
    _index_text(item)
    item.save()
    events.classified(
        item,
        actor=by,
        before=before,
        after={"kind": kind, "sector": sector.pk, "is_complex": is_complex},
    )
    return item


@transaction.atomic
def item_accept(
    *, item: PetitionItem, by: User, handler: User, accepted_on: dt.date | None = None
) -> PetitionItem:
    """Accept the item for resolution (thụ lý) and name its handler."""
    item = _locked_for(item, by, Act.PETITION_PROCESS)
    accepted_on = accepted_on or timezone.localdate()
    if not _may_handle(handler, item):
        raise Refused(
            _("The handler must be an active handler or leader of %(agency)s.")
            % {"agency": item.agency.name}
        )
    if accepted_on < item.petition.received_on or accepted_on > timezone.localdate():
        raise Refused(_("The acceptance date must lie between the date received and today."))
    before = _move(item, Status.ACCEPTED)
    item.handler, item.accepted_on, item.started_on = handler, accepted_on, accepted_on
    deadline = deadlines.resolution_deadline(item, accepted_on=accepted_on)
    deadlines.deadline_set(
        item,
        stage=deadlines.resolution_stage(item),
        start_on=accepted_on,
        deadline=deadline,
        reason=ItemDeadline.Reason.STAGE,
        by=by,
    )
    _save(item, "status", "handler", "accepted_on", "started_on", "due_stage", "due_on", "due_rule")
    events.accepted(item, actor=by, from_status=before, due=deadline.due, handler=handler)
    return item


def _letter(
    item: PetitionItem, *, kind: str, by: User, addressee: str, template: str, context: dict
) -> Letter:
    """Write a numbered letter; numbers run per agency, kind and year (Số: 3/PC-UBND). The
    agency row is locked so two letters written at once never share a number."""
    Agency.objects.select_for_update().filter(pk=item.agency_id).first()
    year = timezone.localdate().year
    seq = (
        Letter.objects.filter(agency_id=item.agency_id, kind=kind, year=year).aggregate(
            n=Max("seq")
        )["n"]
        or 0
    ) + 1
    prefix = "PC" if kind == Letter.Kind.TRANSFER else "HD"
    number = f"{seq}/{prefix}-{item.agency.short_name or item.agency.code}"
    body = render_to_string(
        template,
        {
            "item": item,
            "petition": item.petition,
            "number": number,
            "today": timezone.localdate(),
            "submitter": identity_for_letter(item.petition),
            "by": by,
            **context,
        },
    )
    return Letter.objects.create(
        petition=item.petition,
        item=item,
        kind=kind,
        agency_id=item.agency_id,
        year=year,
        seq=seq,
        number=number,
        addressee=addressee[:200],
        body=body,
        created_by=by,
    )


@transaction.atomic
def item_transfer(*, item: PetitionItem, by: User, target: Agency, note: str = "") -> PetitionItem:
    """Transfer the item to the competent agency (chuyển đơn): a transfer letter is written, the
    target receives a new item with its own processing deadline, and the citizen is told."""
    item = _locked_for(item, by, Act.PETITION_PROCESS)
    if target.pk == item.agency_id:
        raise Refused(_("The petition is already with %(agency)s.") % {"agency": target.name})
    if target.valid_to is not None:
        raise Refused(_("%(agency)s no longer exists.") % {"agency": target.name})
    before = _move(item, Status.TRANSFERRED)
    item.due_on, item.referred_to = None, target  # the target reads what it received
    _save(item, "status", "due_on", "referred_to")
    letter = _letter(
        item,
        kind=Letter.Kind.TRANSFER,
        by=by,
        addressee=target.name,
        template="complaints/letters/transfer.txt",
        context={"target": target, "note": note},
    )
    events.transferred_out(
        item, actor=by, from_status=before, target=target, letter=letter, note=note
    )
    number = (item.petition.items.aggregate(n=Max("number"))["n"] or 0) + 1
    data = ItemData(
        kind=item.kind,
        sector=item.sector,
        summary=item.summary,
        contested_decision=item.contested_decision,
        issuer_agency=item.issuer_agency,
        issuer_text=item.issuer_text,
        decision_date=item.decision_date,
        first_round_item=item.first_round_item,
        denounced_person=item.denounced_person,
        denounced_agency=item.denounced_agency,
        denounced_is_head=item.denounced_is_head,
        is_complex=item.is_complex,
    )
    new = _item_create(
        item.petition,
        number=number,
        data=data,
        agency=target,
        received_on=timezone.localdate(),
        by=by,
        transferred_from=item,
        referred_by=item.agency,
    )
    _notify_citizen(item)
    return new


@transaction.atomic
def item_guide(*, item: PetitionItem, by: User, guidance: str) -> Letter:
    """Guide the citizen to the competent body (hướng dẫn), once, with a guidance letter."""
    item = _locked_for(item, by, Act.PETITION_PROCESS)
    if not guidance.strip():
        raise Refused(_("Write the guidance for the citizen."))
    before = _close_out(item, Status.GUIDED)
    letter = _letter(
        item,
        kind=Letter.Kind.GUIDANCE,
        by=by,
        addressee=identity_for_letter(item.petition),
        template="complaints/letters/guidance.txt",
        context={"guidance": guidance},
    )
    events.guided(item, actor=by, from_status=before, guidance=guidance, letter=letter)
    _notify_citizen(item)
    return letter


@transaction.atomic
def item_file(*, item: PetitionItem, by: User, ground: str, note: str = "") -> PetitionItem:
    """File the item without handling it (lưu đơn), on a legal ground."""
    item = _locked_for(item, by, Act.PETITION_PROCESS)
    if ground not in PetitionItem.FilingGround.values:
        raise Refused(_("Choose the legal ground for filing."))
    if ground == PetitionItem.FilingGround.OTHER and not note.strip():
        raise Refused(_("Explain the other legal ground."))
    before = _close_out(item, Status.FILED, filing_ground=ground)
    events.filed(item, actor=by, from_status=before, note=note)
    return item


@transaction.atomic
def item_link_duplicate(*, item: PetitionItem, by: User, original: PetitionItem) -> PetitionItem:
    """Link the item as a duplicate (đơn trùng) of one being handled, and file it."""
    item = _locked_for(item, by, Act.PETITION_PROCESS)
    if original.pk == item.pk or original.petition_id == item.petition_id:
        raise Refused(_("A petition cannot duplicate itself."))
    if original.duplicate_of_id or original.status in {
        Status.FILED,
        Status.WITHDRAWN,
        Status.TRANSFERRED,
    }:
        raise Refused(
            _("Link to the petition that is being handled, not to a filed or transferred one.")
        )
    before = _close_out(
        item,
        Status.FILED,
        duplicate_of=original,
        filing_ground=PetitionItem.FilingGround.DUPLICATE,
    )
    events.duplicate_linked(item, actor=by, from_status=before, original=original)
    return item


@transaction.atomic
def item_assign_handler(*, item: PetitionItem, by: User, handler: User) -> PetitionItem:
    item = _locked_for(item, by, Act.PETITION_ASSIGN)
    if not _may_handle(handler, item):
        raise Refused(
            _("The handler must be a handler or leader of %(agency)s.")
            % {"agency": item.agency.name}
        )
    item.handler = handler
    _save(item, "handler")
    events.handler_assigned(item, actor=by, handler=handler)
    return item
