"""Writes of accountability: dialogues, grassroots mediation, the People's Council, and the
commitment tracker that follows every promise until it is kept."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import services as petitions
from complaints.events import official
from complaints.models import Petition, PetitionItem
from gov.models import AdministrativeUnit, Agency, Sector, TimeLimitRule, User
from gov.scoping import scoped
from gov.selectors import NoTimeLimitRule
from gov.selectors import deadline_for as _deadline_for

from .events import commitment_event, follow_up_event
from .models import (
    Commitment,
    CommitmentEvent,
    CommitmentSource,
    CouncilResolution,
    CouncilSession,
    Dialogue,
    FollowUpEvent,
    MediationCase,
    MediationTeam,
    Mediator,
    Question,
    VoterMeeting,
    VoterRecommendation,
)

STAFF_ROLES = {
    User.Role.RECEPTION_OFFICER,
    User.Role.HANDLER,
    User.Role.LEADER,
    User.Role.ADMINISTRATOR,
}


class Refused(ValidationError):
    """A record the law, the state of the thing or the user's scope does not allow."""


def deadline_for(**kwargs: object) -> object:
    """``gov.selectors.deadline_for``, with a missing rule turned into a message for the user."""
    try:
        return _deadline_for(**kwargs)
    except NoTimeLimitRule as exc:
        raise Refused(
            _("No legal time limit is recorded for this date; ask an administrator to add one.")
        ) from exc


def _check_scope(by: User, agency: Agency) -> None:
    """The actor works for ``agency`` or for an agency above it in the unit tree."""
    if by.role not in STAFF_ROLES or not scoped(by, Agency.objects.filter(pk=agency.pk)).exists():
        raise Refused(_("%(agency)s is outside your scope.") % {"agency": agency.name})


Kind = FollowUpEvent.Kind


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _late(day: dt.date, due: dt.date | None) -> bool:
    return due is not None and day > due


def _not_future(day: dt.date, what: str) -> None:
    if day > timezone.localdate():
        raise Refused(_("%(what)s cannot be in the future.") % {"what": what})


# --- commitments ------------------------------------------------------------------------------

SOURCE_FIELDS = {
    CommitmentSource.DIALOGUE: "dialogue",
    CommitmentSource.COUNCIL_QUESTION: "question",
    CommitmentSource.COUNCIL_RESOLUTION: "resolution",
    CommitmentSource.VOTER_RECOMMENDATION: "voter_recommendation",
    CommitmentSource.RECEPTION: "reception_session",
}


@transaction.atomic
def commitment_make(
    *,
    source: str,
    source_object: object,
    owner_agency: Agency,
    owner_name: str,
    content: str,
    made_on: dt.date,
    deadline: dt.date,
    by: User,
    owner: User | None = None,
    is_public: bool = True,
) -> Commitment:
    """Record a promise made in a dialogue, a council answer or resolution, a reply to voters
    or a reception session, with the agency and person who answer for it."""
    _check_scope(by, owner_agency)
    if source not in SOURCE_FIELDS or source_object is None:
        raise Refused(_("Say where the promise was made."))
    if not content.strip() or not owner_name.strip():
        raise Refused(_("Write the promise and who made it."))
    _not_future(made_on, _("The date of the promise"))
    if deadline < made_on:
        raise Refused(_("The deadline cannot precede the promise."))
    commitment = Commitment.objects.create(
        source=source,
        **{SOURCE_FIELDS[source]: source_object},
        owner_agency=owner_agency,
        owner_name=owner_name,
        owner=owner,
        content=content,
        made_on=made_on,
        deadline=deadline,
        is_public=is_public,
        created_by=by,
    )
    commitment_event(
        commitment, CommitmentEvent.Kind.MADE, actor=by, data={"deadline": deadline.isoformat()}
    )
    return commitment


def _open(commitment: Commitment, by: User) -> Commitment:
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("owner_agency")
        .get(pk=commitment.pk)
    )
    _check_scope(by, commitment.owner_agency)
    if commitment.state != Commitment.State.OPEN:
        raise Refused(
            _("This promise is already closed as “%(state)s”.")
            % {"state": commitment.get_state_display()}
        )
    return commitment


@transaction.atomic
def commitment_note_progress(*, commitment: Commitment, by: User, note: str) -> Commitment:
    commitment = _open(commitment, by)
    if not note.strip():
        raise Refused(_("Write what was done."))
    commitment_event(commitment, CommitmentEvent.Kind.PROGRESS, actor=by, note=note)
    return commitment


