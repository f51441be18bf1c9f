"""The commitment tracker (staff) and the public list of promises: every promise made in a
dialogue, a council answer or resolution, a reply to voters or a reception session, until kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dialogues import forms, selectors, services
from dialogues.models import (
    Commitment,
    CommitmentSource,
    CouncilResolution,
)
from dialogues.views.common import (
    PAGE_SIZE,
    Action,
    calls,
    count_rows,
    create_page,
    offered_forms,
    query_without_page,
    run_action,
    status_chart,
)
from gov import exports
from gov.authority import Act
from gov.guards import staff_view
from gov.models import User
from gov.replicas import reads_from_replica
from gov.scoping import scoped
from reception.models import ReceptionSession

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


def labelled(commitments: object) -> list[tuple[Commitment, str]]:
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


@reads_from_replica
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
            "rows": labelled(page.object_list),
            "counts": count_rows(counts, status_url),
            "chart": status_chart(
                counts, status_url, chart_id="promise-chart", title=_("Promises by status")
            ),
            "query": query_without_page(request),
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
@reads_from_replica
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
            "rows": [(c, label, source_of(c)) for c, label in labelled(page.object_list)],
            "counts": count_rows(counts, status_url),
            "chart": status_chart(
                counts,
                status_url,
                chart_id="commitment-chart",
                title=_("Promises in your scope by status"),
            ),
            "query": query_without_page(request),
        },
    )


COMMITMENT_ACTIONS = {
    "progress": Action(
        forms.ProgressForm,
        calls(services.commitment_note_progress, "commitment"),
        gettext_lazy("Progress noted."),
        Act.COMMITMENT_RECORD,
    ),
    "deadline": Action(
        forms.DeadlineForm,
        calls(services.commitment_change_deadline, "commitment"),
        gettext_lazy("Deadline changed."),
        Act.COMMITMENT_DECIDE,
    ),
    "kept": Action(
        forms.KeptForm,
        calls(services.commitment_close, "commitment", kept=True),
        gettext_lazy("The promise is marked kept."),
        Act.COMMITMENT_DECIDE,
    ),
    "not-kept": Action(
        forms.NotKeptForm,
        calls(services.commitment_close, "commitment", kept=False),
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
            "forms": offered_forms(COMMITMENT_ACTIONS, request.user, bound, c.owner_agency),
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
    return run_action(
        request, c, COMMITMENT_ACTIONS, action, _commitment_page, "dialogues:commitment"
    )


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
    return create_page(
        request,
        form,
        lambda d: services.commitment_make(source=source, source_object=obj, by=user, **d),
        template="dialogues/commitment_new.html",
        done=_("Promise recorded."),
        to="dialogues:commitment",
        context={
            "source_label": CommitmentSource(source).label,
            "source_object": obj,
            "back": back,
        },
    )
