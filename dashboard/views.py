"""The leaders' overview page and its export. The view reads the selectors and turns every
number into a link to the list behind it, when that list can show exactly those items."""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaints.detection import unverified_beside
from complaints.filters import InboxFilter
from dialogues.selectors import status_labels
from gov import charts, exports, jobs
from gov.guards import role_page
from gov.models import AdministrativeUnit
from gov.replicas import reads_from_replica

from . import selectors
from .selectors import AGING, DeadlineBoard, DeadlineCounts, DeadlineRow

# django-filter's range widgets: a filter ``due_on`` reads ``due_on_after`` and ``due_on_before``.
RANGE_SUFFIXES = ("_after", "_before")
COMMITMENT_STATUSES = ("overdue", "due_soon", "kept")


@dataclass(frozen=True)
class Cell:
    """A number, linked to the list it counts when there is one. ``{{ cell }}`` writes it
    (in Python: a province's tables hold hundreds of them)."""

    value: int
    url: str = ""
    note: str = ""  # said beside the number in the headline (not in tables)

    def __html__(self) -> SafeString:
        value = int(self.value)  # a number, and the URL escaped: the markup is safe
        if self.url:
            return mark_safe(f'<a href="{html.escape(self.url)}">{value}</a>')
        return mark_safe(str(value))

    __str__ = __html__


def inbox_url(**params: object) -> str:
    """The inbox filtered by ``params``, or "" when the inbox has no filter for one of them:
    a number leads to exactly the items it counts, never to a wider list that looks like it."""
    if not _inbox_filters(frozenset(params)):
        return ""
    return f"{_inbox()}?{urlencode(params)}"


@functools.cache
def _inbox_filters(keys: frozenset[str]) -> bool:
    """Whether the inbox has a filter for each of ``keys``."""
    names = InboxFilter.base_filters
    for key in keys:
        base = next((key.removesuffix(s) for s in RANGE_SUFFIXES if key.endswith(s)), key)
        if key not in names and base not in names:
            return False
    return True


@functools.cache
def _inbox() -> str:
    return reverse("complaints:inbox")


def page_url(name: str, **params: object) -> str:
    """A page of another app, or "" while that app does not have it."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(params)}" if params else url


def aging_labels() -> dict[str, str]:
    return {
        "1-5": _("1–5 days"),
        "6-10": _("6–10 days"),
        "11-30": _("11–30 days"),
        "31+": _("over 30 days"),
    }


def due_soon_label(days: int) -> str:
    return ngettext("Due within %(n)s working day", "Due within %(n)s working days", days) % {
        "n": days
    }


def _row_filters(dimension: str, obj: object) -> dict[str, object] | None:
    """The inbox filters that select one row's items; None when no filter can."""
    if obj is None:
        return None
    if dimension == "units":
        # The inbox offers today's communes and wards only; a petition placed in a former
        # unit shows in its row here, unlinked.
        if obj.level != AdministrativeUnit.Level.COMMUNE or obj.valid_to is not None:
            return None
        return {"unit": obj.pk}
    return {"agencies": {"agency": obj.pk}, "handlers": {"handler": obj.pk}}[dimension]


def _columns(board: DeadlineBoard) -> list[tuple[frozenset[str], str]]:
    """The inbox filters of each column (overdue, due soon, then each aging band): their
    names, and encoded for a URL."""
    columns: list[dict[str, object]] = [
        {"overdue": "true"},
        {"due_within": board.due_soon_days},
    ]
    for band in AGING:
        earliest, latest = band.due_range(board.today)
        bounds = {"due_on_after": earliest.isoformat()} if earliest else {}
        columns.append({"overdue": "true", "due_on_before": latest.isoformat(), **bounds})
    return [(frozenset(column), urlencode(column)) for column in columns]


def _cells(
    counts: DeadlineCounts,
    filters: dict | None,
    board: DeadlineBoard,
    columns: list[tuple[frozenset[str], str]] | None = None,
) -> list[Cell]:
    """Overdue, due soon, then each aging band, each linked when the inbox can filter it
    (``inbox_url`` of the column's and the row's filters, the column part encoded once)."""
    values = [counts.overdue, counts.due_soon, *(counts.aging[band.key] for band in AGING)]
    if filters is None:
        return [Cell(value) for value in values]
    row, names = urlencode(filters), frozenset(filters)
    cells = []
    for value, (column, query) in zip(values, columns or _columns(board), strict=True):
        if _inbox_filters(column | names):
            cells.append(Cell(value, f"{_inbox()}?{query}&{row}" if row else f"{_inbox()}?{query}"))
        else:
            cells.append(Cell(value))
    return cells


def _row_html(cells: list[Cell]) -> SafeString:
    """A table row's numbers as ``<td>`` cells, the first one marked when something is overdue.
    Written in Python: a province's three tables hold some 300 rows, which the template engine
    took about 15 ms to loop through."""
    return mark_safe(
        "".join(
            f'<td class="num{" dash-overdue" if n == 0 and cell.value else ""}">'
            f"{cell.__html__()}</td>"
            for n, cell in enumerate(cells)
        )
    )


def _table(board: DeadlineBoard, dimension: str) -> list[tuple[str, SafeString]]:
    rows: list[DeadlineRow] = getattr(board, dimension)
    columns = _columns(board)
    return [
        (
            row.name or _("Not assigned yet"),
            _row_html(_cells(row.counts, _row_filters(dimension, row.obj), board, columns)),
        )
        for row in rows
    ]


