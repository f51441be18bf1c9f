"""Every change to a petition item writes one event, through the functions here.

The citizen's timeline shows the public events, worded by ``ItemEvent.public_text`` in the
reader's language from the event's kind and data (so a message written while an officer used English still reads in
Vietnamese to the citizen). Public wording never names a staff member or a protected identity.
"""

from __future__ import annotations

import contextvars
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

    from gov.models import User

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


def status_changed(
    item: PetitionItem,
    kind: str,
    *,
    actor: User | None,
    from_status: str,
    note: str = "",
    public: dict[str, str] | None = None,
    data: dict | None = None,
) -> ItemEvent:
    return _record(
        item, kind, actor=actor, from_status=from_status, note=note, public=public, data=data
    )


def deadline_changed(
    item: PetitionItem, *, actor: User | None, kind: str, note: str, before: str, after: str
) -> ItemEvent:
    return _record(
        item,
        kind,
        actor=actor,
        note=note,
        public={"due": after},
        data={"before": before, "after": after},
    )


def flagged(item: PetitionItem, *, flag: str, note: str, data: dict | None = None) -> ItemEvent:
    return _record(item, Kind.FLAGGED, actor=None, note=note, data={"flag": flag, **(data or {})})


def handler_assigned(item: PetitionItem, *, actor: User, handler: User) -> ItemEvent:
    return _record(item, Kind.HANDLER_ASSIGNED, actor=actor, data={"handler": handler.pk})


def mediation(
    item: PetitionItem, kind: str, *, actor: User | None, public: dict[str, str], data: dict
) -> ItemEvent:
    return _record(item, kind, actor=actor, public=public, data=data)


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
