"""Reads of petitions, scoped through ``gov.scoping``."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, ExpressionWrapper, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from gov import authority
from gov.db import in_vietnamese_order
from gov.models import PetitionKind, User
from gov.scoping import get_scoped_or_404, scoped
from gov.workdays import get_calendar

from . import codes
from .confidentiality import may_see_identity
from .models import Attachment, ItemEvent, Letter, Petition, PetitionItem, Status
from .models.items import OPEN_STATUSES
from .scanning import sendable


def items_for(user: User) -> QuerySet[PetitionItem]:
    """Every item ``user`` may see, with what a list row shows, in a fixed number of queries."""
    return scoped(user, PetitionItem.objects.all()).select_related(
        "petition", "sector", "agency", "handler", "petition__unit"
    )


def letters_for(user: User) -> QuerySet[Letter]:
    """The letters ``user`` may read: those about an item they see, and the transfer letter
    of an item they see that came by transfer (the agency it was sent to reads the letter that
    sent it, whether or not it reads the item sent). Letters carry no protected identity."""
    seen = scoped(user, PetitionItem.objects.all())
    return Letter.objects.filter(
        Q(item__in=seen.values("pk"))
        | Q(item__in=seen.filter(transferred_from__isnull=False).values("transferred_from"))
    ).select_related("item", "petition")


def item_get(user: User, pk: int) -> PetitionItem:
    return get_scoped_or_404(
        user,
        PetitionItem.objects.select_related(
            "petition",
            "petition__unit",
            "petition__location_unit",
            "petition__receiving_agency",
            "sector",
            "agency",
            "handler",
            "proposed_agency",
            "issuer_agency",
            "denounced_agency",
            "due_rule",
            "duplicate_of__petition",
            "suspected_duplicate_of__petition",
            "transferred_from__petition",
            "first_round_item__petition",
        ),
        pk=pk,
    )


def attachments_for(user: User, item: PetitionItem) -> QuerySet[Attachment]:
    """The files of ``item``'s petition that ``user`` may open, ``item`` being one they see
    (from ``item_get``). A protected identity's petition (every denunciation: Luật Tố cáo
    Art. 47) keeps its files with the identity: a file may name or show the denouncer, so
    only those who may see the identity open them (``complaints.confidentiality``)."""
    if not may_see_identity(user, item.petition):
        return Attachment.objects.none()
    # Listed whatever their scan says; only those known clean may be opened (scanning).
    may_be_sent = ExpressionWrapper(Q(scan_status__in=sendable()), output_field=BooleanField())
    return (
        Attachment.objects.filter(petition_id=item.petition_id)
        .annotate(may_be_sent=may_be_sent)
        .order_by("id")
    )


def attachment_get(user: User, item_pk: int, pk: int) -> tuple[PetitionItem, Attachment]:
    """An attachment through an item ``user`` sees; a 404 for anything else, so a file's
    existence is not revealed."""
    item = item_get(user, item_pk)
    # A file not known to be clean is listed on the case page but never sent (scanning).
    attachment = attachments_for(user, item).filter(pk=pk, scan_status__in=sendable()).first()
    if attachment is None:
        raise Http404
    return item, attachment


def overdue(qs: QuerySet[PetitionItem], *, today: dt.date | None = None) -> QuerySet[PetitionItem]:
    """Open items whose deadline has passed: one indexed query (status, due_on)."""
    today = today or timezone.localdate()
    return qs.filter(status__in=OPEN_STATUSES, due_on__lt=today)


def due_within(
    qs: QuerySet[PetitionItem], *, working_days: int, today: dt.date | None = None
) -> QuerySet[PetitionItem]:
    """Open items due from today to ``working_days`` working days ahead."""
    today = today or timezone.localdate()
    until = get_calendar().add_working_days(today, working_days)
    return qs.filter(status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=until)


def staff_timeline(user: User, item: PetitionItem) -> QuerySet[ItemEvent]:
    """The events of the item's petition, oldest first: of the petition itself and of every
    item of it that ``user`` sees (a transfer's both ends, for the agencies at either end);
    another agency's item of the same petition shows nothing of its handling."""
    seen = scoped(user, PetitionItem.objects.filter(petition_id=item.petition_id))
    return (
        ItemEvent.objects.filter(petition_id=item.petition_id)
        .filter(Q(item__isnull=True) | Q(item__in=seen.values("pk")))
        .select_related("actor", "item")
        .order_by("at", "id")
    )


def petition_by_code_and_secret(code: str, secret: str) -> Petition | None:
    petition = Petition.objects.filter(code=codes.normalise_code(code)).first()
    if petition is None or not codes.secret_matches(petition.code, secret, petition.secret_hash):
        return None
    return petition


def public_timeline(petition: Petition) -> list[ItemEvent]:
    return list(
        ItemEvent.objects.filter(petition=petition, is_public=True)
        .select_related("item")
        .order_by("at", "id")
    )


def public_items(petition: Petition) -> QuerySet[PetitionItem]:
    """The items the citizen follows: a transferred item is replaced by its transfer."""
    return (
        petition.items.select_related("agency", "sector")
        .exclude(status="transferred")
        .order_by("number")
    )


def text_search(qs: QuerySet[PetitionItem], query: str) -> QuerySet[PetitionItem]:
    from gov.text import fold_diacritics

    for word in fold_diacritics(query).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs


def same_agency_handlers(item: PetitionItem) -> QuerySet[User]:
    """Who may be named to resolve ``item`` (``gov.authority``: the roles that resolve), the
    agency's handlers first, then its leaders, each by name."""
    roles = authority.RULES[authority.Act.PETITION_RESOLVE].roles
    return (
        User.objects.filter(agency_id=item.agency_id, is_active=True, role__in=sorted(roles))
        .alias(handler_first=Case(When(role=User.Role.HANDLER, then=0), default=1))
        .order_by(
            "handler_first", in_vietnamese_order("last_name"), in_vietnamese_order("first_name")
        )
    )


def open_items_q() -> Q:
    return Q(status__in=OPEN_STATUSES)


def may_lodge_second_complaint(item: PetitionItem) -> bool:
    """A first complaint that was decided, or whose time limit passed unresolved, and has no
    second complaint yet."""
    if (
        item.kind != PetitionKind.COMPLAINT
        or item.complaint_round != 1
        or item.second_round_items.exists()
    ):
        return False
    if item.status in {Status.CONCLUDED, Status.CLOSED}:
        return True
    return (
        item.status in OPEN_STATUSES
        and item.due_on is not None
        and item.due_on < timezone.localdate()
    )
