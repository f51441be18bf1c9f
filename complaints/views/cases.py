"""The case page of an item and the officer's actions on it (``ACTIONS``: form and service),
and its attachments, downloaded through the scoped, logged view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from complaints import downloads, forms, selectors, services
from complaints.codes import normalise_code
from complaints.confidentiality import identity_for
from complaints.models import PetitionItem
from gov import authority
from gov.audit import audit_case_view
from gov.authority import Act
from gov.errors import Refused, refusal_to_messages
from gov.models import User
from gov.scoping import scoped

ACTIONS = {
    "start-processing": (None, "item_start_processing"),
    "classify": (forms.ClassifyForm, "item_classify"),
    "accept": (forms.AcceptForm, "item_accept"),
    "transfer": (forms.TransferForm, "item_transfer"),
    "guide": (forms.GuideForm, "item_guide"),
    "file": (forms.FileForm, "item_file"),
    "duplicate": (forms.DuplicateForm, "item_link_duplicate"),
    "start-verification": (None, "item_start_verification"),
    "extend": (forms.ExtendForm, "item_extend"),
    "conclude": (forms.ConcludeForm, "item_conclude"),
    "close": (forms.NoteForm, "item_close"),
    "withdraw": (forms.WithdrawForm, "item_withdraw"),
    "contact": (forms.ContactConfirmForm, "item_confirm_contact"),
}


def _action_forms(
    item: PetitionItem, data: dict | None = None, only: str | None = None
) -> dict[str, Form]:
    built: dict[str, Form] = {}
    for name, (form_class, _service) in ACTIONS.items():
        if form_class is None or (only and name != only):
            continue
        kwargs: dict = {"prefix": name}
        if form_class is forms.AcceptForm:
            kwargs["handlers"] = selectors.same_agency_handlers(item)
        if form_class is forms.TransferForm:
            kwargs["proposed"] = item.proposed_agency
        if form_class is forms.ClassifyForm and data is None:
            kwargs["initial"] = {
                "kind": item.kind,
                "sector": item.sector_id,
                "is_complex": item.is_complex,
                "summary": item.summary,
            }
        built[name] = form_class(data, **kwargs)
    return built


def _case_context(
    request: HttpRequest, item: PetitionItem, action_forms: dict | None = None
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
        "forms": action_forms or _action_forms(item),
        "today": timezone.localdate(),
        # Whoever may process the item (the widest petition act); each form's service checks
        # its own act.
        "can_act": authority.may_act(request.user, Act.PETITION_PROCESS, item.agency),
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
    item = selectors.item_get(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, service_name = ACTIONS[action]
    service = getattr(services, service_name)
    action_forms = _action_forms(item, request.POST, only=action)
    form = action_forms.get(action)

    def _refused() -> HttpResponse:
        """The case page again, with the posted form and its errors; nothing typed is lost."""
        context = _case_context(request, item, {**_action_forms(item), **action_forms})
        return render(request, "complaints/case.html", context, status=400)

    if form is not None and not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _refused()
    kwargs = dict(form.cleaned_data) if form is not None else {}
    if action == "duplicate" and form is not None:
        original = _item_by_reference(request.user, kwargs.pop("original"))
        if original is None:
            form.add_error("original", _("No petition in your scope has this code."))
            return _refused()
        kwargs["original"] = original
    try:
        result = service(item=item, by=request.user, **kwargs)
    except Refused as exc:
        refusal_to_messages(request, exc)
        return _refused()
    messages.success(request, _("Done: %(action)s.") % {"action": _action_label(action)})
    if (
        action == "transfer"
        and isinstance(result, PetitionItem)
        and scoped(request.user, PetitionItem.objects.filter(pk=result.pk)).exists()
    ):
        return redirect("complaints:case", pk=result.pk)
    return redirect("complaints:case", pk=item.pk)


def _action_label(action: str) -> str:
    labels = {
        "start-processing": _("processing started"),
        "classify": _("classified"),
        "accept": _("accepted"),
        "transfer": _("transferred"),
        "guide": _("citizen guided"),
        "file": _("filed"),
        "duplicate": _("linked as duplicate"),
        "start-verification": _("verification started"),
        "extend": _("deadline extended"),
        "conclude": _("concluded"),
        "close": _("closed"),
        "withdraw": _("withdrawal recorded"),
        "contact": _("the sender's contact confirmed"),
    }
    return labels[action]


def _item_by_reference(user: User, reference: str) -> PetitionItem | None:
    code, _sep, number = reference.strip().partition("/")
    qs = selectors.items_for(user).filter(petition__code=normalise_code(code))
    if number.strip().isdigit():
        qs = qs.filter(number=int(number))
    return qs.order_by("number").first()
