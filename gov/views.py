"""Public pages of the portal and the staff home. Views are thin: they read through selectors
and look objects up through ``gov.scoping``."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gov.db import custom_plans, in_vietnamese_order
from gov.guards import role_page
from gov.replicas import reads_from_replica

from . import audit, exports, selectors
from .filters import AuditFilter
from .forms import UnitSearchForm
from .http import StaffRequest
from .models import AdministrativeUnit, Agency, AuditRecord, TimeLimitRule
from .pagination import CappedPaginator
from .scoping import get_scoped_or_404, scoped


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "gov/home.html",
        {"unit_form": UnitSearchForm(), "commune_count": selectors.current_communes().count()},
    )


@reads_from_replica
def unit_directory(request: HttpRequest) -> HttpResponse:
    """Public: the 38 communes and wards and the units they replaced; search by an old name."""
    form = UnitSearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.unit_search(query=form.cleaned_data["q"])[:50]
    return render(
        request,
        "gov/unit_directory.html",
        {"form": form, "results": results, "communes": selectors.current_communes()},
    )


@reads_from_replica
def time_limits(request: HttpRequest) -> HttpResponse:
    """Public: the legal time limits in force today, with their sources."""
    today = timezone.localdate()
    return render(
        request,
        "gov/time_limits.html",
        {
            "rules": selectors.time_limit_rules_in_force(on=today),
            "today": today,
            "Kind": TimeLimitRule.Kind,
        },
    )


@login_required
def staff_home(request: StaffRequest) -> HttpResponse:
    return render(request, "gov/staff_home.html", selectors.staff_overview(user=request.user))


@login_required
def staff_unit(request: StaffRequest, code: str) -> HttpResponse:
    unit = get_scoped_or_404(
        request.user, AdministrativeUnit.objects.select_related("parent", "successor"), code=code
    )
    return render(
        request,
        "gov/staff_unit.html",
        {
            "unit": unit,
            "children": scoped(request.user, unit.children.order_by(in_vietnamese_order("name"))),
            "agencies": selectors.agencies_of_unit(unit=unit),
        },
    )


@login_required
def staff_agency(request: StaffRequest, code: str) -> HttpResponse:
    agency = get_scoped_or_404(
        request.user, Agency.objects.select_related("unit", "parent"), code=code
    )
    return render(
        request,
        "gov/staff_agency.html",
        {
            "agency": agency,
            "sectors": agency.sectors.all(),
            "staff": selectors.agency_staff(agency=agency, viewer=request.user),
        },
    )


@login_required
@require_POST
def notifications_mark_read(request: StaffRequest) -> HttpResponse:
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("gov:staff_home")


# --- the audit log ------------------------------------------------------------------------------

AUDIT_EXPORT_CAP = 10_000


@login_required
def audit_log(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    """The audit log (nhật ký), for the provincial Inspectorate and an agency's leaders."""
    role_page(
        request,
        allowed=audit.may_read_log(request.user),
        audience=str(_("This page is for leaders and the provincial Inspectorate.")),
    )
    base = audit.audit_log_for(request.user)
    filterset = AuditFilter(request.GET or None, queryset=base, request=request)
    refused = filterset.is_bound and not filterset.form.is_valid()
    qs = base.none() if refused else filterset.qs
    fmt = request.GET.get("format")
    if fmt in {"xlsx", "csv"} and not refused:
        return _audit_export(request, qs, fmt)
    with custom_plans():
        page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
        rows = [(r, audit.describe(r)) for r in page.object_list]
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return render(
        request,
        "gov/audit_log.html",
        {
            "filter": filterset,
            "refused": refused,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "whole_log": audit.reads_whole_log(request.user),
        },
    )


def _audit_export(
    request: StaffRequest, qs: QuerySet, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    headers = [
        _("Time"),
        _("Kind"),
        _("Account"),
        _("Account's agency"),
        _("IP address"),
        _("Object"),
        _("Agencies concerned"),
        _("Details"),
    ]

    def records() -> Iterator[AuditRecord]:
        # Through a server-side cursor, a chunk at a time: 10,000 rows with their agencies
        # never sit in memory at once, and the CSV is sent as it is read. The account's name is
        # the user name kept on the record: no join on the accounts.
        with custom_plans():
            yield from (
                qs.select_related(None)
                .select_related("actor_agency", "agency", "other_agency")[:AUDIT_EXPORT_CAP]
                .iterator(chunk_size=2000)
            )

    rows = (
        [
            timezone.localtime(r.at).strftime("%d/%m/%Y %H:%M:%S"),
            d.kind,
            r.username,
            r.actor_agency.name if r.actor_agency else "",
            r.ip or "",
            d.subject,
            d.agencies,
            d.details,
        ]
        for r, d in ((r, audit.describe(r)) for r in records())
    )
    filename = f"nhat-ky-{timezone.localdate():%Y%m%d}"
    if fmt == "csv":
        with custom_plans():
            total = qs.order_by()[:AUDIT_EXPORT_CAP].count()
        return exports.csv_streaming_response(
            request=request, filename=filename, headers=headers, rows=rows, total=total
        )
    return exports.xlsx_response(
        request=request, filename=filename, title=_("Audit log"), headers=headers, rows=rows
    )
