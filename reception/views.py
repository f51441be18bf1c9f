"""Pages of citizen reception. Views are thin: forms parse, services write, selectors read; every
staff lookup goes through ``gov.scoping`` and what is out of scope is a 404."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gov import authority
from gov.authority import Act
from gov.db import in_vietnamese_order
from gov.exports import csv_response, xlsx_response
from gov.models import Agency, User
from gov.scoping import get_scoped_or_404

from . import forms, selectors, services
from .models import FrequencyRule, ReceptionEvent, ReceptionSession, Schedule, Visit

CALENDAR_DAYS_AHEAD = 60
STAFF_CALENDAR_DAYS_BEHIND = 14  # entries held lately but not yet logged stay in view
STAFF_CALENDAR_DAYS_AHEAD = 30
# Compliance is a report on the heads' duty: for those who organise reception (reception
# officers), those who answer for it (leaders) and administrators; not for case handlers.
COMPLIANCE_ROLES = {User.Role.RECEPTION_OFFICER, User.Role.LEADER, User.Role.ADMINISTRATOR}


def _staff_or_404(request: HttpRequest) -> User:
    user = request.user
    if not (user.is_superuser or user.agency_id):
        raise Http404
    return user


def _may_record(user: User, agency: Agency | None = None) -> bool:
    """Whether ``user`` may log sessions of ``agency`` (their own, by default)."""
    agency = agency or user.agency
    return bool(agency and authority.may_act(user, Act.RECEPTION, agency))


def _recorder_or_404(request: HttpRequest) -> User:
    """Staff who may write their own agency's calendar and sessions."""
    user = request.user
    if not _may_record(user):
        raise Http404
    return user


def _may_see_compliance(user: User) -> bool:
    return user.is_superuser or (bool(user.agency_id) and user.role in COMPLIANCE_ROLES)


def _with_defaults(query: QueryDict, **defaults: object) -> QueryDict:
    """A filter form is always bound, so its fields show the defaults it applied."""
    data = query.copy()
    for key, value in defaults.items():
        if not data.get(key):
            data[key] = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
    return data


def _add_service_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


# --- public ------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class EntryRow:
    entry: Schedule
    session: ReceptionSession | None

    @property
    def state(self) -> str:
        return self.entry.state


def _entry_row(entry: Schedule) -> EntryRow:
    # The reverse one-to-one raises when no session was logged; select_related loaded it.
    return EntryRow(entry=entry, session=getattr(entry, "session", None))


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """Staff: the sessions in scope, and the calendar of the user's own agency."""
    user = _staff_or_404(request)
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
    user = _recorder_or_404(request)
    form = forms.ScheduleForm(request.POST or None, agency=user.agency)
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = services.schedule_add(agency=user.agency, by=user, **form.cleaned_data)
            except ValidationError as exc:
                _add_service_errors(form, exc)
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
    user = _recorder_or_404(request)
    form = forms.RecurringScheduleForm(request.POST or None, agency=user.agency)
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.schedule_add_recurring(
                    agency=user.agency, by=user, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_service_errors(form, exc)
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
                _add_service_errors(form, exc)
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


# --- staff: sessions and visits ----------------------------------------------------------------


def _entry_to_prefill(user: User, value: str | None) -> Schedule | None:
    """The calendar entry of ``user``'s agency named in the query string or the form."""
    if not value:
        return None
    if not str(value).isdigit():
        raise Http404
    return get_scoped_or_404(
        user,
        Schedule.objects.select_related("agency", "session"),
        pk=int(value),
        agency_id=user.agency_id,
    )


@login_required
def session_log(request: HttpRequest) -> HttpResponse:
    """Log a session as held, from scratch or from a calendar entry (``?lich=<pk>``)."""
    user = _recorder_or_404(request)
    if request.method == "POST":
        form = forms.SessionForm(request.POST, user=user)
        entry = _entry_to_prefill(user, request.POST.get("schedule"))
        if form.is_valid():
            try:
                session = _log_session(user, form.cleaned_data)
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Session of %(day)s logged.") % {"day": _day(session.date)}
                )
                if session.delegation_warning:
                    messages.warning(request, session.delegation_warning)
                return redirect("reception:session", pk=session.pk)
        return render(
            request, "reception/session_form.html", {"form": form, "entry": entry}, status=400
        )
    entry = _entry_to_prefill(user, request.GET.get("lich"))
    initial = {}
    if entry is not None:
        row = _entry_row(entry)
        if row.session is not None:
            messages.info(request, _("A session was already logged for this calendar entry."))
            return redirect("reception:session", pk=row.session.pk)
        if row.state == Schedule.State.CANCELLED:
            messages.error(request, _("This calendar entry was cancelled."))
            entry = None
        else:
            initial = {
                "schedule": entry.pk,
                "kind": entry.kind,
                "date": min(entry.date, timezone.localdate()),
                "presider_name": entry.host,
                "place": entry.place,
            }
    form = forms.SessionForm(initial=initial, user=user)
    return render(request, "reception/session_form.html", {"form": form, "entry": entry})


