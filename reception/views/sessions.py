"""Reception sessions (buổi tiếp công dân) logged as held, and the visits (lượt tiếp) recorded
in them; a visit may become a petition."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gov.db import in_vietnamese_order
from gov.errors import refusal_to_form
from gov.guards import staff_user, staff_view
from gov.models import User
from gov.scoping import get_scoped_or_404
from reception import forms, selectors, services
from reception.models import ReceptionEvent, ReceptionSession, Schedule, Visit
from reception.views.common import (
    _day,
    _entry_row,
    _may_record,
    _recorder_page,
)


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
    user = _recorder_page(request)
    if request.method == "POST":
        form = forms.SessionForm(request.POST, user=user)
        entry = _entry_to_prefill(user, request.POST.get("schedule"))
        if form.is_valid():
            try:
                session = _log_session(user, form.cleaned_data)
            except ValidationError as exc:
                refusal_to_form(form, exc)
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


@staff_view
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session with its visitors and its events; its own agency's staff add visitors here."""
    user = staff_user(request)
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
                refusal_to_form(form, exc)
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
