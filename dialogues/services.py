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
from gov import authority
from gov.authority import Act
from gov.models import AdministrativeUnit, Agency, Sector, TimeLimitRule, User
from gov.selectors import NoTimeLimitRule
from gov.selectors import deadline_for as _deadline_for

from . import lifecycles
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


def _check_actor(by: User, act: str, agency: Agency) -> None:
    """The write acts for ``agency``, the record's owner (``gov.authority`` says who may)."""
    authority.require(by, act, agency, refused=Refused)


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
    _check_actor(by, Act.COMMITMENT_RECORD, owner_agency)
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


def _locked(commitment: Commitment, by: User, act: str) -> Commitment:
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("owner_agency__parent")
        .get(pk=commitment.pk)
    )
    _check_actor(by, act, commitment.owner_agency)
    return commitment


@transaction.atomic
def commitment_note_progress(*, commitment: Commitment, by: User, note: str) -> Commitment:
    commitment = _locked(commitment, by, Act.COMMITMENT_RECORD)
    lifecycles.COMMITMENT.allow(commitment.state, CommitmentEvent.Kind.PROGRESS, refused=Refused)
    if not note.strip():
        raise Refused(_("Write what was done."))
    commitment_event(commitment, CommitmentEvent.Kind.PROGRESS, actor=by, note=note)
    return commitment


@transaction.atomic
def commitment_change_deadline(
    *, commitment: Commitment, by: User, deadline: dt.date, reason: str
) -> Commitment:
    commitment = _locked(commitment, by, Act.COMMITMENT_DECIDE)
    lifecycles.COMMITMENT.allow(
        commitment.state, CommitmentEvent.Kind.DEADLINE_CHANGED, refused=Refused
    )
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
    commitment = _locked(commitment, by, Act.COMMITMENT_DECIDE)
    on = on or timezone.localdate()
    _not_future(on, _("The date"))
    if not evidence.strip():
        raise Refused(_("Give the evidence: what was done, or why the promise was not kept."))
    if on < commitment.made_on:
        raise Refused(_("A promise cannot be kept before it was made."))
    lifecycles.COMMITMENT.move(
        commitment,
        Commitment.State.KEPT if kept else Commitment.State.NOT_KEPT,
        field_name="state",
        refused=Refused,
    )
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
    agencies_taking_part: list[Agency] | None = None,
    leader: User | None = None,
) -> Dialogue:
    _check_actor(by, Act.DIALOGUE_PREPARE, agency)
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
    taking_part = sorted(set(agencies_taking_part or []), key=lambda a: a.code)
    if taking_part:
        # Each agency taking part reads the dialogue (``Dialogue.need_to_know``).
        dialogue.agencies_taking_part.set(taking_part)
    follow_up_event(
        dialogue,
        Kind.PLANNED,
        actor=by,
        data={
            "date": date.isoformat(),
            "announced_on": _iso(announced_on),
            "agencies_taking_part": [a.code for a in taking_part],
        },
    )
    return dialogue


def _locked_dialogue(dialogue: Dialogue, by: User, act: str) -> Dialogue:
    """The dialogue as it is now (another request may have cancelled it), checked for ``by``."""
    dialogue = (
        Dialogue.objects.select_for_update(of=("self",))
        .select_related("agency__parent")
        .get(pk=dialogue.pk)
    )
    _check_actor(by, act, dialogue.agency)
    return dialogue