@transaction.atomic
def commitment_change_deadline(
    *, commitment: Commitment, by: User, deadline: dt.date, reason: str
) -> Commitment:
    commitment = _open(commitment, by)
    if not reason.strip():
        raise Refused(_("Give the reason for the new deadline."))
    if deadline < commitment.made_on:
        raise Refused(_("The deadline cannot precede the promise."))
    before = commitment.deadline
    commitment.deadline = deadline
    commitment.save(update_fields=["deadline"])
    commitment_event(
        commitment,
        CommitmentEvent.Kind.DEADLINE_CHANGED,
        actor=by,
        note=reason,
        data={"before": before.isoformat(), "after": deadline.isoformat()},
    )
    return commitment


@transaction.atomic
def commitment_close(
    *, commitment: Commitment, by: User, kept: bool, evidence: str, on: dt.date | None = None
) -> Commitment:
    """Mark the promise kept (with the evidence and the date it was kept) or not kept."""
    commitment = _open(commitment, by)
    on = on or timezone.localdate()
    _not_future(on, _("The date"))
    if not evidence.strip():
        raise Refused(_("Give the evidence: what was done, or why the promise was not kept."))
    if on < commitment.made_on:
        raise Refused(_("A promise cannot be kept before it was made."))
    commitment.state = Commitment.State.KEPT if kept else Commitment.State.NOT_KEPT
    commitment.evidence, commitment.kept_on = evidence, on if kept else None
    commitment.save(update_fields=["state", "evidence", "kept_on"])
    commitment_event(
        commitment,
        CommitmentEvent.Kind.KEPT if kept else CommitmentEvent.Kind.NOT_KEPT,
        actor=by,
        note=evidence,
        data={"on": on.isoformat(), "late": on > commitment.deadline},
    )
    return commitment


# --- dialogues -------------------------------------------------------------------------------


def announcement_warning(*, date: dt.date, announced_on: dt.date | None) -> str:
    """A dialogue is announced at least 7 days ahead (Law 72/2025/QH15 Art. 43, in the rules table)."""
    rule = deadline_for(
        kind=TimeLimitRule.Kind.DIALOGUE, stage=TimeLimitRule.Stage.ANNOUNCEMENT, start=date
    ).rule
    latest = date - dt.timedelta(days=rule.days)
    if announced_on is not None and announced_on <= latest:
        return ""
    return official(
        gettext_lazy(
            "A dialogue is announced at least %(days)s days ahead, by %(day)s (%(source)s)."
        ),
        days=rule.days,
        day=latest.strftime("%d/%m/%Y"),
        source=rule.source,
    )


@transaction.atomic
def dialogue_plan(
    *,
    agency: Agency,
    unit: AdministrativeUnit,
    leader_name: str,
    topic: str,
    date: dt.date,
    place: str,
    by: User,
    start_time: dt.time | None = None,
    participants: str = "",
    expected_participants: int = 0,
    announced_on: dt.date | None = None,
    related_petitions: list[Petition] | None = None,
    leader: User | None = None,
) -> Dialogue:
    _check_scope(by, agency)
    if announced_on and announced_on > date:
        raise Refused(_("A dialogue cannot be announced after it is held."))
    dialogue = Dialogue.objects.create(
        agency=agency,
        unit=unit,
        leader_name=leader_name,
        leader=leader,
        topic=topic,
        date=date,
        start_time=start_time,
        place=place,
        participants=participants,
        expected_participants=expected_participants,
        announced_on=announced_on,
        announcement_warning=announcement_warning(date=date, announced_on=announced_on),
        created_by=by,
    )
    if related_petitions:
        dialogue.related_petitions.set(related_petitions)
    follow_up_event(
        dialogue,
        Kind.PLANNED,
        actor=by,
        data={"date": date.isoformat(), "announced_on": _iso(announced_on)},
    )
    return dialogue


