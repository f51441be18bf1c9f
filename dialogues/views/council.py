"""The People's Council (HĐND): sessions, questions and answers, resolutions, voter meetings and
their recommendations."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dialogues import forms, selectors, services
from dialogues.models import (
    CouncilResolution,
    CouncilSession,
    VoterMeeting,
    VoterRecommendation,
)
from dialogues.views.commitments import labelled
from dialogues.views.common import (
    PAGE_SIZE,
    Action,
    apply_form,
    calls,
    create_view,
    invalid_form,
    offered_forms,
    query_without_page,
    run_action,
)
from gov import authority
from gov.authority import Act
from gov.guards import staff_view
from gov.models import User
from gov.scoping import get_scoped_or_404, scoped

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


session_new = create_view(
    forms.SessionForm,
    services.council_session_create,
    template="dialogues/session_new.html",
    done=gettext_lazy("Session created."),
    to="dialogues:session",
)


SESSION_ACTIONS = {
    "ask": Action(
        forms.QuestionForm,
        calls(services.question_ask, "session"),
        gettext_lazy("Question recorded."),
        Act.COUNCIL_RECORD,
        needs_user=True,
    ),
    "resolution": Action(
        forms.ResolutionForm,
        calls(services.resolution_add, "session"),
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
            "previous_promises": labelled(
                scoped(user, selectors.promises_from_previous_session(session))
            ),
            "commitments": labelled(selectors.commitments_for(user).filter(this_session)),
            "forms": offered_forms(SESSION_ACTIONS, user, bound, session.council),
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
    return run_action(request, s, SESSION_ACTIONS, action, _session_page, "dialogues:session")


@staff_view
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(selectors.questions_for(request.user), pk=pk)
    name = f"answer-{question.pk}"
    form = forms.AnswerForm(request.POST, prefix=name)
    done = apply_form(
        form, lambda d: services.question_answer(question=question, by=request.user, **d)
    )
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
            "query": query_without_page(request),
        },
    )


meeting_new = create_view(
    forms.VoterMeetingForm,
    services.voter_meeting_create,
    template="dialogues/meeting_new.html",
    done=gettext_lazy("Voter meeting recorded."),
    to="dialogues:meeting",
)


MEETING_ACTIONS = {
    "recommendation": Action(
        forms.RecommendationForm,
        calls(services.voter_recommendation_add, "meeting"),
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
            "forms": offered_forms(MEETING_ACTIONS, request.user, bound, meeting.council),
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
    return run_action(request, m, MEETING_ACTIONS, action, _meeting_page, "dialogues:meeting")


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
        "commitments": labelled(selectors.commitments_for(user).filter(voter_recommendation=rec)),
        "events": selectors.history(rec),
    }
    if request.method == "POST":
        done = apply_form(
            form,
            lambda d: services.voter_recommendation_reply(recommendation=rec, by=user, **d),
        )
        if done is None:
            return invalid_form(request, "dialogues/recommendation.html", context)
        messages.success(request, _("Reply recorded."))
        return redirect("dialogues:recommendation", pk=rec.pk)
    return render(request, "dialogues/recommendation.html", context)
