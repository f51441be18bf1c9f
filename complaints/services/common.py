"""What every petition service shares: the refusal, the checks each action makes (who may act,
the lifecycle table, the row lock) and the text that search and detection read."""

from __future__ import annotations

from django.db import transaction

from complaints import detection
from complaints.models import Petition, PetitionItem
from complaints.models.items import PETITION_LIFECYCLE
from complaints.routing import competent_route, skip_level_reason
from gov import authority
from gov.authority import Act
from gov.errors import Refused
from gov.models import Agency, User
from gov.queue import enqueue
from gov.text import fold_diacritics

Kind = PetitionItem.Kind


def _check_actor(item: PetitionItem, by: User, act: str) -> None:
    """The action acts for the agency holding ``item`` (``gov.authority.RULES`` says who may)."""
    authority.require(by, act, item.agency, refused=Refused)


def _may_handle(handler: User, item: PetitionItem) -> bool:
    """Whether ``handler`` may be named to resolve ``item``: an active account of the holding
    agency in a role that resolves."""
    return authority.may_act(handler, Act.PETITION_RESOLVE, item.agency)


def _move(item: PetitionItem, to: str) -> str:
    """Set the item's status if its lifecycle allows it; returns the status before."""
    return PETITION_LIFECYCLE.move(item, to, field_name="status", refused=Refused)


def _locked(item: PetitionItem) -> PetitionItem:
    return (
        PetitionItem.objects.select_for_update(of=("self",))
        .select_related("petition", "agency")
        .get(pk=item.pk)
    )


def _locked_for(item: PetitionItem, by: User, act: str) -> PetitionItem:
    """The item as it is now, its row locked, once ``by`` may do ``act`` for its agency."""
    item = _locked(item)
    _check_actor(item, by, act)
    return item


def _save(item: PetitionItem, *fields: str) -> None:
    item.save(update_fields=[*fields, "updated_at"])


def _close_out(item: PetitionItem, to: str, **values: object) -> str:
    """Move the item to a status that ends the agency's handling (no more deadline), with
    ``values`` set on it, and save; returns the status before."""
    before = _move(item, to)
    item.due_on = None
    for name, value in values.items():
        setattr(item, name, value)
    _save(item, "status", *values, "due_on")
    return before


def _notify_citizen(item: PetitionItem) -> None:
    """Tell a citizen who gave an e-mail address that the item moved on, after the commit."""
    if item.petition.contact_email:
        from complaints.tasks import status_update_send_task

        transaction.on_commit(lambda: enqueue(status_update_send_task, item.pk))


def _index_text(item: PetitionItem) -> None:
    """What search and detection read: the folded search text and the item's word set."""
    item.search_text = search_text_of(item)
    detection.set_words(item)


def search_text_of(item: PetitionItem) -> str:
    p = item.petition
    parts = [
        p.code,
        item.summary,
        p.content,
        p.location_address,
        item.denounced_person,
        item.contested_decision,
        item.issuer_text,
        p.submitter_display,
    ]
    return fold_diacritics(" ".join(x for x in parts if x))


def _protect_identity(petition: Petition) -> None:
    """Protect the submitter's identity from now on (a denunciation appeared in the petition):
    drop the name from what lists show and from every item's search text."""
    if petition.identity_protected and not petition.submitter_display:
        return
    petition.identity_protected, petition.submitter_display = True, ""
    petition.save(update_fields=["identity_protected", "submitter_display"])
    for other in petition.items.all():
        other.petition = petition
        other.search_text = search_text_of(other)
        other.save(update_fields=["search_text"])


def _route(item: PetitionItem, *, addressed_to: Agency) -> None:
    route = competent_route(item, unit=item.petition.unit)
    item.proposed_agency = route.agency
    reason = skip_level_reason(item, addressed_to=addressed_to, route=route)
    item.is_skip_level, item.skip_level_reason = bool(reason), reason[:255]