def _log_session(user: User, d: dict) -> ReceptionSession:
    return services.session_log(
        agency=user.agency,
        by=user,
        schedule=d["schedule"],
        kind=d["kind"],
        date=d["date"],
        presider_type=d["presider_type"],
        presider_name=d["presider_name"].strip(),
        place=d["place"].strip(),
        officers=list(d["officers"]),
        ad_hoc_reason=d["ad_hoc_reason"],
        note=d["note"],
    )


@dataclass(frozen=True)
class VisitRow:
    visit: Visit
    visitor: selectors.VisitorView
    case_pk: int | None

    @property
    def handled(self) -> str:
        return handled_text(self.visit)


def _visit_rows(user: User, visits: list[Visit], *, export: bool = False) -> list[VisitRow]:
    cases = selectors.petition_cases(user, visits)
    return [
        VisitRow(
            visit=v,
            visitor=selectors.visitor_for(user, v, export=export),
            case_pk=cases.get(v.petition_id),
        )
        for v in visits
    ]


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session with its visitors and its events; its own agency's staff add visitors here."""
    user = _staff_or_404(request)
    session = get_scoped_or_404(
        user,
        ReceptionSession.objects.select_related(
            "agency", "agency__unit", "schedule", "recorded_by"
        ),
        pk=pk,
    )
    form = forms.VisitForm(request.POST or None, unit=session.agency.unit)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                visit = services.visit_log(session=session, by=user, data=form.visit_data())
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                _report_visit(request, visit)
                return redirect(reverse("reception:session", args=[pk]) + f"#visit-{visit.pk}")
        status = 400
    visits = list(selectors.visits_for(user).filter(session=session).order_by("serial"))
    context = {
        "session": session,
        "rows": _visit_rows(user, visits),
        "officers": session.officers.order_by(
            in_vietnamese_order("last_name"), in_vietnamese_order("first_name")
        ),
        "events": _event_rows(session),
        "form": form,
        "can_record": _may_record(user, session.agency),
    }
    return render(request, "reception/session.html", context, status=status)


def _event_rows(session: ReceptionSession) -> list[tuple[ReceptionEvent, str]]:
    outcomes = dict(Visit.Outcome.choices)
    return [
        (
            e,
            outcomes.get(e.data.get("outcome"), "")
            if e.kind == ReceptionEvent.Kind.VISIT_LOGGED
            else "",
        )
        for e in session.events.select_related("actor")
    ]


def _report_visit(request: HttpRequest, visit: Visit) -> None:
    text = _("Visit no. %(serial)s/%(year)s recorded.") % {
        "serial": visit.serial,
        "year": visit.year,
    }
    if visit.petition_id:
        text += " " + _(
            "Petition %(code)s received: it follows the petitions procedure. Give the citizen the "
            "tracking code and this secret, shown only now: %(secret)s"
        ) % {"code": visit.petition.code, "secret": getattr(visit, "petition_secret", "")}
    messages.success(request, text)
    if visit.is_group:
        messages.warning(
            request,
            _("A group of %(n)s people: the leaders of the unit have been told.")
            % {"n": visit.group_size},
        )


# --- staff: the reception log ------------------------------------------------------------------


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    last = month_calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def handled_text(visit: Visit) -> str:
    """How the visit was handled, as the log's column says it."""
    parts = [visit.get_outcome_display()]
    if visit.refusal_ground:
        parts.append(visit.get_refusal_ground_display())
    if visit.handling:
        parts.append(visit.handling)
    if visit.petition_id:
        parts.append(_("petition %(code)s") % {"code": visit.petition.code})
    return ": ".join(parts[:2]) + "".join(f"; {p}" for p in parts[2:])


@login_required
def reception_log(request: HttpRequest) -> HttpResponse:
    """The reception log (sổ tiếp công dân, Luật Tiếp công dân Art. 25) for a period."""
    user = _staff_or_404(request)
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


# --- staff: compliance with the legal frequency ------------------------------------------------


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
def compliance(request: HttpRequest) -> HttpResponse:
    """Whether each head in scope received citizens in person as often as the law requires."""
    user = request.user
    if not _may_see_compliance(user):
        raise Http404
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
