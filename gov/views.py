"""Public pages of the portal and the staff home. Views are thin: they read through selectors
and look objects up through ``gov.scoping``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gov.db import in_vietnamese_order

from . import selectors
from .forms import UnitSearchForm
from .models import AdministrativeUnit, Agency, TimeLimitRule
from .scoping import get_scoped_or_404, scoped


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "gov/home.html",
        {"unit_form": UnitSearchForm(), "commune_count": selectors.current_communes().count()},
    )


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
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "gov/staff_home.html", selectors.staff_overview(user=request.user))


@login_required
def staff_unit(request: HttpRequest, code: str) -> HttpResponse:
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
def staff_agency(request: HttpRequest, code: str) -> HttpResponse:
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
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("gov:staff_home")