@transaction.atomic
def dialogue_announce(*, dialogue: Dialogue, by: User, announced_on: dt.date) -> Dialogue:
    _check_scope(by, dialogue.agency)
    _not_future(announced_on, _("The announcement date"))
    if announced_on > dialogue.date:
        raise Refused(_("A dialogue cannot be announced after it is held."))
    dialogue.announced_on = announced_on
    dialogue.announcement_warning = announcement_warning(
        date=dialogue.date, announced_on=announced_on
    )
    dialogue.save(update_fields=["announced_on", "announcement_warning"])
    follow_up_event(
        dialogue,
        Kind.ANNOUNCED,
        actor=by,
        note=dialogue.announcement_warning,
        data={"on": announced_on.isoformat()},
    )
    return dialogue


@transaction.atomic
def dialogue_record(
    *, dialogue: Dialogue, by: User, minutes: str, issues_raised: str, attendance: int | None = None
) -> Dialogue:
    """Record the dialogue as held; its results are then due within 10 days (rules table)."""
    _check_scope(by, dialogue.agency)
    if dialogue.state != Dialogue.State.PLANNED:
        raise Refused(_("Only a planned dialogue can be recorded as held."))
    _not_future(dialogue.date, _("A dialogue held"))
    if not minutes.strip():
        raise Refused(_("Write the minutes of the dialogue."))
    due = deadline_for(
        kind=TimeLimitRule.Kind.DIALOGUE, stage=TimeLimitRule.Stage.RESULTS, start=dialogue.date
    ).due
    dialogue.state, dialogue.minutes, dialogue.issues_raised = (
        Dialogue.State.HELD,
        minutes,
        issues_raised,
    )
    dialogue.attendance, dialogue.results_due_on = attendance, due
    dialogue.save(
        update_fields=["state", "minutes", "issues_raised", "attendance", "results_due_on"]
    )
    follow_up_event(
        dialogue,
        Kind.HELD,
        actor=by,
        data={
            "on": dialogue.date.isoformat(),
            "attendance": attendance,
            "results_due_on": due.isoformat(),
        },
    )
    return dialogue


@transaction.atomic
def dialogue_publish_results(
    *, dialogue: Dialogue, by: User, results: str, published_on: dt.date | None = None
) -> Dialogue:
    _check_scope(by, dialogue.agency)
    if dialogue.state != Dialogue.State.HELD:
        raise Refused(_("Results are published after the dialogue is held."))
    if not results.strip():
        raise Refused(_("Write the results to publish."))
    published_on = published_on or timezone.localdate()
    _not_future(published_on, _("The publication date"))
    if published_on < dialogue.date:
        raise Refused(_("Results cannot be published before the dialogue."))
    dialogue.results, dialogue.results_published_on = results, published_on
    dialogue.save(update_fields=["results", "results_published_on"])
    follow_up_event(
        dialogue,
        Kind.RESULTS_PUBLISHED,
        actor=by,
        data={"on": published_on.isoformat(), "late": _late(published_on, dialogue.results_due_on)},
    )
    return dialogue


@transaction.atomic
def dialogue_cancel(*, dialogue: Dialogue, by: User, reason: str) -> Dialogue:
    _check_scope(by, dialogue.agency)
    if dialogue.state != Dialogue.State.PLANNED:
        raise Refused(_("Only a planned dialogue can be cancelled."))
    if not reason.strip():
        raise Refused(_("Give the reason for cancelling."))
    dialogue.state = Dialogue.State.CANCELLED
    dialogue.minutes = reason
    dialogue.save(update_fields=["state", "minutes"])
    follow_up_event(dialogue, Kind.CANCELLED, actor=by, note=reason)
    return dialogue


# --- grassroots mediation ---------------------------------------------------------------------


def _commune_agency(unit: AdministrativeUnit) -> Agency:
    commune = unit.parent if unit.level == AdministrativeUnit.Level.VILLAGE else unit
    agency = Agency.objects.filter(
        unit=commune, kind=Agency.Kind.PEOPLES_COMMITTEE, valid_to__isnull=True
    ).first()
    if agency is None:
        raise Refused(_("No People's Committee governs %(unit)s.") % {"unit": unit})
    return agency


@transaction.atomic
def team_create(*, unit: AdministrativeUnit, name: str, by: User) -> MediationTeam:
    """A mediation team for a village or residential group (one per village, Art. 12)."""
    if unit.level != AdministrativeUnit.Level.VILLAGE:
        raise Refused(_("A mediation team belongs to a village or residential group."))
    _check_scope(by, _commune_agency(unit))
    if MediationTeam.objects.filter(unit=unit, is_active=True).exists():
        raise Refused(_("%(unit)s already has a mediation team.") % {"unit": unit})
    return MediationTeam.objects.create(unit=unit, name=name)


