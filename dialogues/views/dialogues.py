"""Dialogues between a People's Committee's head and citizens (Quy chế 06-QC/TU): the public
list and the staff pages that plan, announce, record and publish them."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaints import selectors as petition_selectors
from dialogues import forms, selectors, services
from dialogues.models import (
    Dialogue,
)
from dialogues.views.commitments import labelled
from dialogues.views.common import (
    PAGE_SIZE,
    Action,
    calls,
    create_view,
    offered_forms,
    query_without_page,
    run_action,
)
from gov.authority import Act
from gov.guards import staff_view
from gov.replicas import reads_from_replica

# --- public pages -----------------------------------------------------------------------------


@reads_from_replica
def public_dialogues(request: HttpRequest) -> HttpResponse:
    """Public: dialogues announced ahead, and the results of those held."""
    return render(request, "dialogues/public_dialogues.html", selectors.public_dialogues())


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
            "query": query_without_page(request),
        },
    )


dialogue_new = create_view(
    forms.DialogueForm,
    services.dialogue_plan,
    template="dialogues/dialogue_new.html",
    done=gettext_lazy("Dialogue planned."),
    to="dialogues:dialogue",
)


DIALOGUE_ACTIONS = {
    "announce": Action(
        forms.AnnounceForm,
        calls(services.dialogue_announce, "dialogue"),
        gettext_lazy("Announcement recorded."),
        Act.DIALOGUE_PREPARE,
    ),
    "record": Action(
        forms.RecordForm,
        calls(services.dialogue_record, "dialogue"),
        gettext_lazy("Dialogue recorded as held."),
        Act.DIALOGUE_PREPARE,
    ),
    "publish": Action(
        forms.PublishForm,
        calls(services.dialogue_publish_results, "dialogue"),
        gettext_lazy("Results published."),
        Act.DIALOGUE_PREPARE,
    ),
    "cancel": Action(
        forms.CancelForm,
        calls(services.dialogue_cancel, "dialogue"),
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
            "commitments": labelled(selectors.commitments_for(user).filter(dialogue=dialogue)),
            "events": selectors.history(dialogue),
            "forms": offered_forms(DIALOGUE_ACTIONS, user, bound, dialogue.agency),
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
    return run_action(request, d, DIALOGUE_ACTIONS, action, _dialogue_page, "dialogues:dialogue")
