"""The reception calendar: published for citizens, planned and cancelled by staff; the staff's
list of sessions beside their agency's calendar."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gov.errors import refusal_to_form
from gov.guards import staff_user, staff_view
from gov.replicas import reads_from_replica
from gov.scoping import get_scoped_or_404
from reception import forms, selectors, services
from reception.models import Schedule
from reception.views.common import (
    CALENDAR_DAYS_AHEAD,
    STAFF_CALENDAR_DAYS_AHEAD,
    STAFF_CALENDAR_DAYS_BEHIND,
    _day,
    _entry_row,
    _may_record,
    _may_see_compliance,
    _recorder_or_404,
    _recorder_page,
    _with_defaults,
)

# --- public ------------------------------------------------------------------------------------


@reads_from_replica
def public_calendar(request: HttpRequest) -> HttpResponse:
    """Public: the published reception calendar, by commune or ward, or the province's own."""
    today = timezone.localdate()
    form = forms.CalendarFilterForm(
        _with_defaults(request.GET, start=today, end=today + dt.timedelta(days=CALENDAR_DAYS_AHEAD))
    )
    if not form.is_valid():
        return render(request, "reception/calendar.html", {"form": form}, status=400)
    d = form.cleaned_data
    entries = selectors.public_calendar_of_place(start=d["start"], end=d["end"], unit=d["unit"])
    return render(
        request,
        "reception/calendar.html",
        {"form": form, "entries": entries, "unit": d["unit"], "start": d["start"], "end": d["end"]},
    )


# --- staff: the calendar -----------------------------------------------------------------------


@staff_view
def sessions(request: HttpRequest) -> HttpResponse:
    """Staff: the sessions in scope, and the calendar of the user's own agency."""
    user = staff_user(request)
    today = timezone.localdate()
    qs = selectors.sessions_for(user).annotate(visit_count=Count("visits")).order_by("-date", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    entries = selectors.agency_calendar(
        user,
        start=today - dt.timedelta(days=STAFF_CALENDAR_DAYS_BEHIND),
        end=today + dt.timedelta(days=STAFF_CALENDAR_DAYS_AHEAD),
    )
    return render(
        request,
        "reception/sessions.html",
        {
            "page": page,
            "entries": [_entry_row(e) for e in entries],
            "today": today,
            "can_record": _may_record(user),
            "can_see_compliance": _may_see_compliance(user),
        },
    )


@login_required
def schedule_add(request: HttpRequest) -> HttpResponse:
    user = _recorder_page(request)
    form = forms.ScheduleForm(request.POST or None, agency=user.agency)
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = services.schedule_add(agency=user.agency, by=user, **form.cleaned_data)
            except ValidationError as exc:
                refusal_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Reception planned on %(day)s.") % {"day": _day(entry.date)},
                )
                return redirect("reception:sessions")
        return _schedule_page(request, form, recurring=False, status=400)
    return _schedule_page(request, form, recurring=False)


@login_required
def schedule_add_recurring(request: HttpRequest) -> HttpResponse:
    user = _recorder_page(request)
    form = forms.RecurringScheduleForm(request.POST or None, agency=user.agency)
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.schedule_add_recurring(
                    agency=user.agency, by=user, **form.cleaned_data
                )
            except ValidationError as exc:
                refusal_to_form(form, exc)
            else:
                _report_recurring(request, created, weekday=form.cleaned_data["weekday"])
                return redirect("reception:sessions")
        return _schedule_page(request, form, recurring=True, status=400)
    return _schedule_page(request, form, recurring=True)


def _schedule_page(
    request: HttpRequest, form: Form, *, recurring: bool, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "reception/schedule_form.html",
        {"form": form, "recurring": recurring},
        status=status,
    )


def _report_recurring(request: HttpRequest, created: list[Schedule], *, weekday: int) -> None:
    if not created:
        messages.warning(request, _("No new calendar entry: these days are already planned."))
        return
    moved = _("moved: day off")
    days = ", ".join(
        _day(e.date) + (f" ({moved})" if e.date.weekday() != weekday else "") for e in created
    )
    messages.success(
        request,
        ngettext(
            "%(n)s calendar entry planned: %(days)s.",
            "%(n)s calendar entries planned: %(days)s.",
            len(created),
        )
        % {"n": len(created), "days": days},
    )


@login_required
def schedule_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _recorder_or_404(request)
    entry = get_scoped_or_404(user, Schedule.objects.select_related("agency"), pk=pk)
    row = _entry_row(entry)
    form = forms.CancelScheduleForm(request.POST or None)
    if request.method == "POST":
        if row.state != Schedule.State.PLANNED:
            form.add_error(
                None, _("Only a planned entry whose session was not logged is cancelled.")
            )
        elif form.is_valid():
            try:
                services.schedule_cancel(
                    schedule=entry, by=user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                refusal_to_form(form, exc)
            else:
                messages.success(
                    request, _("The reception of %(day)s is cancelled.") % {"day": _day(entry.date)}
                )
                return redirect("reception:sessions")
        status = 400
    else:
        status = 200
    return render(
        request, "reception/schedule_cancel.html", {"row": row, "form": form}, status=status
    )
