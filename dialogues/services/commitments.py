"""The commitment tracker: every promise made in a dialogue, a council answer or resolution, a
reply to voters or a reception session, followed until it is kept."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues import events, lifecycles
from dialogues.models import Commitment, CommitmentEvent, CommitmentSource
from dialogues.services.common import _check_actor, _locked_for, _not_future
from gov.authority import Act
from gov.errors import Refused
from gov.models import Agency, User

SOURCE_FIELDS: dict[str, str] = {
    CommitmentSource.DIALOGUE: "dialogue",
    CommitmentSource.COUNCIL_QUESTION: "question",
    CommitmentSource.COUNCIL_RESOLUTION: "resolution",
    CommitmentSource.VOTER_RECOMMENDATION: "voter_recommendation",
    CommitmentSource.RECEPTION: "reception_session",
}


@transaction.atomic
def commitment_make(
    *,
    source: str,
    source_object: object,
    owner_agency: Agency,
    owner_name: str,
    content: str,
    made_on: dt.date,
    deadline: dt.date,
    by: User,
    owner: User | None = None,
    is_public: bool = True,
) -> Commitment:
    """Record a promise made in a dialogue, a council answer or resolution, a reply to voters
    or a reception session, with the agency and person who answer for it."""
    _check_actor(by, Act.COMMITMENT_RECORD, owner_agency)
    if source not in SOURCE_FIELDS or source_object is None:
        raise Refused(_("Say where the promise was made."))
    if not content.strip() or not owner_name.strip():
        raise Refused(_("Write the promise and who made it."))
    _not_future(made_on, _("The date of the promise"))
    if deadline < made_on:
        raise Refused(_("The deadline cannot precede the promise."))
    commitment = Commitment.objects.create(
        source=source,
        **{SOURCE_FIELDS[source]: source_object},
        owner_agency=owner_agency,
        owner_name=owner_name,
        owner=owner,
        content=content,
        made_on=made_on,
        deadline=deadline,
        is_public=is_public,
        created_by=by,
    )
    events.commitment_made(commitment, actor=by)
    return commitment


def _locked(commitment: Commitment, by: User, act: str) -> Commitment:
    return _locked_for(commitment, by, act, owner="owner_agency")


@transaction.atomic
def commitment_note_progress(*, commitment: Commitment, by: User, note: str) -> Commitment:
    commitment = _locked(commitment, by, Act.COMMITMENT_RECORD)
    lifecycles.COMMITMENT.allow(commitment.state, CommitmentEvent.Kind.PROGRESS, refused=Refused)
    if not note.strip():
        raise Refused(_("Write what was done."))
    events.commitment_progress(commitment, actor=by, note=note)
    return commitment


@transaction.atomic
def commitment_change_deadline(
    *, commitment: Commitment, by: User, deadline: dt.date, reason: str
) -> Commitment:
    commitment = _locked(commitment, by, Act.COMMITMENT_DECIDE)
    lifecycles.COMMITMENT.allow(
        commitment.state, CommitmentEvent.Kind.DEADLINE_CHANGED, refused=Refused
    )
    if not reason.strip():
        raise Refused(_("Give the reason for the new deadline."))
    if deadline < commitment.made_on:
        raise Refused(_("The deadline cannot precede the promise."))
    before = commitment.deadline
    commitment.deadline = deadline
    commitment.save(update_fields=["deadline"])
    events.commitment_deadline_changed(commitment, actor=by, before=before, reason=reason)
    return commitment


@transaction.atomic
def commitment_close(
    *, commitment: Commitment, by: User, kept: bool, evidence: str, on: dt.date | None = None
) -> Commitment:
    """Mark the promise kept (with the evidence and the date it was kept) or not kept."""
    commitment = _locked(commitment, by, Act.COMMITMENT_DECIDE)
    on = on or timezone.localdate()
    _not_future(on, _("The date"))
    if not evidence.strip():
        raise Refused(_("Give the evidence: what was done, or why the promise was not kept."))
    if on < commitment.made_on:
        raise Refused(_("A promise cannot be kept before it was made."))
    lifecycles.COMMITMENT.move(
        commitment,
        Commitment.State.KEPT if kept else Commitment.State.NOT_KEPT,
        field_name="state",
        refused=Refused,
    )
    commitment.evidence, commitment.kept_on = evidence, on if kept else None
    commitment.save(update_fields=["state", "evidence", "kept_on"])
    events.commitment_closed(commitment, actor=by, on=on)
    return commitment