@transaction.atomic
def dialogue_announce(*, dialogue: Dialogue, by: User, announced_on: dt.date) -> Dialogue:
    dialogue = _locked_dialogue(dialogue, by, Act.DIALOGUE_PREPARE)
    lifecycles.DIALOGUE.allow(dialogue.state, Kind.ANNOUNCED, refused=Refused)
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
    dialogue = _locked_dialogue(dialogue, by, Act.DIALOGUE_PREPARE)
    lifecycles.DIALOGUE.check_move(dialogue.state, Dialogue.State.HELD, refused=Refused)
    _not_future(dialogue.date, _("A dialogue held"))
    if not minutes.strip():
        raise Refused(_("Write the minutes of the dialogue."))
    due = deadline_for(
        kind=TimeLimitRule.Kind.DIALOGUE, stage=TimeLimitRule.Stage.RESULTS, start=dialogue.date
    ).due
    lifecycles.DIALOGUE.move(dialogue, Dialogue.State.HELD, field_name="state", refused=Refused)
    dialogue.minutes, dialogue.issues_raised = minutes, issues_raised
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
    dialogue = _locked_dialogue(dialogue, by, Act.DIALOGUE_PREPARE)
    lifecycles.DIALOGUE.allow(dialogue.state, Kind.RESULTS_PUBLISHED, refused=Refused)
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
    dialogue = _locked_dialogue(dialogue, by, Act.DIALOGUE_CANCEL)
    lifecycles.DIALOGUE.check_move(dialogue.state, Dialogue.State.CANCELLED, refused=Refused)
    if not reason.strip():
        raise Refused(_("Give the reason for cancelling."))
    lifecycles.DIALOGUE.move(
        dialogue, Dialogue.State.CANCELLED, field_name="state", refused=Refused
    )
    dialogue.minutes = reason
    dialogue.save(update_fields=["state", "minutes"])
    follow_up_event(dialogue, Kind.CANCELLED, actor=by, note=reason)
    return dialogue


# --- grassroots mediation ---------------------------------------------------------------------


def commune_agency(unit: AdministrativeUnit) -> Agency:
    """The People's Committee that keeps mediation in ``unit``'s commune (its owner)."""
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
    _check_actor(by, Act.MEDIATION, commune_agency(unit))
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
    _check_actor(by, Act.MEDIATION, commune_agency(team.unit))
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
    _check_actor(by, Act.MEDIATION, commune_agency(team.unit))
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


def _locked_case(case: MediationCase, by: User) -> MediationCase:
    case = (
        MediationCase.objects.select_for_update(of=("self",))
        .select_related("team__unit", "source_item")
        .get(pk=case.pk)
    )
    _check_actor(by, Act.MEDIATION, commune_agency(case.team.unit))
    return case


@transaction.atomic
def mediation_start(*, case: MediationCase, by: User, started_on: dt.date) -> MediationCase:
    case = _locked_case(case, by)
    lifecycles.MEDIATION.allow(case.outcome, Kind.STARTED, refused=Refused)
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
    case = _locked_case(case, by)
    if outcome not in MediationCase.Outcome.values or outcome == MediationCase.Outcome.PENDING:
        raise Refused(_("Choose the outcome."))
    lifecycles.MEDIATION.check_move(case.outcome, outcome, refused=Refused)
    if outcome == MediationCase.Outcome.SUCCESSFUL and not agreement_terms.strip():
        raise Refused(_("A successful mediation records the terms of the agreement."))
    _not_future(outcome_on, _("The outcome date"))
    if outcome_on < case.assigned_on:
        raise Refused(_("The outcome cannot precede the assignment."))
    lifecycles.MEDIATION.move(case, outcome, field_name="outcome", refused=Refused)
    case.outcome_on, case.agreement_terms = outcome_on, agreement_terms
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
    case = _locked_case(case, by)
    lifecycles.MEDIATION.allow(case.outcome, Kind.FOLLOWED_UP, refused=Refused)
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
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("session", "asked_agency__parent")
        .get(pk=question.pk)
    )
    # The agency questioned answers, not the council that asked (Law 87/2015 Art. 60).
    _check_actor(by, Act.QUESTION_ANSWER, question.asked_agency)
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
    recommendation = (
        VoterRecommendation.objects.select_for_update(of=("self",))
        .select_related("assigned_agency__parent")
        .get(pk=recommendation.pk)
    )
    _check_actor(by, Act.VOTERS_REPLY, recommendation.assigned_agency)
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
