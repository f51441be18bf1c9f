"""Pages of accountability: the public dialogues and promises, and the staff pages of the
commitment tracker, dialogues, grassroots mediation and the People's Council.

Views are thin: forms parse, services write (a refusal becomes a form error and a 400), and
every list or lookup goes through ``gov.scoping`` or a ``*_for`` selector, so what is out of
scope is a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaints import selectors as petition_selectors
from gov import authority, exports
from gov.authority import Act
from gov.models import Agency, User
from gov.scoping import can_see_anything, get_scoped_or_404, scoped
from reception.models import ReceptionSession

from . import forms, selectors, services
from .models import (
    Commitment,
    CommitmentSource,
    CouncilResolution,
    CouncilSession,
    Dialogue,
    MediationCase,
    MediationTeam,
    VoterMeeting,
    VoterRecommendation,
)

PAGE_SIZE = 50


def staff_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in, and an account that may see something (an agency, or a superuser)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not can_see_anything(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


# --- forms and services ---------------------------------------------------------------------


def _apply(form: Form, call: Callable[[dict], object]) -> object | None:
    """Validate ``form`` and call the service with its data. A refusal of the service (a
    ``ValidationError``) becomes an error of the form; ``None`` means "show the form again"."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None


def _invalid(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    messages.error(request, _("Please correct the form below."))
    return render(request, template, context, status=400)


@dataclass(frozen=True)
class Action:
    """One form on a page and the service it calls: ``call(obj, user, cleaned_data)``."""

    form: type[Form]
    call: Callable[[object, User, dict], object]
    done: str
    act: str  # what ``gov.authority`` calls it: the page offers it to those who may
    needs_user: bool = False

    def build(self, name: str, user: User, data: QueryDict | None = None) -> Form:
        kwargs: dict = {"prefix": name}
        if self.needs_user:
            kwargs["user"] = user
        return self.form(data, **kwargs)


def _forms(
    actions: dict[str, Action], user: User, bound: dict[str, Form] | None, owner: Agency | None
) -> dict:
    """The form of every action ``user`` may take for a record of ``owner`` (the others are
    not offered), unbound unless ``bound`` has it; keys usable in templates. A bound form is
    always shown, with the refusal that sent it back."""
    built = {
        **{
            name: a.build(name, user)
            for name, a in actions.items()
            if owner is not None and authority.may_act(user, a.act, owner)
        },
        **(bound or {}),
    }
    return {name.replace("-", "_"): form for name, form in built.items()}


def _run_action(
    request: HttpRequest,
    obj: object,
    actions: dict[str, Action],
    action: str,
    page: Callable[..., HttpResponse],
) -> HttpResponse | None:
    """POST of one action form: ``None`` when done (the caller redirects), else the page
    again with the form's errors and what was typed, as a 400."""
    if action not in actions:
        raise Http404
    spec = actions[action]
    form = spec.build(action, request.user, request.POST)
    if _apply(form, lambda d: spec.call(obj, request.user, d)) is None:
        # A refusal (who may act, or what the record's state allows) is said at the top too:
        # the page may no longer show the form it came from (a cancelled dialogue's).
        refusals = form.non_field_errors()
        messages.error(request, " ".join(refusals) or _("Please correct the form below."))
        return page(request, obj, {action: form}, status=400)
    messages.success(request, str(spec.done))
    return None


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    return query.urlencode()


# --- charts: inline SVG, drawn on the server ------------------------------------------------


def bar_chart(
    groups: list[tuple[str, list[tuple[str, int, str, str]]]],
    *,
    label_width: int = 170,
    bar_max: int = 360,
    bar_height: int = 20,
) -> dict:
    """Coordinates of a horizontal bar chart: one group per row label, one bar per series
    (``(name, value, css_class, url)``). The template draws it with ``<title>`` and text
    labels, so it reads without JavaScript and without the colours."""
    top = max((bar[1] for _label, bars in groups for bar in bars), default=0) or 1
    rows, y = [], 8
    for label, bars in groups:
        first = y
        drawn = []
        for name, value, css, url in bars:
            width = round(value / top * bar_max)
            drawn.append(
                {
                    "name": name,
                    "value": value,
                    "css": css,
                    "url": url,
                    "y": y,
                    "width": width,
                    "height": bar_height,
                    "text_x": label_width + width + 6,
                    "text_y": y + bar_height - 5,
                }
            )
            y += bar_height + 2
        rows.append({"label": label, "label_y": (first + y) // 2 + 3, "bars": drawn})
        y += 10
    linked = any(bar["url"] for row in rows for bar in row["bars"])
    return {
        "rows": rows,
        "x": label_width,
        "width": label_width + bar_max + 60,
        "height": y,
        # a picture, unless its bars are links that assistive technology must reach
        "role": "group" if linked else "img",
    }


def _status_chart(counts: dict[str, int], url: Callable[[str], str]) -> dict:
    labels = selectors.status_labels()
    return bar_chart(
        [(labels[key], [(labels[key], counts[key], f"bar-{key}", url(key))]) for key in labels]
    )


def _count_rows(
    counts: dict[str, int], url: Callable[[str], str]
) -> list[tuple[str, str, int, str]]:
    return [(k, label, counts[k], url(k)) for k, label in selectors.status_labels().items()]


# --- the commitment tracker: sources --------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a promise was made: what to call it and which staff page shows it."""

    label: str
    url: str = ""


def source_of(c: Commitment) -> Source:
    """Only the rows ``commitments_for`` joins are read: no query per commitment."""
    if c.dialogue_id:
        return Source(str(c.dialogue), reverse("dialogues:dialogue", args=[c.dialogue_id]))
    if c.question_id:
        s = c.question.session
        return Source(
            _("Session %(n)s (%(term)s), question of %(deputy)s")
            % {"n": s.number, "term": s.term, "deputy": c.question.deputy},
            reverse("dialogues:session", args=[s.pk]),
        )
    if c.resolution_id:
        return Source(
            _("Resolution %(number)s") % {"number": c.resolution.number},
            reverse("dialogues:session", args=[c.resolution.session_id]),
        )
    if c.voter_recommendation_id:
        return Source(
            str(c.voter_recommendation),
            reverse("dialogues:recommendation", args=[c.voter_recommendation_id]),
        )
    if c.reception_session_id:
        return Source(
            _("Reception session of %(day)s")
            % {"day": c.reception_session.date.strftime("%d/%m/%Y")},
            _reception_url(c.reception_session_id),
        )
    return Source("—")


def _labelled(commitments: object) -> list[tuple[Commitment, str]]:
    """Each commitment with the label of its status, in the language of the request."""
    labels = selectors.status_labels()
    return [(c, labels[c.status]) for c in commitments]


def _reception_url(pk: int) -> str:
    try:
        return reverse("reception:session", args=[pk])
    except NoReverseMatch:  # the reception pages are optional here
        return ""


def _source_querysets(user: User) -> dict[str, QuerySet]:
    return {
        CommitmentSource.DIALOGUE: selectors.dialogues_for(user),
        CommitmentSource.COUNCIL_QUESTION: selectors.questions_for(user),
        CommitmentSource.COUNCIL_RESOLUTION: scoped(
            user, CouncilResolution.objects.select_related("session", "session__council")
        ),
        CommitmentSource.VOTER_RECOMMENDATION: selectors.voter_recommendations_for(user),
        CommitmentSource.RECEPTION: scoped(user, ReceptionSession.objects.select_related("agency")),
    }


def _commitment_defaults(source: str, obj: object, user: User) -> tuple[dict, str]:
    """What the form starts with for a promise made in ``obj``, and the page to go back to."""
    today = timezone.localdate()
    if source == CommitmentSource.DIALOGUE:
        initial = {"owner_agency": obj.agency_id, "owner_name": obj.leader_name}
        return {**initial, "made_on": min(obj.date, today)}, reverse(
            "dialogues:dialogue", args=[obj.pk]
        )
    if source == CommitmentSource.COUNCIL_QUESTION:
        return {
            "owner_agency": obj.asked_agency_id,
            "owner_name": obj.asked_official,
            "made_on": obj.answered_on or obj.asked_on,
        }, reverse("dialogues:session", args=[obj.session_id])
    if source == CommitmentSource.COUNCIL_RESOLUTION:
        return {"owner_agency": user.agency_id, "made_on": obj.adopted_on}, reverse(
            "dialogues:session", args=[obj.session_id]
        )
    if source == CommitmentSource.VOTER_RECOMMENDATION:
        return {
            "owner_agency": obj.assigned_agency_id,
            "made_on": obj.replied_on or today,
        }, reverse("dialogues:recommendation", args=[obj.pk])
    return {
        "owner_agency": obj.agency_id,
        "owner_name": obj.presider_name,
        "made_on": obj.date,
    }, _reception_url(obj.pk)


# --- public pages -----------------------------------------------------------------------------


def public_dialogues(request: HttpRequest) -> HttpResponse:
    """Public: dialogues announced ahead, and the results of those held."""
    return render(request, "dialogues/public_dialogues.html", selectors.public_dialogues())


def public_promises(request: HttpRequest) -> HttpResponse:
    """Public: every promise on the public list, with its status today."""
    base = selectors.public_commitments()
    filterset = forms.PublicCommitmentFilter(request.GET or None, queryset=base)
    qs = filterset.qs.order_by("deadline", "id")
    agency = filterset.form.cleaned_data.get("agency") if filterset.is_bound else None
    counted = base.filter(owner_agency=agency) if agency else base
    counts = selectors.status_counts(counted)

    def status_url(key: str) -> str:
        query = QueryDict(mutable=True)
        query["status"] = key
        if agency:
            query["agency"] = agency.pk
        return f"{reverse('dialogues:promises')}?{query.urlencode()}"

    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogues/public_promises.html",
        {
            "filter": filterset,
            "page": page,
            "rows": _labelled(page.object_list),
            "counts": _count_rows(counts, status_url),
            "chart": _status_chart(counts, status_url),
            "query": _query_without_page(request),
        },
    )


# --- staff: commitments -----------------------------------------------------------------------


def _export_commitments(request: HttpRequest, qs: QuerySet[Commitment], kind: str) -> HttpResponse:
    labels = selectors.status_labels()
    headers = [
        _("Promise"),
        _("Made in"),
        _("Source"),
        _("Agency responsible"),
        _("Person responsible"),
        _("Made on"),
        _("Deadline"),
        _("Status"),
        _("Kept on"),
        _("Evidence"),
    ]
    rows = (
        [
            c.content,
            c.get_source_display(),
            source_of(c).label,
            c.owner_agency.name,
            c.owner_name,
            c.made_on,
            c.deadline,
            labels[c.status],
            c.kept_on,
            c.evidence,
        ]
        for c in qs.iterator(chunk_size=2000)
    )
    name = f"cam-ket-{timezone.localdate():%Y%m%d}"
    if kind == "csv":
        return exports.csv_response(request=request, filename=name, headers=headers, rows=rows)
    return exports.xlsx_response(
        request=request, filename=name, title=_("Commitments"), headers=headers, rows=rows
    )


@staff_view
def commitments(request: HttpRequest) -> HttpResponse:
    """The leaders' view: every promise in scope, whatever it was made in."""
    base = selectors.commitments_for(request.user)
    filterset = forms.CommitmentFilter(request.GET or None, queryset=base, request=request)
    qs = filterset.qs
    if request.GET.get("format") in {"xlsx", "csv"}:
        return _export_commitments(request, qs, request.GET["format"])
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.status_counts(base)

    def status_url(key: str) -> str:
        return f"{reverse('dialogues:commitments')}?status={key}"

    return render(
        request,
        "dialogues/commitments.html",
        {
            "filter": filterset,
            "page": page,
            "rows": [(c, label, source_of(c)) for c, label in _labelled(page.object_list)],
            "counts": _count_rows(counts, status_url),
            "chart": _status_chart(counts, status_url),
            "query": _query_without_page(request),
        },
    )


COMMITMENT_ACTIONS = {
    "progress": Action(
        forms.ProgressForm,
        lambda c, by, d: services.commitment_note_progress(commitment=c, by=by, note=d["note"]),
        gettext_lazy("Progress noted."),
        Act.COMMITMENT_RECORD,
    ),
    "deadline": Action(
        forms.DeadlineForm,
        lambda c, by, d: services.commitment_change_deadline(commitment=c, by=by, **d),
        gettext_lazy("Deadline changed."),
        Act.COMMITMENT_DECIDE,
    ),
    "kept": Action(
        forms.KeptForm,
        lambda c, by, d: services.commitment_close(
            commitment=c, by=by, kept=True, evidence=d["evidence"], on=d["on"]
        ),
        gettext_lazy("The promise is marked kept."),
        Act.COMMITMENT_DECIDE,
    ),
    "not-kept": Action(
        forms.NotKeptForm,
        lambda c, by, d: services.commitment_close(
            commitment=c, by=by, kept=False, evidence=d["evidence"]
        ),
        gettext_lazy("The promise is marked not kept."),
        Act.COMMITMENT_DECIDE,
    ),
}


def _events(c: Commitment) -> list:
    """The history, with a changed deadline shown dd/mm/yyyy (the event stores ISO dates)."""
    events = list(c.events.select_related("actor"))
    for e in events:
        before, after = e.data.get("before"), e.data.get("after")
        e.change = (
            f"{dt.date.fromisoformat(before):%d/%m/%Y} → {dt.date.fromisoformat(after):%d/%m/%Y}"
            if before and after
            else ""
        )
    return events


def _commitment_page(
    request: HttpRequest, c: Commitment, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "dialogues/commitment.html",
        {
            "c": c,
            "source": source_of(c),
            "label": selectors.status_labels()[c.status],
            "events": _events(c),
            "forms": _forms(COMMITMENT_ACTIONS, request.user, bound, c.owner_agency),
        },
        status=status,
    )


@staff_view
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(selectors.commitments_for(request.user), pk=pk)
    return _commitment_page(request, c)


@staff_view
@require_POST
def commitment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    c = get_object_or_404(selectors.commitments_for(request.user), pk=pk)
    response = _run_action(request, c, COMMITMENT_ACTIONS, action, _commitment_page)
    return response or redirect("dialogues:commitment", pk=c.pk)


@staff_view
def commitment_new(request: HttpRequest) -> HttpResponse:
    """Record a promise made in a dialogue, a council question or resolution, a reply to
    voters or a reception session: ``?nguon=<source>&id=<pk>``, the source in scope."""
    user = request.user
    source, pk = request.GET.get("nguon", ""), request.GET.get("id", "")
    querysets = _source_querysets(user)
    if source not in querysets or not pk.isdigit():
        raise Http404
    obj = get_object_or_404(querysets[source], pk=int(pk))
    initial, back = _commitment_defaults(source, obj, user)
    form = forms.CommitmentForm(request.POST or None, user=user, initial=initial)
    context = {
        "form": form,
        "source_label": CommitmentSource(source).label,
        "source_object": obj,
        "back": back,
    }
    if request.method == "POST":
        made = _apply(
            form,
            lambda d: services.commitment_make(source=source, source_object=obj, by=user, **d),
        )
        if made is None:
            return _invalid(request, "dialogues/commitment_new.html", context)
        messages.success(request, _("Promise recorded."))
        return redirect("dialogues:commitment", pk=made.pk)
    return render(request, "dialogues/commitment_new.html", context)


# --- staff: dialogues -------------------------------------------------------------------------


@staff_view
def dialogues(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    qs = selectors.dialogues_for(request.user).order_by("-date", "-id")
    state = request.GET.get("state", "")
    if state in Dialogue.State.values:
        qs = qs.filter(state=state)
    results_overdue = request.GET.get("results") == "overdue"  # the overview's figure leads here
    if results_overdue:
        qs = selectors.results_overdue(qs)
    return render(
        request,
        "dialogues/dialogues.html",
        {
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "states": Dialogue.State.choices,
            "state": state,
            "results_overdue": results_overdue,
            "year": today.year,
            "per_year": settings.PORTAL_COMMUNE_DIALOGUES_PER_YEAR,
            "without_dialogue": selectors.communes_without_dialogue(request.user, year=today.year),
            "today": today,
            "query": _query_without_page(request),
        },
    )


@staff_view
def dialogue_new(request: HttpRequest) -> HttpResponse:
    form = forms.DialogueForm(request.POST or None, user=request.user)
    if request.method == "POST":
        dialogue = _apply(form, lambda d: services.dialogue_plan(by=request.user, **d))
        if dialogue is None:
            return _invalid(request, "dialogues/dialogue_new.html", {"form": form})
        messages.success(request, _("Dialogue planned."))
        return redirect("dialogues:dialogue", pk=dialogue.pk)
    return render(request, "dialogues/dialogue_new.html", {"form": form})


DIALOGUE_ACTIONS = {
    "announce": Action(
        forms.AnnounceForm,
        lambda d, by, data: services.dialogue_announce(dialogue=d, by=by, **data),
        gettext_lazy("Announcement recorded."),
        Act.DIALOGUE_PREPARE,
    ),
    "record": Action(
        forms.RecordForm,
        lambda d, by, data: services.dialogue_record(dialogue=d, by=by, **data),
        gettext_lazy("Dialogue recorded as held."),
        Act.DIALOGUE_PREPARE,
    ),
    "publish": Action(
        forms.PublishForm,
        lambda d, by, data: services.dialogue_publish_results(dialogue=d, by=by, **data),
        gettext_lazy("Results published."),
        Act.DIALOGUE_PREPARE,
    ),
    "cancel": Action(
        forms.CancelForm,
        lambda d, by, data: services.dialogue_cancel(dialogue=d, by=by, **data),
        gettext_lazy("Dialogue cancelled."),
        Act.DIALOGUE_CANCEL,
    ),
}


def _dialogue_page(
    request: HttpRequest, dialogue: Dialogue, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "dialogues/dialogue.html",
        {
            "d": dialogue,
            "today": timezone.localdate(),
            "petition_items": petition_selectors.items_for(user)
            .filter(petition__dialogues=dialogue)
            .order_by("petition__code", "number"),
            "commitments": _labelled(selectors.commitments_for(user).filter(dialogue=dialogue)),
            "events": selectors.history(dialogue),
            "forms": _forms(DIALOGUE_ACTIONS, user, bound, dialogue.agency),
        },
        status=status,
    )


@staff_view
def dialogue(request: HttpRequest, pk: int) -> HttpResponse:
    return _dialogue_page(request, get_object_or_404(selectors.dialogues_for(request.user), pk=pk))


@staff_view
@require_POST
def dialogue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    d = get_object_or_404(selectors.dialogues_for(request.user), pk=pk)
    response = _run_action(request, d, DIALOGUE_ACTIONS, action, _dialogue_page)
    return response or redirect("dialogues:dialogue", pk=d.pk)


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
            "query": _query_without_page(request),
        },
    )


def _mediation_owner(unit: object) -> Agency | None:
    """The commune People's Committee that keeps mediation there; ``None`` if it is gone
    (the page then offers no action rather than failing)."""
    try:
        return services.commune_agency(unit)
    except services.Refused:
        return None


@staff_view
def team_new(request: HttpRequest) -> HttpResponse:
    form = forms.TeamForm(request.POST or None, user=request.user)
    if request.method == "POST":
        team = _apply(form, lambda d: services.team_create(by=request.user, **d))
        if team is None:
            return _invalid(request, "dialogues/team_new.html", {"form": form})
        messages.success(request, _("Mediation team created. Now add its mediators."))
        return redirect("dialogues:team", pk=team.pk)
    return render(request, "dialogues/team_new.html", {"form": form})


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
            "forms": _forms(TEAM_ACTIONS, request.user, bound, _mediation_owner(team.unit)),
            "today": timezone.localdate(),
        },
        status=status,
    )


