"""Compliance with the legal frequency: whether each head in scope received citizens in person
as often as the law requires (Luật Tiếp công dân Art. 15, 18), on the page and exported."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gov.exports import csv_response, xlsx_response
from gov.guards import role_page
from gov.replicas import reads_from_replica
from reception import forms, selectors
from reception.models import FrequencyRule
from reception.views.common import _may_see_compliance, _with_defaults


@dataclass(frozen=True)
class ComplianceLine:
    """A head's compliance for the month as of today: a period not over yet is not missed."""

    row: selectors.ComplianceRow
    missed: list[selectors.Period]
    still_open: list[selectors.Period]

    @classmethod
    def of(cls, row: selectors.ComplianceRow) -> ComplianceLine:
        return cls(
            row=row,
            missed=row.missed_periods,
            still_open=[p for p in row.periods_in_progress if p.missed],
        )

    @property
    def status(self) -> str:
        if self.missed:
            return "no"
        return "open" if self.still_open else "yes"

    def status_text(self) -> str:
        return {"yes": _("Yes"), "no": _("No"), "open": _("So far yes, the month is not over")}[
            self.status
        ]

    def rule_text(self) -> str:
        rule = self.row.rule
        return ngettext(
            "%(days)s day per %(period)s", "%(days)s days per %(period)s", rule.days
        ) % {"days": rule.days, "period": rule.get_period_display()}


def period_label(period: selectors.Period, rule: FrequencyRule) -> str:
    """ "week 21 (19/05–25/05)": the selector's "W21" is neither translated nor self-evident."""
    if rule.period == FrequencyRule.Period.MONTH:
        return period.label
    week = _("week %(n)s") % {"n": period.start.isocalendar().week}
    return f"{week} ({period.start:%d/%m}–{period.end:%d/%m})"


@login_required
@reads_from_replica
def compliance(request: HttpRequest) -> HttpResponse:
    """Whether each head in scope received citizens in person as often as the law requires."""
    user = role_page(
        request,
        allowed=_may_see_compliance(request.user),
        audience=_("This page is for leaders and the reception office."),
    )
    today = timezone.localdate()
    form = forms.ComplianceFilterForm(
        _with_defaults(request.GET, month=today.month, year=today.year), user=user
    )
    if not form.is_valid():
        return render(request, "reception/compliance.html", {"form": form}, status=400)
    d = form.cleaned_data
    rows = selectors.compliance(user, year=d["year"], month=d["month"], unit=d["unit"])
    lines = [ComplianceLine.of(r) for r in rows]
    fmt = request.GET.get("format")
    if fmt in {"xlsx", "csv"}:
        return _compliance_export(request, lines, fmt=fmt, year=d["year"], month=d["month"])
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "reception/compliance.html",
        {
            "form": form,
            "lines": [
                (
                    line,
                    line.rule_text(),
                    [period_label(p, line.row.rule) for p in line.missed],
                    [period_label(p, line.row.rule) for p in line.still_open],
                )
                for line in lines
            ],
            "summary": {
                "heads": len(lines),
                "complying": sum(line.status == "yes" for line in lines),
                "failing": sum(line.status == "no" for line in lines),
                "open": sum(line.status == "open" for line in lines),
                "missed": sum(len(line.missed) for line in lines),
            },
            "month": f"{d['month']:02d}/{d['year']}",
            "query": query.urlencode(),
        },
    )


def _compliance_export(
    request: HttpRequest, lines: list[ComplianceLine], *, fmt: str, year: int, month: int
) -> HttpResponse:
    headers = [
        _("Agency"),
        _("Unit"),
        _("Rule"),
        _("Legal source"),
        _("Days required"),
        _("Held in person"),
        _("Delegated"),
        _("Missed periods"),
        _("Complies"),
    ]
    rows = [
        [
            line.row.agency.name,
            str(line.row.agency.unit),
            line.rule_text(),
            line.row.rule.source,
            line.row.required,
            line.row.held_in_person,
            line.row.delegated,
            ", ".join(period_label(p, line.row.rule) for p in line.missed),
            line.status_text(),
        ]
        for line in lines
    ]
    filename = f"tuan-thu-tiep-cong-dan-{year}-{month:02d}"
    if fmt == "csv":
        return csv_response(request=request, filename=filename, headers=headers, rows=rows)
    return xlsx_response(
        request=request,
        filename=filename,
        title=_("Compliance %(month)s") % {"month": f"{month:02d}-{year}"},
        headers=headers,
        rows=rows,
    )