@transaction.atomic
def mediator_add(
    *,
    team: MediationTeam,
    by: User,
    full_name: str,
    gender: str,
    is_ethnic_minority: bool = False,
    ethnicity: str = "",
    is_leader: bool = False,
) -> Mediator:
    _check_scope(by, _commune_agency(team.unit))
    if is_leader:
        team.members.filter(is_leader=True).update(is_leader=False)
    return Mediator.objects.create(
        team=team,
        full_name=full_name,
        gender=gender,
        is_ethnic_minority=is_ethnic_minority,
        ethnicity=ethnicity,
        is_leader=is_leader,
    )


@transaction.atomic
def mediation_open(
    *,
    team: MediationTeam,
    by: User,
    parties: str,
    dispute: str,
    mediator: Mediator,
    assigned_on: dt.date,
    source_item: PetitionItem | None = None,
) -> MediationCase:
    """Open a mediation case; it is to start within 3 days of assignment (Art. 20, rules table).
    A petition about a civil dispute can be sent here first; the petition waits for the outcome."""
    _check_scope(by, _commune_agency(team.unit))
    if mediator.team_id != team.pk or not mediator.is_active:
        raise Refused(_("The mediator must be an active member of the team."))
    _not_future(assigned_on, _("The assignment date"))
    if not parties.strip() or not dispute.strip():
        raise Refused(_("Name the parties and describe the dispute."))
    due = deadline_for(
        kind=TimeLimitRule.Kind.MEDIATION, stage=TimeLimitRule.Stage.START, start=assigned_on
    ).due
    case = MediationCase.objects.create(
        team=team,
        parties=parties,
        dispute=dispute,
        mediator=mediator,
        assigned_on=assigned_on,
        start_due_on=due,
        source_item=source_item,
        recorded_by=by,
    )
    follow_up_event(
        case,
        Kind.OPENED,
        actor=by,
        data={
            "on": assigned_on.isoformat(),
            "mediator": mediator.full_name,
            "start_due_on": due.isoformat(),
        },
    )
    if source_item is not None:
        petitions.item_send_to_mediation(
            item=source_item, by=by, team_name=team.name, case_id=case.pk
        )
    return case


@transaction.atomic
def mediation_start(*, case: MediationCase, by: User, started_on: dt.date) -> MediationCase:
    _check_scope(by, _commune_agency(case.team.unit))
    _not_future(started_on, _("The start date"))
    if started_on < case.assigned_on:
        raise Refused(_("Mediation cannot start before it was assigned."))
    case.started_on = started_on
    case.save(update_fields=["started_on"])
    follow_up_event(
        case,
        Kind.STARTED,
        actor=by,
        data={"on": started_on.isoformat(), "late": _late(started_on, case.start_due_on)},
    )
    return case


@transaction.atomic
def mediation_conclude(
    *, case: MediationCase, by: User, outcome: str, outcome_on: dt.date, agreement_terms: str = ""
) -> MediationCase:
    """Successful (with the agreement's terms), unsuccessful or ended (Art. 23–27). An
    unsuccessful mediation of a petition's dispute sends the petition on its way again."""
    case = (
        MediationCase.objects.select_for_update(of=("self",))
        .select_related("team__unit", "source_item")
        .get(pk=case.pk)
    )
    _check_scope(by, _commune_agency(case.team.unit))
    if case.outcome != MediationCase.Outcome.PENDING:
        raise Refused(_("This mediation already has an outcome."))
    if outcome not in {
        MediationCase.Outcome.SUCCESSFUL,
        MediationCase.Outcome.UNSUCCESSFUL,
        MediationCase.Outcome.ENDED,
    }:
        raise Refused(_("Choose the outcome."))
    if outcome == MediationCase.Outcome.SUCCESSFUL and not agreement_terms.strip():
        raise Refused(_("A successful mediation records the terms of the agreement."))
    _not_future(outcome_on, _("The outcome date"))
    if outcome_on < case.assigned_on:
        raise Refused(_("The outcome cannot precede the assignment."))
    case.outcome, case.outcome_on, case.agreement_terms = outcome, outcome_on, agreement_terms
    case.started_on = case.started_on or outcome_on
    case.escalated = case.source_item_id is not None and outcome != MediationCase.Outcome.SUCCESSFUL
    case.save(update_fields=["outcome", "outcome_on", "agreement_terms", "started_on", "escalated"])
    follow_up_event(
        case,
        Kind.CONCLUDED,
        actor=by,
        note=agreement_terms,
        data={"outcome": outcome, "on": outcome_on.isoformat(), "escalated": case.escalated},
    )
    if case.source_item is not None:
        petitions.item_mediation_outcome(
            item=case.source_item,
            by=by,
            settled=outcome == MediationCase.Outcome.SUCCESSFUL,
            case_id=case.pk,
        )
    return case


