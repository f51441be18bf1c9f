"""Every change to a petition item writes one event, through the functions here.

The citizen's timeline shows the public events, worded by ``ItemEvent.public_text`` in the
reader's language from the event's kind and data (so a message written while an officer used English still reads in
Vietnamese to the citizen). Public wording never names a staff member or a protected identity.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gov.fast.inserts import insert_rows

from .models import ItemEvent, PetitionItem

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from complaints.models import Letter
    from gov.models import Agency, User

# Events recorded inside ``batch()`` wait here and are written together when it ends.
_pending: contextvars.ContextVar[list[ItemEvent] | None] = contextvars.ContextVar(
    "complaints_events_pending", default=None
)

Kind = ItemEvent.Kind


def official(text: str | StrPromise, **params: object) -> str:
    """A note for the record, always in the portal's official language (Vietnamese), whatever
    language the officer's screen uses: the case file must read the same for everyone."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text) % params if params else str(text)


def _record(
    item: PetitionItem,
    kind: str,
    *,
    actor: User | None,
    from_status: str = "",
    note: str = "",
    public: dict[str, str] | None = None,
    data: dict | None = None,
) -> ItemEvent:
    payload = dict(data or {})
    if public is not None:
        payload["public"] = public
    event = ItemEvent(
        item=item,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=item.status,
        note=note,
        is_public=public is not None,
        data=payload,
    )
    if item.petition_id is None:  # not written yet (``collected()``): keyed when both are
        event.petition = item.petition
    else:
        event.petition_id = item.petition_id
    pending = _pending.get()
    if pending is None:
        event.save(force_insert=True)
    else:
        pending.append(event)
    return event


@contextmanager
def batch() -> Iterator[None]:
    """Write the events recorded inside the block in one INSERT when it ends (a submission
    records several at once), in the order they were recorded. Nested blocks join the
    outermost; an exception inside writes nothing."""
    if _pending.get() is not None:
        yield
        return
    with collected() as pending:
        yield
    insert_rows(pending)


@contextmanager
def collected() -> Iterator[list[ItemEvent]]:
    """Keep the events recorded inside the block, unsaved, in the list it gives, for the
    caller to write with other rows (``gov.fast.inserts.insert_together``): an item not yet written
    may have events. Inside ``batch()``, refused: the batch would write them a second time."""
    if _pending.get() is not None:
        raise RuntimeError("events.collected() inside events.batch()")
    pending: list[ItemEvent] = []
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)


def received(item: PetitionItem, *, actor: User | None, backdated_from: str = "") -> ItemEvent:
    return _record(
        item,
        Kind.RECEIVED,
        actor=actor,
        note=official(_("Recorded later; received on %(day)s."), day=backdated_from)
        if backdated_from
        else "",
        public={"agency": item.agency.name},
        data={
            "due_on": item.due_on.isoformat() if item.due_on else None,
            "backdated_from": backdated_from,
        },
    )


def transferred_in(item: PetitionItem, *, actor: User | None, source: PetitionItem) -> ItemEvent:
    return _record(
        item,
        Kind.TRANSFERRED_IN,
        actor=actor,
        public={"agency": item.agency.name},
        data={"from_item": source.pk},
    )


def second_complaint(item: PetitionItem, *, actor: User | None, first: PetitionItem) -> ItemEvent:
    return _record(
        item,
        Kind.SECOND_COMPLAINT,
        actor=actor,
        public={"agency": item.agency.name},
        data={"first_item": first.pk},
    )


def classified(item: PetitionItem, *, actor: User, before: dict, after: dict) -> ItemEvent:
    return _record(item, Kind.CLASSIFIED, actor=actor, data={"before": before, "after": after})


# --- the item moves along its lifecycle (complaints.services.processing, resolution) ---------


def processing_started(item: PetitionItem, *, actor: User, from_status: str) -> ItemEvent:
    return _record(
        item,
        Kind.PROCESSING_STARTED,
        actor=actor,
        from_status=from_status,
        public={"agency": item.agency.name},
    )


def accepted(
    item: PetitionItem, *, actor: User, from_status: str, due: dt.date, handler: User
) -> ItemEvent:
    return _record(
        item,
        Kind.ACCEPTED,
        actor=actor,
        from_status=from_status,
        public={"agency": item.agency.name, "due": due.strftime("%d/%m/%Y")},
        data={"handler": handler.pk},
    )


def transferred_out(
    item: PetitionItem, *, actor: User, from_status: str, target: Agency, letter: Letter, note: str
) -> ItemEvent:
    return _record(
        item,
        Kind.TRANSFERRED_OUT,
        actor=actor,
        from_status=from_status,
        note=note,
        public={"target": target.name},
        data={"target": target.pk, "letter": letter.pk},
    )


