"""The sender's contact (Law 91/2025): confirmed by the citizen or by an officer, after which
the petition counts towards mass complaints and hotspots."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import detection, events
from complaints.models import Petition, PetitionItem
from complaints.services.common import _locked_for
from gov.authority import Act
from gov.errors import Refused
from gov.models import User


def petition_contact_confirm(
    *, petition: Petition, by: User | None, how: str, note: str = ""
) -> bool:
    """Record that the sender's contact is confirmed: by the citizen, following the link in the
    acknowledgement e-mail (``by`` None, ``how`` "email"), or by an officer after calling the
    sender (``how`` "officer"). From then on the petition counts towards mass complaints and
    hotspots (complaints.detection), and the clusters it belongs to are counted again now.
    Returns False when its sender was known already (nothing is written)."""
    with transaction.atomic():
        petition = Petition.objects.select_for_update().get(pk=petition.pk)
        if petition.sender_known:
            return False
        petition.contact_verified_at = timezone.now()
        petition.save(update_fields=["contact_verified_at"])
        petition.items.update(sender_known=True)
        items = list(petition.items.order_by("number"))
        with events.batch():
            for item in items:
                item.petition = petition
                events.contact_verified(item, actor=by, how=how, note=note)
        for item in items:
            if item.transferred_from_id is None:
                detection.recount(item)
    return True


@transaction.atomic
def item_confirm_contact(*, item: PetitionItem, by: User, note: str) -> PetitionItem:
    """An officer of the responsible agency reached the sender (called the phone number the
    petition gives) and confirmed who sent it; ``note`` says how."""
    item = _locked_for(item, by, Act.PETITION_PROCESS)
    if item.petition.sender_known:
        raise Refused(_("This sender is known already: nothing to confirm."))
    if not note.strip():
        raise Refused(_("Record how you confirmed the sender's contact."))
    petition_contact_confirm(petition=item.petition, by=by, how="officer", note=note)
    return item
