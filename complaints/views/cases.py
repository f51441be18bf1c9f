"""The case page of an item and the officer's actions on it (``complaints.actions.REGISTRY``:
form, service, who and when), and its attachments, downloaded through the scoped, logged
view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from complaints import actions, downloads, selectors
from complaints.confidentiality import identity_for
from complaints.models import PetitionItem
from gov.audit import audit_case_view
from gov.errors import Refused, refusal_to_messages
from gov.guards import staff_user
from gov.models import User
from gov.scoping import scoped

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Offered:
    """An action as the case page shows it: its slug, title and form (None: a button)."""

    slug: str
    title: StrOrPromise
    form: Form | None


def _offered(
    user: User, item: PetitionItem, bound: dict[str, Form | None] | None = None
) -> list[Offered]:
    """The actions ``user`` may take on ``item`` now (``complaints.actions.offered``), each
    form unbound unless ``bound`` has it (the form posted, with its errors)."""
    bound = bound or {}
    return [
        Offered(a.slug, a.title, bound[a.slug] if a.slug in bound else a.build_form(item, user))
        for a in actions.offered(user, item)
    ]


def _case_context(
    request: HttpRequest, item: PetitionItem, bound: dict[str, Form | None] | None = None
) -> dict:
    petition = item.petition
    attachments = list(selectors.attachments_for(request.user, item))
    return {
        "item": item,
        "petition": petition,
        "siblings": scoped(request.user, petition.items.select_related("agency")).order_by(
            "number"
        ),
        "submitters": identity_for(request.user, petition, purpose="case page"),
        "timeline": selectors.staff_timeline(request.user, item),
        "deadlines": item.deadlines.select_related("rule", "created_by").order_by(
            "created_at", "id"
        ),
        "letters": selectors.letters_for(request.user).filter(petition=petition),
        "attachments": attachments,
        # Files kept with a protected identity: the page says they exist, not what they are.
        "attachments_withheld": not attachments and petition.attachments.exists(),
        "actions": _offered(staff_user(request), item, bound),
        "today": timezone.localdate(),
    }


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(request.user, pk)
    audit_case_view(request, item)
    return render(request, "complaints/case.html", _case_context(request, item))


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A citizen's file, from the case page: scoped, logged, downloaded (complaints.downloads)."""
    item, attachment = selectors.attachment_get(request.user, pk, attachment_pk)
    return downloads.attachment_response(request, item, attachment)


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST of one action of ``complaints.actions.REGISTRY``: its form, then its service."""
    item = selectors.item_get(request.user, pk)
    spec = actions.get(action)
    if spec is None:
        raise Http404
    user = staff_user(request)
    form = spec.build_form(item, user, request.POST)

    def _refused() -> HttpResponse:
        """The case page again, with the posted form and its errors; nothing typed is lost."""
        context = _case_context(request, item, {action: form})
        return render(request, "complaints/case.html", context, status=400)

    if form is not None and not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _refused()
    try:
        result = spec.perform(item, user, form.cleaned_data if form is not None else {})
    except Refused as exc:
        refusal_to_messages(request, exc)
        return _refused()
    messages.success(request, _("Done: %(action)s.") % {"action": spec.done})
    # An action that opens another item (a transfer) leads to it, when the officer reads it.
    if (
        isinstance(result, PetitionItem)
        and result.pk != item.pk
        and scoped(user, PetitionItem.objects.filter(pk=result.pk)).exists()
    ):
        return redirect("complaints:case", pk=result.pk)
    return redirect("complaints:case", pk=item.pk)