def guided(
    item: PetitionItem, *, actor: User, from_status: str, guidance: str, letter: Letter
) -> ItemEvent:
    return _record(
        item,
        Kind.GUIDED,
        actor=actor,
        from_status=from_status,
        note=guidance,
        public={"agency": item.agency.name},
        data={"letter": letter.pk},
    )


def filed(
    item: PetitionItem,
    *,
    actor: User | None,
    from_status: str,
    note: str = "",
    data: dict | None = None,
) -> ItemEvent:
    """Filed without handling, on the ground the item now holds (``filing_ground``)."""
    ground = PetitionItem.FilingGround(item.filing_ground).label
    return _record(
        item,
        Kind.FILED,
        actor=actor,
        from_status=from_status,
        note=note,
        public={"ground": str(ground)},
        data=data,
    )


def duplicate_linked(
    item: PetitionItem, *, actor: User, from_status: str, original: PetitionItem
) -> ItemEvent:
    return _record(
        item,
        Kind.DUPLICATE_LINKED,
        actor=actor,
        from_status=from_status,
        note=official(_("Duplicate of petition %(code)s."), code=str(original)),
        data={"original": original.pk},
        public={"ground": str(PetitionItem.FilingGround.DUPLICATE.label)},
    )


def verification_started(item: PetitionItem, *, actor: User, from_status: str) -> ItemEvent:
    return _record(item, Kind.VERIFICATION_STARTED, actor=actor, from_status=from_status, public={})


def extended(
    item: PetitionItem, *, actor: User, reason: str, before: dt.date | None, after: dt.date
) -> ItemEvent:
    """The resolution's time limit extended (gia hạn), from ``before`` to ``after``."""
    before_text = before.strftime("%d/%m/%Y") if before else ""
    after_text = after.strftime("%d/%m/%Y")
    return _record(
        item,
        Kind.EXTENDED,
        actor=actor,
        note=reason,
        public={"due": after_text},
        data={"before": before_text, "after": after_text},
    )


def concluded(item: PetitionItem, *, actor: User, from_status: str) -> ItemEvent:
    on_time = bool(item.due_on and item.concluded_on and item.concluded_on <= item.due_on)
    return _record(
        item,
        Kind.CONCLUDED,
        actor=actor,
        from_status=from_status,
        public={"agency": item.agency.name},
        data={"on_time": on_time},
    )


def closed(item: PetitionItem, *, actor: User, from_status: str, note: str) -> ItemEvent:
    return _record(item, Kind.CLOSED, actor=actor, from_status=from_status, note=note, public={})


def withdrawn(item: PetitionItem, *, actor: User, from_status: str, note: str) -> ItemEvent:
    return _record(item, Kind.WITHDRAWN, actor=actor, from_status=from_status, note=note, public={})


def sent_to_mediation(item: PetitionItem, *, actor: User, team: str, case_id: int) -> ItemEvent:
    return _record(
        item,
        Kind.SENT_TO_MEDIATION,
        actor=actor,
        public={"team": team},
        data={"mediation": case_id},
    )


def mediation_failed(item: PetitionItem, *, actor: User, case_id: int) -> ItemEvent:
    return _record(
        item,
        Kind.MEDIATION_FAILED,
        actor=actor,
        public={"agency": item.agency.name},
        data={"mediation": case_id},
    )


# --- other changes ---------------------------------------------------------------------------


def flagged(item: PetitionItem, *, flag: str, note: str, data: dict | None = None) -> ItemEvent:
    return _record(item, Kind.FLAGGED, actor=None, note=note, data={"flag": flag, **(data or {})})


def handler_assigned(item: PetitionItem, *, actor: User, handler: User) -> ItemEvent:
    return _record(item, Kind.HANDLER_ASSIGNED, actor=actor, data={"handler": handler.pk})


def consent_withdrawn(item: PetitionItem) -> ItemEvent:
    """The citizen withdrew their consent to news by SMS/Zalo (Law 91/2025)."""
    return _record(item, Kind.CONSENT_WITHDRAWN, actor=None, public={})


def anonymised(item: PetitionItem, *, rule: str, years: int, files: int) -> ItemEvent:
    """The retention period ended: the submitters' identities were erased (privacy.services)."""
    return _record(
        item,
        Kind.ANONYMISED,
        actor=None,
        note=official(
            _("Identities erased: the retention period of %(years)s years ended."), years=years
        ),
        data={"rule": rule, "years": years, "files_deleted": files},
    )


def contact_verified(
    item: PetitionItem, *, actor: User | None, how: str, note: str = ""
) -> ItemEvent:
    """The sender's contact was confirmed (``how``: "email", the citizen's link; "officer",
    after a call): the petition now counts towards mass complaints and hotspots."""
    return _record(
        item, Kind.CONTACT_VERIFIED, actor=actor, note=note, public={}, data={"how": how}
    )
