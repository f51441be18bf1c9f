"""The privacy notice, a citizen withdrawing consent to SMS/Zalo news, and a person's data
exported by the staff member answering their request."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints.models import Petition
from complaints.views.status import FOLLOWED
from gov import privacy_notice
from gov.audit import audit_record, digest
from gov.models import AuditRecord

from . import selectors, services
from .forms import PersonDataRequestForm
from .models import RetentionRule


def notice(request: HttpRequest) -> HttpResponse:
    """Public: who processes a citizen's data, why, for how long, and their rights."""
    today = timezone.localdate()
    return render(
        request,
        "privacy/notice.html",
        {
            "rules": sorted(RetentionRule.in_force(today).values(), key=lambda r: r.record_kind),
            "version": privacy_notice.VERSION,
            "published_on": privacy_notice.PUBLISHED_ON,
        },
    )


@require_POST
def consent_withdraw(request: HttpRequest) -> HttpResponse:
    """From the status page: the petition the citizen opened with its code and secret."""
    petition_id = request.session.get(FOLLOWED)
    petition = Petition.objects.filter(pk=petition_id).first() if petition_id else None
    if petition is None:
        raise Http404
    if services.petition_phone_consent_withdraw(petition=petition):
        messages.success(request, _("You will no longer receive news of it by SMS or Zalo."))
    return redirect("complaints:status")


@login_required
def person_data(request: HttpRequest) -> HttpResponse:
    """Staff: find what the portal holds about a person and hand them a copy. The ID number and
    phone travel only in POST bodies, never in an address that a log would keep."""
    if not selectors.may_answer_requests(request.user):
        raise Http404
    form = PersonDataRequestForm(request.POST or None)
    records = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        records = selectors.person_records(request.user, id_number=d["id_number"], phone=d["phone"])
        audit_record(
            kind=AuditRecord.Kind.SEARCH,
            actor=request.user,
            request=request,
            subject="personal data request",
            data={"term": digest(f"{d['id_number']}|{d['phone']}"), "found": not records.empty},
        )
        if request.POST.get("download") and not records.empty:
            return _download(request, records, reference=d["reference"])
    return render(request, "privacy/person_data.html", {"form": form, "records": records})


def _download(
    request: HttpRequest, records: selectors.PersonRecords, *, reference: str
) -> HttpResponse:
    export = selectors.person_export(request.user, records, reference=reference)
    audit_record(
        kind=AuditRecord.Kind.PERSONAL_DATA_EXPORT,
        actor=request.user,
        request=request,
        agency=request.user.agency,
        subject="personal data request",
        # Petition codes and visit numbers only: the request's text may name the person.
        data={
            "petitions": [p.code for p in records.petitions],
            "visits": [v.pk for v in records.visits],
        },
    )
    response = HttpResponse(
        json.dumps(export, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response