TEAM_ACTIONS = {
    "mediator": Action(
        forms.MediatorForm,
        lambda t, by, d: services.mediator_add(team=t, by=by, **d),
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
    response = _run_action(request, t, TEAM_ACTIONS, action, _team_page)
    return response or redirect("dialogues:team", pk=t.pk)


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
    context = {"form": form, "item": item, "team": chosen}
    if request.method == "POST":
        case = _apply(form, lambda d: services.mediation_open(by=user, source_item=item, **d))
        if case is None:
            return _invalid(request, "dialogues/mediation_new.html", context)
        messages.success(request, _("Mediation case opened."))
        return redirect("dialogues:mediation_case", pk=case.pk)
    return render(request, "dialogues/mediation_new.html", context)


CASE_ACTIONS = {
    "start": Action(
        forms.StartForm,
        lambda c, by, d: services.mediation_start(case=c, by=by, **d),
        gettext_lazy("Start of the mediation recorded."),
        Act.MEDIATION,
    ),
    "conclude": Action(
        forms.ConcludeForm,
        lambda c, by, d: services.mediation_conclude(case=c, by=by, **d),
        gettext_lazy("Outcome recorded."),
        Act.MEDIATION,
    ),
    "follow-up": Action(
        forms.FollowUpForm,
        lambda c, by, d: services.mediation_follow_up(case=c, by=by, **d),
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
            "forms": _forms(CASE_ACTIONS, request.user, bound, _mediation_owner(case.team.unit)),
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
    response = _run_action(request, case, CASE_ACTIONS, action, _case_page)
    return response or redirect("dialogues:mediation_case", pk=case.pk)


@staff_view
def grassroots(request: HttpRequest) -> HttpResponse:
    """Per commune: disputes settled at the grassroots against those that went up as
    petitions, for a period (this year by default)."""
    today = timezone.localdate()
    default = {"start": dt.date(today.year, 1, 1), "end": today}
    form = forms.PeriodForm(request.GET or None, initial=default)
    period = form.cleaned_data if form.is_bound and form.is_valid() else default
    rows = selectors.grassroots_results(request.user, start=period["start"], end=period["end"])
    settled, escalated = _("Settled at the grassroots"), _("Went up as petitions")
    chart = bar_chart(
        [
            (
                r.unit.name,
                [
                    (settled, r.settled, "bar-settled", ""),
                    (escalated, r.escalated_petitions, "bar-escalated", ""),
                ],
            )
            for r in rows
        ]
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


# --- staff: the People's Council ---------------------------------------------------------------


def _sessions_for(user: User) -> QuerySet[CouncilSession]:
    return scoped(user, CouncilSession.objects.select_related("council"))


def _session_get(user: User, pk: int) -> CouncilSession:
    return get_scoped_or_404(user, CouncilSession.objects.select_related("council"), pk=pk)


@staff_view
def council(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    qs = _sessions_for(user).order_by("-start_date")
    return render(
        request,
        "dialogues/council.html",
        {
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "overdue_questions": selectors.overdue_questions(
                selectors.questions_for(user), today=today
            ).order_by("answer_due_on")[:PAGE_SIZE],
            "overdue_recommendations": selectors.overdue_voter_recommendations(
                selectors.voter_recommendations_for(user), today=today
            ).count(),
            "today": today,
        },
    )


@staff_view
def session_new(request: HttpRequest) -> HttpResponse:
    form = forms.SessionForm(request.POST or None, user=request.user)
    if request.method == "POST":
        session = _apply(form, lambda d: services.council_session_create(by=request.user, **d))
        if session is None:
            return _invalid(request, "dialogues/session_new.html", {"form": form})
        messages.success(request, _("Session created."))
        return redirect("dialogues:session", pk=session.pk)
    return render(request, "dialogues/session_new.html", {"form": form})


SESSION_ACTIONS = {
    "ask": Action(
        forms.QuestionForm,
        lambda s, by, d: services.question_ask(session=s, by=by, **d),
        gettext_lazy("Question recorded."),
        Act.COUNCIL_RECORD,
        needs_user=True,
    ),
    "resolution": Action(
        forms.ResolutionForm,
        lambda s, by, d: services.resolution_add(session=s, by=by, **d),
        gettext_lazy("Resolution recorded."),
        Act.COUNCIL_RECORD,
    ),
}


def _session_page(
    request: HttpRequest, session: CouncilSession, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    questions = (
        selectors.questions_for(user)
        .filter(session=session)
        .prefetch_related(selectors.HISTORY)
        .order_by("asked_on", "id")
    )
    # The agency questioned answers (``gov.authority``): others see the question, not the form.
    answer_forms = {
        q.pk: bound.get(f"answer-{q.pk}")
        or (
            forms.AnswerForm(prefix=f"answer-{q.pk}")
            if authority.may_act(user, Act.QUESTION_ANSWER, q.asked_agency)
            else None
        )
        for q in questions
    }
    this_session = Q(question__session=session) | Q(resolution__session=session)
    return render(
        request,
        "dialogues/session.html",
        {
            "session": session,
            "questions": [(q, answer_forms[q.pk]) for q in questions],
            "resolutions": scoped(user, CouncilResolution.objects.filter(session=session)),
            "previous_promises": _labelled(
                scoped(user, selectors.promises_from_previous_session(session))
            ),
            "commitments": _labelled(selectors.commitments_for(user).filter(this_session)),
            "forms": _forms(SESSION_ACTIONS, user, bound, session.council),
            "today": timezone.localdate(),
        },
        status=status,
    )


@staff_view
def session(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, _session_get(request.user, pk))


@staff_view
@require_POST
def session_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    s = _session_get(request.user, pk)
    response = _run_action(request, s, SESSION_ACTIONS, action, _session_page)
    return response or redirect("dialogues:session", pk=s.pk)


@staff_view
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(selectors.questions_for(request.user), pk=pk)
    name = f"answer-{question.pk}"
    form = forms.AnswerForm(request.POST, prefix=name)
    done = _apply(form, lambda d: services.question_answer(question=question, by=request.user, **d))
    if done is None:
        messages.error(request, _("Please correct the form below."))
        return _session_page(request, question.session, {name: form}, status=400)
    messages.success(request, _("Answer recorded."))
    return redirect(f"{reverse('dialogues:session', args=[question.session_id])}#q{question.pk}")


# --- staff: voter meetings and recommendations --------------------------------------------------


def _meetings_for(user: User) -> QuerySet[VoterMeeting]:
    return scoped(
        user,
        VoterMeeting.objects.select_related("council", "unit", "before_session__council"),
    )


@staff_view
def voters(request: HttpRequest) -> HttpResponse:
    user = request.user
    recs = selectors.voter_recommendations_for(user).select_related("meeting__unit")
    open_only = request.GET.get("open") == "1"
    if open_only:
        recs = recs.filter(replied_on__isnull=True)
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        recs = selectors.overdue_voter_recommendations(recs)
    return render(
        request,
        "dialogues/voters.html",
        {
            "meetings": _meetings_for(user).order_by("-date")[:30],
            "page": Paginator(recs, PAGE_SIZE).get_page(request.GET.get("page")),
            "open_only": open_only,
            "overdue_only": overdue_only,
            "today": timezone.localdate(),
            "query": _query_without_page(request),
        },
    )


@staff_view
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = forms.VoterMeetingForm(request.POST or None, user=request.user)
    if request.method == "POST":
        meeting = _apply(form, lambda d: services.voter_meeting_create(by=request.user, **d))
        if meeting is None:
            return _invalid(request, "dialogues/meeting_new.html", {"form": form})
        messages.success(request, _("Voter meeting recorded."))
        return redirect("dialogues:meeting", pk=meeting.pk)
    return render(request, "dialogues/meeting_new.html", {"form": form})


MEETING_ACTIONS = {
    "recommendation": Action(
        forms.RecommendationForm,
        lambda m, by, d: services.voter_recommendation_add(meeting=m, by=by, **d),
        gettext_lazy("Recommendation recorded."),
        Act.COUNCIL_RECORD,
        needs_user=True,
    ),
}


def _meeting_page(
    request: HttpRequest, meeting: VoterMeeting, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "dialogues/meeting.html",
        {
            "meeting": meeting,
            # A commune's meeting before the provincial council's session: the session is named,
            # and linked only for those who may open it.
            "session_visible": meeting.before_session_id is not None
            and _sessions_for(request.user).filter(pk=meeting.before_session_id).exists(),
            "recommendations": selectors.voter_recommendations_for(request.user).filter(
                meeting=meeting
            ),
            "forms": _forms(MEETING_ACTIONS, request.user, bound, meeting.council),
            "today": timezone.localdate(),
        },
        status=status,
    )


@staff_view
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, get_object_or_404(_meetings_for(request.user), pk=pk))


@staff_view
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    m = get_object_or_404(_meetings_for(request.user), pk=pk)
    response = _run_action(request, m, MEETING_ACTIONS, action, _meeting_page)
    return response or redirect("dialogues:meeting", pk=m.pk)


@staff_view
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    """One voters' recommendation: its reply, and the promises made in it."""
    user = request.user
    rec: VoterRecommendation = get_object_or_404(
        selectors.voter_recommendations_for(user).select_related("meeting__unit"), pk=pk
    )
    form = forms.ReplyForm(request.POST or None)
    context = {
        "rec": rec,
        "form": form,
        "can_reply": authority.may_act(user, Act.VOTERS_REPLY, rec.assigned_agency),
        "today": timezone.localdate(),
        "commitments": _labelled(selectors.commitments_for(user).filter(voter_recommendation=rec)),
        "events": selectors.history(rec),
    }
    if request.method == "POST":
        done = _apply(
            form,
            lambda d: services.voter_recommendation_reply(recommendation=rec, by=user, **d),
        )
        if done is None:
            return _invalid(request, "dialogues/recommendation.html", context)
        messages.success(request, _("Reply recorded."))
        return redirect("dialogues:recommendation", pk=rec.pk)
    return render(request, "dialogues/recommendation.html", context)
