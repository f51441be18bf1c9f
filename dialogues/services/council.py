"""The People's Council (Hội đồng nhân dân): sessions, deputies' questions (chất vấn) and their
answers, resolutions, voter meetings and the recommendations assigned to agencies."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dialogues import events, lifecycles
from dialogues.models import (
    CouncilResolution,
    CouncilSession,
    Question,
    VoterMeeting,
    VoterRecommendation,
)
from dialogues.services.common import _check_actor, _locked_for, _not_future, deadline_for
from gov.authority import Act
from gov.errors import Refused
from gov.models import AdministrativeUnit, Agency, Sector, TimeLimitRule, User


def _council(agency: Agency) -> Agency:
    if agency.kind != Agency.Kind.PEOPLES_COUNCIL:
        raise Refused(_("%(agency)s is not a People's Council.") % {"agency": agency.name})
    return agency


@transaction.atomic
def council_session_create(
    *,
    council: Agency,
    by: User,
    number: int,
    term: str,
    start_date: dt.date,
    end_date: dt.date,
    title: str = "",
) -> CouncilSession:
    _check_actor(by, Act.COUNCIL_RECORD, _council(council))
    if end_date < start_date:
        raise Refused(_("A session closes after it opens."))
    if CouncilSession.objects.filter(council=council, term=term, number=number).exists():
        raise Refused(
            _("Session %(n)s of term %(term)s already exists.") % {"n": number, "term": term}
        )
    return CouncilSession.objects.create(
        council=council,
        number=number,
        term=term,
        title=title,
        start_date=start_date,
        end_date=end_date,
    )


@transaction.atomic
def question_ask(
    *,
    session: CouncilSession,
    by: User,
    deputy: str,
    asked_agency: Agency,
    content: str,
    asked_on: dt.date,
    asked_official: str = "",
) -> Question:
    """Record a question (chất vấn). The written answer, if it is not answered in session, is
    due within the limit of the rules table from the session's close (20 days; 15 under Law
    121/2025 from 1/3/2026)."""
    _check_actor(by, Act.COUNCIL_RECORD, session.council)
    if not (session.start_date <= asked_on <= session.end_date):
        raise Refused(_("A question is asked during the session."))
    if not deputy.strip() or not content.strip():
        raise Refused(_("Name the deputy and write the question."))
    due = deadline_for(
        kind=TimeLimitRule.Kind.COUNCIL_QUESTION,
        stage=TimeLimitRule.Stage.ANSWER,
        start=session.end_date,
    ).due
    question = Question.objects.create(
        session=session,
        deputy=deputy,
        asked_agency=asked_agency,
        asked_official=asked_official,
        content=content,
        asked_on=asked_on,
        answer_due_on=due,
        created_by=by,
    )
    events.question_asked(question, actor=by)
    return question


@transaction.atomic
def question_answer(
    *, question: Question, by: User, answer: str, in_session: bool, answered_on: dt.date
) -> Question:
    # The agency questioned answers, not the council that asked (Law 87/2015 Art. 60).
    question = _locked_for(
        question, by, Act.QUESTION_ANSWER, owner="asked_agency", related=("session",)
    )
    to = Question.State.ANSWERED_IN_SESSION if in_session else Question.State.ANSWERED_IN_WRITING
    lifecycles.QUESTION.check_move(question.state, to, refused=Refused)
    if not answer.strip():
        raise Refused(_("Write the answer."))
    _not_future(answered_on, _("The answer date"))
    if answered_on < question.asked_on:
        raise Refused(_("An answer cannot precede the question."))
    if in_session and answered_on > question.session.end_date:
        raise Refused(_("An answer given after the session closed is a written answer."))
    lifecycles.QUESTION.move(question, to, field_name="state", refused=Refused)
    question.answer, question.answered_on = answer, answered_on
    question.save(update_fields=["state", "answer", "answered_on"])
    events.question_answered(question, actor=by, in_session=in_session)
    return question


@transaction.atomic
def resolution_add(
    *, session: CouncilSession, by: User, number: str, adopted_on: dt.date, content: str
) -> CouncilResolution:
    _check_actor(by, Act.COUNCIL_RECORD, session.council)
    _not_future(adopted_on, _("The adoption date"))
    return CouncilResolution.objects.create(
        session=session, number=number, adopted_on=adopted_on, content=content
    )


@transaction.atomic
def voter_meeting_create(
    *,
    council: Agency,
    unit: AdministrativeUnit,
    by: User,
    date: dt.date,
    place: str,
    deputies: str = "",
    before_session: CouncilSession | None = None,
) -> VoterMeeting:
    _check_actor(by, Act.COUNCIL_RECORD, _council(council))
    return VoterMeeting.objects.create(
        council=council,
        unit=unit,
        date=date,
        place=place,
        deputies=deputies,
        before_session=before_session,
    )


@transaction.atomic
def voter_recommendation_add(
    *,
    meeting: VoterMeeting,
    by: User,
    content: str,
    sector: Sector,
    assigned_agency: Agency,
    assigned_on: dt.date,
) -> VoterRecommendation:
    """Assign a voters' recommendation to an agency, due by the default of the rules table."""
    _check_actor(by, Act.COUNCIL_RECORD, meeting.council)
    if not content.strip():
        raise Refused(_("Write the recommendation."))
    if assigned_on < meeting.date:
        raise Refused(_("A recommendation is assigned after the meeting that raised it."))
    due = deadline_for(
        kind=TimeLimitRule.Kind.VOTER_RECOMMENDATION,
        stage=TimeLimitRule.Stage.ANSWER,
        start=assigned_on,
    ).due
    recommendation = VoterRecommendation.objects.create(
        meeting=meeting,
        content=content,
        sector=sector,
        assigned_agency=assigned_agency,
        assigned_on=assigned_on,
        reply_due_on=due,
    )
    events.recommendation_assigned(recommendation, actor=by)
    return recommendation


@transaction.atomic
def voter_recommendation_reply(
    *, recommendation: VoterRecommendation, by: User, reply: str, replied_on: dt.date
) -> VoterRecommendation:
    recommendation = _locked_for(recommendation, by, Act.VOTERS_REPLY, owner="assigned_agency")
    lifecycles.VOTER_RECOMMENDATION.check_move(
        recommendation.state, VoterRecommendation.State.REPLIED, refused=Refused
    )
    if not reply.strip():
        raise Refused(_("Write the reply."))
    _not_future(replied_on, _("The reply date"))
    if replied_on < recommendation.assigned_on:
        raise Refused(_("A reply cannot precede the assignment."))
    recommendation.reply, recommendation.replied_on = reply, replied_on
    recommendation.save(update_fields=["reply", "replied_on"])
    events.recommendation_replied(recommendation, actor=by)
    return recommendation
