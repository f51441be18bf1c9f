"""The reception log (sổ tiếp công dân, Luật Tiếp công dân Art. 25) for a period, on the page
and as a spreadsheet."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gov.exports import xlsx_response
from gov.guards import staff_user, staff_view
from gov.replicas import reads_from_replica
from reception import forms, selectors
from reception.views.common import _with_defaults
from reception.views.sessions import VisitRow, _visit_rows


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    last = month_calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


@staff_view
@reads_from_replica
def reception_log(request: HttpRequest) -> HttpResponse:
    """The reception log (sổ tiếp công dân, Luật Tiếp công dân Art. 25) for a period."""
    user = staff_user(request)
    first, last = _month_bounds(timezone.localdate())
    form = forms.LogFilterForm(_with_defaults(request.GET, start=first, end=last), user=user)
    if not form.is_valid():
        return render(request, "reception/log.html", {"form": form}, status=400)
    d = form.cleaned_data
    visits = list(selectors.reception_log(user, start=d["start"], end=d["end"], agency=d["agency"]))
    if request.GET.get("format") == "xlsx":
        rows = _visit_rows(user, visits, export=True)
        return _log_xlsx(request, rows, start=d["start"], end=d["end"])
    rows = _visit_rows(user, visits)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "reception/log.html",
        {
            "form": form,
            "rows": rows,
            "start": d["start"],
            "end": d["end"],
            "agency": d["agency"],
            "query": query.urlencode(),
        },
    )


def _log_xlsx(
    request: HttpRequest, rows: list[VisitRow], *, start: dt.date, end: dt.date
) -> HttpResponse:
    headers = [
        _("Agency"),
        _("No."),
        _("Date"),
        _("Full name"),
        _("Address"),
        _("ID number"),
        _("Content"),
        _("Handled before by"),
        _("What the citizen asks"),
        _("How it was handled"),
        _("Number of people"),
    ]
    return xlsx_response(
        request=request,
        filename=f"so-tiep-cong-dan-{start:%Y%m%d}-{end:%Y%m%d}",
        title=_("Reception log"),
        headers=headers,
        rows=(
            [
                r.visit.session.agency.name,
                r.visit.serial,
                r.visit.session.date,
                r.visitor.name,
                r.visitor.address,
                r.visitor.id_number,
                r.visit.content,
                r.visit.prior_handling,
                r.visit.request,
                r.handled,
                r.visit.group_size,
            ]
            for r in rows
        ),
    )
