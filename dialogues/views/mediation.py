"""Grassroots mediation (hòa giải ở cơ sở): teams, cases, outcomes, and the results per commune."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaints import selectors as petition_selectors
from dialogues import forms, selectors, services
from dialogues.models import (
    MediationCase,
    MediationTeam,
)
from dialogues.views.common import (
    PAGE_SIZE,
    Action,
    calls,
    create_page,
    create_view,
    offered_forms,
    query_without_page,
    run_action,
)
from gov import charts
from gov.authority import Act
from gov.errors import Refused
from gov.guards import staff_view
from gov.models import Agency
from gov.replicas import reads_from_replica

# --- staff: grassroots mediation -------------------------------------------------------------


@staff_view
def mediation(request: HttpRequest) -> HttpResponse:
    """Teams in scope with what the law asks of them, and the mediation log."""
    user = request.user
    teams = []
    for t in selectors.teams_for(user):
        members = [m for m in t.members.all() if m.is_active]
        teams.append((t, members, selectors.team_warnings(t, members)))
    cases = selectors.mediations_for(user)
    outcome = request.GET.get("outcome", "")
    if outcome in MediationCase.Outcome.values:
        cases = cases.filter(outcome=outcome)
    return render(
        request,
        "dialogues/mediation.html",
        {
            "teams": teams,
            "page": Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page")),
            "outcomes": MediationCase.Outcome.choices,
            "outcome": outcome,
            "today": timezone.localdate(),
            "query": query_without_page(request),
        },
    )


def _mediation_owner(unit: object) -> Agency | None:
    """The commune People's Committee that keeps mediation there; ``None`` if it is gone
    (the page then offers no action rather than failing)."""
    try:
        return services.commune_agency(unit)
    except Refused:
        return None


team_new = create_view(
    forms.TeamForm,
    services.team_create,
    template="dialogues/team_new.html",
    done=gettext_lazy("Mediation team created. Now add its mediators."),
    to="dialogues:team",
)


def _team_page(
    request: HttpRequest, team: MediationTeam, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    members = list(team.members.all())
    return render(
        request,
        "dialogues/team.html",
        {
            "team": team,
            "members": members,
            "warnings": selectors.team_warnings(team, members),
            "cases": selectors.mediations_for(request.user).filter(team=team)[:PAGE_SIZE],
            "forms": offered_forms(TEAM_ACTIONS, request.user, bound, _mediation_owner(team.unit)),
            "today": timezone.localdate(),
        },
        status=status,
    )


TEAM_ACTIONS = {
    "mediator": Action(
        forms.MediatorForm,
        calls(services.mediator_add, "team"),
        gettext_lazy("Mediator added."),
        Act.MEDIATION,
    ),
}


@staff_view
def team(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_page(request, get_object_or_404(selectors.teams_for(request.user), pk=pk))


@staff_view
@require_POST
def team_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    t = get_object_or_404(selectors.teams_for(request.user), pk=pk)
    return run_action(request, t, TEAM_ACTIONS, action, _team_page, "dialogues:team")


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return int(value)


@staff_view
def mediation_new(request: HttpRequest) -> HttpResponse:
    """Open a mediation case; ``?don=<petition item>`` sends a petition's civil dispute to
    mediation first, ``?to=<team>`` chooses the team."""
    user = request.user
    item_pk, team_pk = _int_param(request, "don"), _int_param(request, "to")
    item = petition_selectors.item_get(user, item_pk) if item_pk else None
    chosen = get_object_or_404(selectors.teams_for(user), pk=team_pk) if team_pk else None
    initial = {"dispute": item.summary} if item else {}
    form = forms.MediationOpenForm(request.POST or None, user=user, team=chosen, initial=initial)
    return create_page(
        request,
        form,
        lambda d: services.mediation_open(by=user, source_item=item, **d),
        template="dialogues/mediation_new.html",
        done=_("Mediation case opened."),
        to="dialogues:mediation_case",
        context={"item": item, "team": chosen},
    )


CASE_ACTIONS = {
    "start": Action(
        forms.StartForm,
        calls(services.mediation_start, "case"),
        gettext_lazy("Start of the mediation recorded."),
        Act.MEDIATION,
    ),
    "conclude": Action(
        forms.ConcludeForm,
        calls(services.mediation_conclude, "case"),
        gettext_lazy("Outcome recorded."),
        Act.MEDIATION,
    ),
    "follow-up": Action(
        forms.FollowUpForm,
        calls(services.mediation_follow_up, "case"),
        gettext_lazy("Follow-up recorded."),
        Act.MEDIATION,
    ),
}


def _case_page(
    request: HttpRequest, case: MediationCase, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "dialogues/mediation_case.html",
        {
            "case": case,
            "today": timezone.localdate(),
            "events": selectors.history(case),
            "forms": offered_forms(
                CASE_ACTIONS, request.user, bound, _mediation_owner(case.team.unit)
            ),
        },
        status=status,
    )


@staff_view
def mediation_case(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, get_object_or_404(selectors.mediations_for(request.user), pk=pk))


@staff_view
@require_POST
def mediation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = get_object_or_404(selectors.mediations_for(request.user), pk=pk)
    return run_action(request, case, CASE_ACTIONS, action, _case_page, "dialogues:mediation_case")


@staff_view
@reads_from_replica
def grassroots(request: HttpRequest) -> HttpResponse:
    """Per commune: disputes settled at the grassroots against those that went up as
    petitions, for a period (this year by default)."""
    today = timezone.localdate()
    default = {"start": dt.date(today.year, 1, 1), "end": today}
    form = forms.PeriodForm(request.GET or None, initial=default)
    period = form.cleaned_data if form.is_bound and form.is_valid() else default
    rows = selectors.grassroots_results(request.user, start=period["start"], end=period["end"])
    settled, escalated = _("Settled at the grassroots"), _("Went up as petitions")
    chart = charts.grouped_bars(
        chart_id="grassroots-chart",
        title=_("Settled at the grassroots and went up as petitions, per commune"),
        desc=_(
            "For each commune, two bars: disputes settled by mediation, and civil disputes that"
            " came as petitions."
        ),
        groups=[
            (
                r.unit.name,
                [
                    (settled, r.settled, "bar-settled", ""),
                    (escalated, r.escalated_petitions, "bar-escalated", ""),
                ],
            )
            for r in rows
        ],
    )
    totals = {
        name: sum(getattr(r, name) for r in rows)
        for name in ("mediations", "settled", "not_settled", "pending", "escalated_petitions")
    }
    return render(
        request,
        "dialogues/grassroots.html",
        {
            "form": form,
            "period": period,
            "rows": rows,
            "chart": chart,
            "totals": totals,
            "series": [(settled, "bar-settled"), (escalated, "bar-escalated")],
        },
        status=400 if form.is_bound and form.errors else 200,
    )
