"""Resolution (giải quyết) by the handler: verification, extensions of the time limit, the
conclusion, closing; a withdrawal; and grassroots mediation of a civil dispute first
(Luật Hòa giải ở cơ sở), whose outcome files the item or lets it continue."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import deadlines, events
from complaints.models import ItemDeadline, PetitionItem, Status
from complaints.services.common import (
    _close_out,
    _locked,
    _locked_for,
    _move,
    _notify_citizen,
    _save,
)
from gov.authority import Act
from gov.errors import Refused
from gov.models import User


@transaction.atomic
def item_start_verification(*, item: PetitionItem, by: User) -> PetitionItem:
    item = _locked_for(item, by, Act.PETITION_RESOLVE)
    before = _move(item, Status.VERIFYING)
    _save(item, "status")
    events.verification_started(item, actor=by, from_status=before)
    return item


@transaction.atomic
def item_extend(
    *, item: PetitionItem, by: User, reason: str, especially_complex: bool = False
) -> PetitionItem:
    """Extend the resolution deadline within the legal maximum, with a reason on record."""
    item = _locked_for(item, by, Act.PETITION_RESOLVE)
    if not reason.strip():
        raise Refused(_("Give the reason for the extension."))
    try:
        deadline, used = deadlines.extension_deadline(item, especially_complex=especially_complex)
    except deadlines.DeadlineError as exc:
        raise Refused(str(exc)) from exc
    old = item.due_on
    deadlines.deadline_set(
        item,
        stage=item.due_stage,
        start_on=item.accepted_on,
        deadline=deadline,
        reason=ItemDeadline.Reason.EXTENSION,
        by=by,
        note=reason,
    )
    item.extensions_used = used
    item.is_complex = True  # an extension is granted only to a complex case
    item.is_especially_complex = item.is_especially_complex or especially_complex
    _save(item, "due_on", "due_rule", "extensions_used", "is_complex", "is_especially_complex")
    events.extended(item, actor=by, reason=reason, before=old, after=deadline.due)
    return item


@transaction.atomic
def item_conclude(
    *,
    item: PetitionItem,
    by: User,
    conclusion: str,
    decision_number: str = "",
    concluded_on: dt.date | None = None,
) -> PetitionItem:
    """Record the resolution decision or the conclusion on a denunciation."""
    item = _locked_for(item, by, Act.PETITION_RESOLVE)
    if not conclusion.strip():
        raise Refused(_("Write the conclusion."))
    concluded_on = concluded_on or timezone.localdate()
    if concluded_on > timezone.localdate():
        raise Refused(_("The conclusion cannot be dated in the future."))
    if item.accepted_on and concluded_on < item.accepted_on:
        raise Refused(_("The conclusion cannot precede the acceptance."))
    before = _move(item, Status.CONCLUDED)
    item.conclusion, item.decision_number, item.concluded_on = (
        conclusion,
        decision_number,
        concluded_on,
    )
    _save(item, "status", "conclusion", "decision_number", "concluded_on")
    events.concluded(item, actor=by, from_status=before)
    _notify_citizen(item)
    return item


@transaction.atomic
def item_close(*, item: PetitionItem, by: User, note: str = "") -> PetitionItem:
    item = _locked_for(item, by, Act.PETITION_RESOLVE)
    before = _move(item, Status.CLOSED)
    _save(item, "status")
    events.closed(item, actor=by, from_status=before, note=note)
    return item


@transaction.atomic
def item_withdraw(*, item: PetitionItem, by: User, note: str) -> PetitionItem:
    """Record that the citizen withdrew the item (rút đơn)."""
    item = _locked_for(item, by, Act.PETITION_PROCESS)
    if not note.strip():
        raise Refused(_("Record how the citizen withdrew the petition."))
    before = _close_out(item, Status.WITHDRAWN)
    events.withdrawn(item, actor=by, from_status=before, note=note)
    return item


@transaction.atomic
def item_send_to_mediation(
    *, item: PetitionItem, by: User, team_name: str, case_id: int
) -> PetitionItem:
    """Record that a civil dispute between citizens went to grassroots mediation first
    (Luật Hòa giải ở cơ sở); the item stays open until the mediation ends."""
    item = _locked_for(item, by, Act.PETITION_PROCESS)
    if item.status not in {Status.RECEIVED, Status.PROCESSING}:
        raise Refused(_("Only a petition being processed can be sent to mediation."))
    if item.status == Status.RECEIVED:
        _move(item, Status.PROCESSING)
        _save(item, "status")
    events.sent_to_mediation(item, actor=by, team=team_name, case_id=case_id)
    return item


@transaction.atomic
def item_mediation_outcome(
    *, item: PetitionItem, by: User, settled: bool, case_id: int
) -> PetitionItem:
    """Settled by mediation: the item is filed on that ground. Not settled: it continues."""
    item = _locked(item)
    if not item.is_open:
        return item
    if settled and item.status not in {Status.RECEIVED, Status.PROCESSING}:
        # Accepted for resolution meanwhile: the resolution goes on; the agreement is on record.
        events.flagged(
            item,
            flag="mediation_settled",
            data={"mediation": case_id},
            note=events.official(
                gettext_lazy("Settled by grassroots mediation while being resolved.")
            ),
        )
        return item
    if settled:
        before = _close_out(item, Status.FILED, filing_ground=PetitionItem.FilingGround.MEDIATED)
        events.filed(item, actor=by, from_status=before, data={"mediation": case_id})
    else:
        events.mediation_failed(item, actor=by, case_id=case_id)
    return item
