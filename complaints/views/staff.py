"""The officers' inbox (scoped, filtered, searched without the term in the address), the
counter's intake form and the letters."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import forms, selectors, services
from complaints.confidentiality import masked_display
from complaints.filters import InboxFilter
from complaints.models import PetitionItem
from complaints.services import Submission
from complaints.views.wizard import item_data, submitters_data
from gov.audit import audit_search
from gov.errors import refusal_to_form
from gov.guards import staff_user, staff_view
from gov.models import AdministrativeUnit
from gov.pagination import CappedPaginator
from gov.scoping import scoped

# The inbox's search terms, by token, in the officer's session: the search box posts, and the
# page's address carries the token, never the term (addresses end up in access logs, browser
# history and Referer headers). Bookmarks keep every other filter; the term lasts the session.
SEARCHES_KEY = "inbox-searches"
SEARCHES_KEPT = 20
SEARCH_MAX_LENGTH = 200


def _inbox_search(request: HttpRequest) -> HttpResponse:
    """The filter form, posted: the term goes into the session, the rest into the address."""
    params = request.POST.copy()
    params.pop("csrfmiddlewaretoken", None)
    params.pop("s", None)
    term = " ".join(params.pop("q", [""])[-1].split())[:SEARCH_MAX_LENGTH]
    if term:
        searches = dict(request.session.get(SEARCHES_KEY, {}))
        token = secrets.token_urlsafe(9)
        searches[token] = term
        request.session[SEARCHES_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
        params["s"] = token
        audit_search(request, term, where="inbox")
    # The other fields as the form sent them, as a GET form would have put them in the address
    # (an empty "open only" means all items, not the default).
    url = reverse("complaints:inbox")
    return redirect(f"{url}?{params.urlencode()}" if params else url)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _inbox_search(request)
    base = selectors.items_for(request.user)
    params = request.GET.copy()
    token = params.get("s")
    if token:
        term = request.session.get(SEARCHES_KEY, {}).get(token)
        if term is None:
            params.pop("s")
            messages.info(request, _("That search has expired: type it again."))
        else:
            params["q"] = term
    elif params.get("q"):  # an address typed or kept from before the search box posted
        audit_search(request, params["q"], where="inbox")
    if "open_only" not in params and not params.get("status"):
        params["open_only"] = "true"
    filterset = InboxFilter(params, queryset=base, request=request)
    # A refused filter value lists nothing (django-filter would skip that filter and list
    # everything else): the officer sees the message under the field, not a wider list.
    refused = not filterset.form.is_valid()
    qs = base.none() if refused else filterset.qs
    if not params.get("ordering"):
        qs = qs.order_by("due_on", "-id")
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(item, masked_display(item.petition)) for item in page.object_list]
    query = params.copy()
    query.pop("page", None)
    if "s" in query:
        query.pop("q", None)
    return render(
        request,
        "complaints/inbox.html",
        {
            "filter": filterset,
            "refused": refused,
            "page": page,
            "rows": rows,
            "today": timezone.localdate(),
            "query": query.urlencode(),
        },
    )


@staff_view
def intake(request: HttpRequest) -> HttpResponse:
    """Officer intake at the counter or by post."""
    user = staff_user(request)
    form = forms.CounterIntakeForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        anonymous = d.get("is_anonymous")
        data = Submission(
            channel=d["channel"],
            received_on=d["received_on"],
            receiving_agency=d["receiving_agency"],
            location_unit=AdministrativeUnit.objects.get(pk=d["location_unit"]),
            location_address=d.get("location_address", ""),
            content=d.get("content") or d["summary"],
            items=[item_data(d)],
            submitters=[] if anonymous else submitters_data(d),
            submitter_type=d["submitter_type"],
            organisation_name=d.get("organisation_name", ""),
            group_size=d.get("group_size") or 1,
            identity_protected=bool(d.get("identity_protected")),
            is_anonymous=bool(anonymous),
            is_signed=bool(d.get("is_signed")),
            contact_email=d.get("email", ""),
            contact_phone=d.get("phone", ""),
            phone_consent=bool(d.get("phone_consent")),
        )
        try:
            result = services.petition_submit(data=data, by=user)
        except ValidationError as exc:
            refusal_to_form(form, exc)
        else:
            item = result.petition.items.order_by("number").first()
            messages.success(
                request,
                _("Petition %(code)s recorded. Secret for the citizen: %(secret)s")
                % {"code": result.petition.code, "secret": result.secret},
            )
            return redirect("complaints:case", pk=item.pk)
    return render(request, "complaints/intake.html", {"form": form})


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(selectors.letters_for(request.user), pk=pk)
    # Back to the item the letter is about, or, for an agency that reads the letter without
    # that item (a commune the item was transferred to), to its own item of it.
    visible = list(
        scoped(request.user, PetitionItem.objects.filter(petition_id=letter.petition_id))
        .order_by("number")
        .values_list("pk", flat=True)
    )
    back = letter.item_id if letter.item_id in visible else visible[0]
    return render(request, "complaints/letter.html", {"letter": letter, "back": back})