def _charts(months: list[selectors.Month]) -> dict[str, object]:
    labels = [m.label for m in months]
    return {
        "received": charts.bar_chart(
            chart_id="chart-received",
            title=_("Petition items received per month"),
            desc=_("Items received in each of the last 12 months."),
            labels=labels,
            values=[m.received for m in months],
            x_label=_("Month"),
            y_label=_("Items received"),
        ),
        "on_time": charts.line_chart(
            chart_id="chart-on-time",
            title=_("Share of items concluded on time per month"),
            desc=_(
                "Items concluded on or before their due date, as a share of the items "
                "concluded in the month."
            ),
            labels=labels,
            values=[m.on_time_rate for m in months],
            x_label=_("Month"),
            y_label=_("Concluded on time"),
            empty_text=_("nothing concluded"),
        ),
    }


def _others(figures: selectors.Overview) -> dict[str, object]:
    """Reception compliance this month, mediation this year, commitments, and the answers,
    replies and results owed past their day."""
    compliance = figures.compliance
    compliance_url = page_url("reception:compliance", year=compliance.year, month=compliance.month)
    mediation = figures.mediation
    mediation_url = page_url("dialogues:grassroots")
    commitments = figures.commitments
    owed = figures.follow_ups
    labels = status_labels()
    return {
        "compliance": compliance,
        "compliance_cells": [
            (_("Complying"), Cell(compliance.complying, compliance_url)),
            (_("Missed a session"), Cell(compliance.missed, compliance_url)),
            (_("Not yet, the period is not over"), Cell(compliance.pending, compliance_url)),
        ],
        "mediation": mediation,
        "mediation_cells": [
            (_("Settled at the grassroots"), Cell(mediation.settled, mediation_url)),
            (_("Went up as petitions"), Cell(mediation.escalated, mediation_url)),
        ],
        "commitment_cells": [
            (
                labels[key],
                Cell(commitments[key], page_url("dialogues:commitments", status=key)),
            )
            for key in COMMITMENT_STATUSES
        ],
        "follow_up_cells": [
            (
                _("Written answers to council questions overdue"),
                Cell(owed.questions_overdue, page_url("dialogues:council") + "#overdue-title"),
            ),
            (
                _("Replies to voters' recommendations overdue"),
                Cell(owed.recommendations_overdue, page_url("dialogues:voters", overdue=1)),
            ),
            (
                _("Dialogue results not published in time"),
                Cell(
                    owed.dialogue_results_overdue,
                    page_url("dialogues:dialogues", results="overdue"),
                ),
            ),
        ],
    }


def _export(request: HttpRequest, board: DeadlineBoard, fmt: str) -> HttpResponse:
    groups = {"units": _("Commune or ward"), "agencies": _("Agency"), "handlers": _("Handler")}
    headers = [
        _("Grouped by"),
        _("Unit, agency or handler"),
        _("Overdue"),
        due_soon_label(board.due_soon_days),
        *(_("Overdue by %(band)s") % {"band": label} for label in aging_labels().values()),
    ]

    def line(group: str, name: str, counts: DeadlineCounts) -> list[object]:
        return [group, name, counts.overdue, counts.due_soon, *counts.aging.values()]

    rows = [line(_("Total"), _("All I may see"), board.total)]
    for dimension, group in groups.items():
        rows += [
            line(group, row.name or _("Not assigned yet"), row.counts)
            for row in getattr(board, dimension)
        ]
    filename = f"tong-quan-han-xu-ly-{board.today:%Y-%m-%d}"
    if fmt == "xlsx":
        return exports.xlsx_response(
            request=request, filename=filename, title=_("Deadlines"), headers=headers, rows=rows
        )
    return exports.csv_response(request=request, filename=filename, headers=headers, rows=rows)


@login_required
@reads_from_replica
def overview(request: HttpRequest) -> HttpResponse:
    """The leaders' overview (tổng quan): deadlines, alerts, reception, mediation, commitments
    and the trends of the last 12 months, all within the leader's scope."""
    user = role_page(
        request,
        allowed=selectors.may_see_dashboard(request.user),
        audience=_("This page is for leaders."),
    )
    fmt = request.GET.get("format")
    if fmt in {"xlsx", "csv"}:  # a file is always counted afresh
        return _export(request, selectors.deadline_board(user), fmt)
    figures = selectors.overview_figures(user)
    board, alerts = figures.board, figures.alerts
    trends = selectors.monthly_trends(user, today=board.today)
    months = trends.months
    total = _cells(board.total, {}, board)
    labels = aging_labels()
    return render(
        request,
        "dashboard/overview.html",
        {
            "board": board,
            "headline": [
                (_("Overdue"), total[0]),
                (due_soon_label(board.due_soon_days), total[1]),
                (_("Skip-level (open)"), Cell(alerts.skip_level, inbox_url(skip_level="true"))),
                (
                    _("Mass complaints (open)"),
                    Cell(
                        alerts.mass,
                        inbox_url(mass="true"),
                        note=unverified_beside(alerts.unverified),
                    ),
                ),
                (_("Open hotspot alerts"), Cell(alerts.hotspots)),
            ],
            "aging": list(zip(labels.values(), total[2:], strict=True)),
            "aging_labels": list(labels.values()),
            "tables": [
                ("units", _("By commune or ward"), _("Commune or ward"), _table(board, "units")),
                ("agencies", _("By agency"), _("Agency"), _table(board, "agencies")),
                ("handlers", _("By handler"), _("Handler"), _table(board, "handlers")),
            ],
            "months": months,
            "trends_as_of": trends.as_of,
            "charts": _charts(months),
            "as_of": figures.as_of,
            "sweep_missed": jobs.sweep_missed_today(),
            **_others(figures),
        },
    )
