"""The officer's actions on a petition item, each declared once (``REGISTRY``).

An entry names the action's slug on the case page and in the API, its label, the form the
case page shows and the serializer the API reads, the service that does it, the act
``gov.authority`` asks for, and the statuses it applies to. Everything else reads this table:

- the case page offers the actions whose statuses hold the item's and whose act the officer
  may do (``offered``), and ``complaints.views.cases.case_action`` posts to the entry by slug;
- the API serves ``items/<id>/actions/<api_slug>/`` for each entry that has an API slug
  (``complaints.api.urls``, one view per entry: ``complaints.api.views.action_view``), and
  its schema describes each with the entry's serializer, text and statuses.

The form's cleaned data and the serializer's validated data are the service's keyword
arguments (besides ``item`` and ``by``), so adding an action is one entry here and one service.
The service stays the authority: it locks the item, asks ``gov.authority`` and follows the
lifecycle table; the statuses here say where the action is offered and must agree with it
(where the action moves the item, they are read from ``PETITION_LIFECYCLE`` itself).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.forms import Form
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from complaints import action_forms as forms
from complaints import services
from complaints.api import serializers as s
from complaints.models import PetitionItem, Status
from complaints.models.items import OPEN_STATUSES, PETITION_LIFECYCLE
from gov import authority
from gov.authority import Act
from gov.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def leading_to(status: str) -> frozenset[str]:
    """The statuses from which the lifecycle table moves an item to ``status``."""
    return frozenset(s for s, tos in PETITION_LIFECYCLE.moves.items() if status in tos)


BEING_PROCESSED = frozenset({Status.RECEIVED, Status.PROCESSING})
BEING_RESOLVED = frozenset({Status.ACCEPTED, Status.VERIFYING})


@dataclass(frozen=True, eq=False)  # hashed as itself (complaints.api.views.action_view)
class ItemAction:
    """One action on a petition item (see the module's docstring)."""

    slug: str  # the case page's: /can-bo/don/<id>/<slug>/
    title: StrOrPromise  # the button, and the heading of its form
    done: StrOrPromise  # what the page says once it is done ("Done: %(action)s.")
    service: Callable[..., object]  # service(item=, by=, **data)
    act: str  # gov.authority.Act: the page offers it to those who may
    states: frozenset[str]  # the item's statuses it applies to
    form: type[forms.ActionForm] | None = None  # None: a button, no input
    serializer: type[serializers.Serializer] = s.NoInputSerializer
    api_slug: str | None = None  # /api/v1/items/<id>/actions/<api_slug>/; None: the page only
    doc: str = ""  # the API's description of the operation
    # A further condition on the item, beyond its status (the page does not offer it otherwise).
    when: Callable[[PetitionItem], bool] | None = None

    def applies_to(self, item: PetitionItem) -> bool:
        return item.status in self.states and (self.when is None or self.when(item))

    def offered_to(self, user: User, item: PetitionItem) -> bool:
        return self.applies_to(item) and authority.may_act(user, self.act, item.agency)

    def build_form(
        self, item: PetitionItem, user: User, data: QueryDict | None = None
    ) -> Form | None:
        if self.form is None:
            return None
        return self.form(data, prefix=self.slug, item=item, user=user)

    def perform(self, item: PetitionItem, user: User, data: Mapping[str, object]) -> object:
        """Do the action with the form's or the serializer's data; the service refuses with
        ``gov.errors.Refused``."""
        return self.service(item=item, by=user, **data)


def _sender_unknown(item: PetitionItem) -> bool:
    return not item.petition.sender_known


REGISTRY: dict[str, ItemAction] = {
    a.slug: a
    for a in [
        ItemAction(
            slug="start-processing",
            title=_("Start processing"),
            done=_("processing started"),
            service=services.item_start_processing,
            act=Act.PETITION_PROCESS,
            states=leading_to(Status.PROCESSING),
            api_slug="start-processing",
            doc="Start processing the item (xử lý đơn).",
        ),
        ItemAction(
            slug="classify",
            title=_("Classify"),
            done=_("classified"),
            service=services.item_classify,
            act=Act.PETITION_PROCESS,
            states=BEING_PROCESSED,
            form=forms.ClassifyForm,
            serializer=s.ClassifySerializer,
            api_slug="classify",
            doc="Classify the item (phân loại): kind, sector, complexity; a new kind re-routes it.",
        ),
        ItemAction(
            slug="accept",
            title=_("Accept for resolution"),
            done=_("accepted"),
            service=services.item_accept,
            act=Act.PETITION_PROCESS,
            states=leading_to(Status.ACCEPTED),
            form=forms.AcceptForm,
            serializer=s.AcceptSerializer,
            api_slug="accept",
            doc="Accept the item for resolution (thụ lý) and name its handler.",
        ),
        ItemAction(
            slug="transfer",
            title=_("Transfer to the competent agency"),
            done=_("transferred"),
            service=services.item_transfer,
            act=Act.PETITION_PROCESS,
            states=leading_to(Status.TRANSFERRED),
            form=forms.TransferForm,
            serializer=s.TransferSerializer,
            api_slug="transfer",
            doc="Transfer the item to the competent agency (chuyển đơn). The answer is the "
            "transferred item; the target agency receives a new item.",
        ),
        ItemAction(
            slug="guide",
            title=_("Guide the citizen"),
            done=_("citizen guided"),
            service=services.item_guide,
            act=Act.PETITION_PROCESS,
            states=leading_to(Status.GUIDED),
            form=forms.GuideForm,
            serializer=s.GuideSerializer,
            api_slug="guide",
            doc="Guide the citizen to the competent body (hướng dẫn), with a guidance letter.",
        ),
        ItemAction(
            slug="duplicate",
            title=_("Link as duplicate"),
            done=_("linked as duplicate"),
            service=services.item_link_duplicate,
            act=Act.PETITION_PROCESS,
            states=leading_to(Status.FILED),
            form=forms.DuplicateForm,
            serializer=s.LinkDuplicateSerializer,
            api_slug="link-duplicate",
            doc="Link the item as a duplicate (đơn trùng) of another item you may see, and "
            "file it.",
        ),
        ItemAction(
            slug="file",
            title=_("File on a legal ground"),
            done=_("filed"),
            service=services.item_file,
            act=Act.PETITION_PROCESS,
            states=leading_to(Status.FILED),
            form=forms.FileForm,
            serializer=s.FileSerializer,
            api_slug="file",
            doc="File the item without handling it (lưu đơn), on a legal ground.",
        ),
        ItemAction(
            slug="start-verification",
            title=_("Start verification"),
            done=_("verification started"),
            service=services.item_start_verification,
            act=Act.PETITION_RESOLVE,
            states=leading_to(Status.VERIFYING),
            api_slug="start-verification",
            doc="Start verifying the content of an accepted item (xác minh).",
        ),
        ItemAction(
            slug="extend",
            title=_("Extend the deadline"),
            done=_("deadline extended"),
            service=services.item_extend,
            act=Act.PETITION_RESOLVE,
            states=BEING_RESOLVED,
            form=forms.ExtendForm,
            serializer=s.ExtendSerializer,
            api_slug="extend",
            doc="Extend the resolution deadline within the legal maximum (gia hạn).",
        ),
        ItemAction(
            slug="conclude",
            title=_("Conclude"),
            done=_("concluded"),
            service=services.item_conclude,
            act=Act.PETITION_RESOLVE,
            states=leading_to(Status.CONCLUDED),
            form=forms.ConcludeForm,
            serializer=s.ConcludeSerializer,
            api_slug="conclude",
            doc="Record the resolution decision, or the conclusion on a denunciation.",
        ),
        ItemAction(
            slug="withdraw",
            title=_("Record a withdrawal"),
            done=_("withdrawal recorded"),
            service=services.item_withdraw,
            act=Act.PETITION_PROCESS,
            states=leading_to(Status.WITHDRAWN),
            form=forms.WithdrawForm,
            serializer=s.WithdrawSerializer,
            api_slug="withdraw",
            doc="Record that the citizen withdrew the item (rút đơn).",
        ),
        ItemAction(
            slug="contact",
            title=_("Confirm the sender's contact"),
            done=_("the sender's contact confirmed"),
            service=services.item_confirm_contact,
            act=Act.PETITION_PROCESS,
            states=frozenset(OPEN_STATUSES),
            form=forms.ContactConfirmForm,
            when=_sender_unknown,
        ),
        ItemAction(
            slug="close",
            title=_("Close the case"),
            done=_("closed"),
            service=services.item_close,
            act=Act.PETITION_RESOLVE,
            states=leading_to(Status.CLOSED),
            form=forms.NoteForm,
            serializer=s.CloseSerializer,
            api_slug="close",
            doc="Close a concluded item.",
        ),
    ]
}


def get(slug: str) -> ItemAction | None:
    """The action the case page names ``slug``."""
    return REGISTRY.get(slug)


def api_actions() -> dict[str, ItemAction]:
    """The actions the API serves, by their API slug."""
    return {a.api_slug: a for a in REGISTRY.values() if a.api_slug}


def offered(user: User, item: PetitionItem) -> list[ItemAction]:
    """The actions the case page offers ``user`` on ``item``, in the registry's order."""
    return [a for a in REGISTRY.values() if a.offered_to(user, item)]
