"""The one accessor for a submitter's identity (Luật Tố cáo Art. 9, 47, 56).

A protected identity (every denouncer, and any submitter who asked) is shown only to the
handlers and leaders of an agency responsible for one of the petition's items, and each
showing is logged in ``IdentityReveal`` (the petition's own list) and in the audit log
(``gov.audit``: append-only, read by the Inspectorate and the agency's leaders, and counted for
the day's alert). Everyone else — other officers, transfer letters,
exports, the public page, logs and task messages — gets the mask. Unprotected identities are
shown to staff who can see the petition, without a log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gov.audit import audit_record
from gov.models import AuditRecord, User

from .models import IdentityReveal, Petition, Submitter

MASK = gettext_lazy("Identity protected by law")


@dataclass(frozen=True)
class SubmitterData:
    """A submitter as given: what the forms, the API and the counter hand the intake service
    (``complaints.services.Submission``)."""

    full_name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    is_representative: bool = False


@dataclass(frozen=True)
class SubmitterView(SubmitterData):
    """A submitter as a reader may see them: ``masked`` when the identity is protected from
    the reader, and then only the mask in ``full_name``."""

    masked: bool = False


def may_see_identity(user: User, petition: Petition) -> bool:
    if not petition.identity_protected:
        return True
    if not (user.is_authenticated and user.is_active and user.agency_id):
        return False
    if user.role not in {User.Role.HANDLER, User.Role.LEADER}:
        return False
    return petition.items.filter(agency_id=user.agency_id).exclude(status="transferred").exists()


def masked_display(petition: Petition) -> str:
    """What a list may show in place of the submitter."""
    if petition.identity_protected:
        return str(MASK)
    if petition.is_anonymous:
        return _("Anonymous")
    return petition.submitter_display


def identity_for(user: User, petition: Petition, *, purpose: str) -> list[SubmitterView]:
    """The submitters as ``user`` may see them; logs the reveal of a protected identity."""
    if not may_see_identity(user, petition):
        return [SubmitterView(full_name=str(MASK), masked=True)]
    rows = list(Submitter.objects.filter(petition=petition))
    if petition.identity_protected:
        IdentityReveal.objects.create(petition=petition, user=user, purpose=purpose[:60])
        audit_record(
            kind=AuditRecord.Kind.IDENTITY_REVEAL,
            actor=user,
            subject=petition,
            data={"purpose": purpose[:60]},
        )
    return [
        SubmitterView(
            full_name=s.full_name,
            id_number=s.id_number,
            phone=s.phone,
            email=s.email,
            address=s.address,
            is_representative=s.is_representative,
        )
        for s in rows
    ]


def identity_for_letter(petition: Petition) -> str:
    """How a letter sent outside the competent agency names the submitter."""
    if petition.identity_protected or petition.is_anonymous:
        return str(MASK) if petition.identity_protected else _("an anonymous citizen")
    return petition.submitter_display