@transaction.atomic
def mediation_follow_up(
    *, case: MediationCase, by: User, note: str, agreement_kept: bool | None
) -> MediationCase:
    """The mediator follows up on the agreement (Art. 27)."""
    _check_scope(by, _commune_agency(case.team.unit))
    if case.outcome != MediationCase.Outcome.SUCCESSFUL:
        raise Refused(_("Only a successful mediation has an agreement to follow up."))
    if not note.strip():
        raise Refused(_("Write what the follow-up found."))
    stamp = timezone.localdate().strftime("%d/%m/%Y")
    case.follow_up = f"{case.follow_up}\n{stamp}: {note}".strip()
    case.agreement_kept = agreement_kept
    case.save(update_fields=["follow_up", "agreement_kept"])
    follow_up_event(
        case, Kind.FOLLOWED_UP, actor=by, note=note, data={"agreement_kept": agreement_kept}
    )
    return case


# --- the People's Council ----------------------------------------------------------------------


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
    _check_scope(by, _council(council))
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
    _check_scope(by, session.council)
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
    follow_up_event(
        question,
        Kind.ASKED,
        actor=by,
        data={"on": asked_on.isoformat(), "answer_due_on": _iso(due)},
    )
    return question


@transaction.atomic
def question_answer(
    *, question: Question, by: User, answer: str, in_session: bool, answered_on: dt.date
) -> Question:
    _check_scope(by, question.session.council)
    if question.state != Question.State.ASKED:
        raise Refused(_("This question is already answered."))
    if not answer.strip():
        raise Refused(_("Write the answer."))
    _not_future(answered_on, _("The answer date"))
    if answered_on < question.asked_on:
        raise Refused(_("An answer cannot precede the question."))
    if in_session and answered_on > question.session.end_date:
        raise Refused(_("An answer given after the session closed is a written answer."))
    question.state = (
        Question.State.ANSWERED_IN_SESSION if in_session else Question.State.ANSWERED_IN_WRITING
    )
    question.answer, question.answered_on = answer, answered_on
    question.save(update_fields=["state", "answer", "answered_on"])
    follow_up_event(
        question,
        Kind.ANSWERED,
        actor=by,
        data={
            "on": answered_on.isoformat(),
            "in_session": in_session,
            "late": not in_session and _late(answered_on, question.answer_due_on),
        },
    )
    return question


@transaction.atomic
def resolution_add(
    *, session: CouncilSession, by: User, number: str, adopted_on: dt.date, content: str
) -> CouncilResolution:
    _check_scope(by, session.council)
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
    _check_scope(by, _council(council))
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
    _check_scope(by, meeting.council)
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
    follow_up_event(
        recommendation,
        Kind.ASSIGNED,
        actor=by,
        data={
            "agency": assigned_agency.code,
            "on": assigned_on.isoformat(),
            "reply_due_on": due.isoformat(),
        },
    )
    return recommendation


@transaction.atomic
def voter_recommendation_reply(
    *, recommendation: VoterRecommendation, by: User, reply: str, replied_on: dt.date
) -> VoterRecommendation:
    _check_scope(by, recommendation.assigned_agency)
    if recommendation.replied_on:
        raise Refused(_("This recommendation was already answered."))
    if not reply.strip():
        raise Refused(_("Write the reply."))
    _not_future(replied_on, _("The reply date"))
    if replied_on < recommendation.assigned_on:
        raise Refused(_("A reply cannot precede the assignment."))
    recommendation.reply, recommendation.replied_on = reply, replied_on
    recommendation.save(update_fields=["reply", "replied_on"])
    follow_up_event(
        recommendation,
        Kind.REPLIED,
        actor=by,
        data={
            "on": replied_on.isoformat(),
            "late": _late(replied_on, recommendation.reply_due_on),
        },
    )
    return recommendation
