"""What a citizen does after sending: confirm the contact from the e-mail's link, follow the
petition on the status page (code and secret), lodge a second complaint from it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import forms, guessing, selectors, services, volume
from complaints.models import Petition, PetitionItem
from gov.errors import Refused, refusal_to_form


def contact_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the acknowledgement e-mail. Opening it shows one button and confirms nothing
    (mail scanners open links); the button confirms the sender's e-mail."""
    petition_id = volume.petition_id_for_token(token)
    petition = Petition.objects.filter(pk=petition_id).first() if petition_id else None
    confirmed = petition is not None and petition.sender_known
    if request.method == "POST" and petition is not None and not confirmed:
        services.petition_contact_confirm(petition=petition, by=None, how="email")
        confirmed = True
    response = render(
        request,
        "complaints/contact_confirm.html",
        {"petition": petition, "confirmed": confirmed},
        status=404 if petition is None else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


FOLLOWED = "followed_petition_id"


def petition_status(request: HttpRequest) -> HttpResponse:
    """The citizen's status page: tracking code + secret, then the public timeline. A success
    is remembered in the session, so the citizen can act (a second complaint) and come back."""
    if request.GET.get("other"):
        request.session.pop(FOLLOWED, None)
    form = forms.StatusLookupForm(request.POST or None)
    petition = None
    if request.method == "POST" and form.is_valid():
        found = guessing.look_up(request, form.cleaned_data["code"], form.cleaned_data["secret"])
        petition = found.petition
        if petition is None:
            form.add_error(None, found.refusal)
        else:
            request.session[FOLLOWED] = petition.pk
    elif request.method == "GET" and request.session.get(FOLLOWED):
        petition = Petition.objects.filter(pk=request.session[FOLLOWED]).first()
    context = {"form": form, "petition": petition}
    if petition is not None:
        items = list(selectors.public_items(petition))
        context.update(
            items=items,
            timeline=selectors.public_timeline(petition),
            second_complaint_items=[i for i in items if selectors.may_lodge_second_complaint(i)],
            second_form=forms.SecondComplaintForm(),
        )
    response = render(request, "complaints/status.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def second_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    """A citizen who opened the status page lodges a second complaint against a first decision."""
    petition_id = request.session.get(FOLLOWED)
    item = (
        PetitionItem.objects.filter(pk=pk, petition_id=petition_id).first() if petition_id else None
    )
    if item is None or not selectors.may_lodge_second_complaint(item):
        raise Http404
    form = forms.SecondComplaintForm(request.POST)
    if form.is_valid():
        try:
            services.second_complaint_lodge(first=item, summary=form.cleaned_data["summary"])
        except Refused as exc:
            refusal_to_form(form, exc, field="summary")
        else:
            messages.success(request, _("Your second complaint was sent."))
            return redirect("complaints:status")
    petition = item.petition
    items = list(selectors.public_items(petition))
    return render(
        request,
        "complaints/status.html",
        {
            "petition": petition,
            "items": items,
            "timeline": selectors.public_timeline(petition),
            "second_complaint_items": [item],
            "second_form": form,
        },
        status=400,
    )
