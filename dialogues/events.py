"""Every change to a commitment, a dialogue, a mediation case, a council question or a voters'
recommendation writes one event, through one function per event kind here (as
``complaints.events`` and ``reception.events`` do): the function names the kind and decides
what the event keeps. ``_follow_up`` and ``_commitment`` are the only writers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .models import (
    Commitment,
    CommitmentEvent,
    Dialogue,
    FollowUpEvent,
    MediationCase,
    Question,
    VoterRecommendation,
)
from .models.history import SUBJECTS

if TYPE_CHECKING:
    from gov.models import Agency, User

Kind = FollowUpEvent.Kind
Subject = Dialogue | MediationCase | Question | VoterRecommendation


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _late(day: dt.date, due: dt.date | None) -> bool:
    return due is not None and day > due


def _follow_up(
    subject: Subject, kind: str, *, actor: User | None, note: str = "", data: dict | None = None
) -> FollowUpEvent:
    """One event in the history of ``subject``."""
    return FollowUpEvent.objects.create(
        **{SUBJECTS[type(subject)]: subject}, kind=kind, actor=actor, note=note, data=data or {}
    )


# --- dialogues ---------------------------------------------------------------------------------


def dialogue_planned(
    dialogue: Dialogue, *, actor: User, taking_part: list[Agency]
) -> FollowUpEvent:
    data = {
        "date": dialogue.date.isoformat(),
        "announced_on": _iso(dialogue.announced_on),
        "agencies_taking_part": [a.code for a in taking_part],
    }
    return _follow_up(dialogue, Kind.PLANNED, actor=actor, data=data)


def dialogue_announced(dialogue: Dialogue, *, actor: User) -> FollowUpEvent:
    return _follow_up(
        dialogue,
        Kind.ANNOUNCED,
        actor=actor,
        note=dialogue.announcement_warning,
        data={"on": _iso(dialogue.announced_on)},
    )


def dialogue_held(dialogue: Dialogue, *, actor: User) -> FollowUpEvent:
    data = {
        "on": dialogue.date.isoformat(),
        "attendance": dialogue.attendance,
        "results_due_on": _iso(dialogue.results_due_on),
    }
    return _follow_up(dialogue, Kind.HELD, actor=actor, data=data)


def dialogue_results_published(dialogue: Dialogue, *, actor: User) -> FollowUpEvent:
    on = dialogue.results_published_on
    assert on is not None
    data = {"on": on.isoformat(), "late": _late(on, dialogue.results_due_on)}
    return _follow_up(dialogue, Kind.RESULTS_PUBLISHED, actor=actor, data=data)


def dialogue_cancelled(dialogue: Dialogue, *, actor: User, reason: str) -> FollowUpEvent:
    return _follow_up(dialogue, Kind.CANCELLED, actor=actor, note=reason)


# --- grassroots mediation ----------------------------------------------------------------------


def mediation_opened(case: MediationCase, *, actor: User) -> FollowUpEvent:
    data = {
        "on": case.assigned_on.isoformat(),
        "mediator": case.mediator.full_name,
        "start_due_on": _iso(case.start_due_on),
    }
    return _follow_up(case, Kind.OPENED, actor=actor, data=data)


def mediation_started(case: MediationCase, *, actor: User) -> FollowUpEvent:
    on = case.started_on
    assert on is not None
    data = {"on": on.isoformat(), "late": _late(on, case.start_due_on)}
    return _follow_up(case, Kind.STARTED, actor=actor, data=data)


def mediation_concluded(case: MediationCase, *, actor: User) -> FollowUpEvent:
    data = {"outcome": case.outcome, "on": _iso(case.outcome_on), "escalated": case.escalated}
    return _follow_up(case, Kind.CONCLUDED, actor=actor, note=case.agreement_terms, data=data)


def mediation_followed_up(case: MediationCase, *, actor: User, note: str) -> FollowUpEvent:
    data = {"agreement_kept": case.agreement_kept}
    return _follow_up(case, Kind.FOLLOWED_UP, actor=actor, note=note, data=data)


def mediation_anonymised(case: MediationCase, *, rule: str, years: int) -> FollowUpEvent:
    """The retention period ended: the parties' names were erased (privacy.services)."""
    data = {"rule": rule, "years": years}
    return _follow_up(case, Kind.ANONYMISED, actor=None, data=data)


# --- the People's Council ----------------------------------------------------------------------


def question_asked(question: Question, *, actor: User) -> FollowUpEvent:
    data = {"on": question.asked_on.isoformat(), "answer_due_on": _iso(question.answer_due_on)}
    return _follow_up(question, Kind.ASKED, actor=actor, data=data)


def question_answered(question: Question, *, actor: User, in_session: bool) -> FollowUpEvent:
    on = question.answered_on
    assert on is not None
    data = {
        "on": on.isoformat(),
        "in_session": in_session,
        "late": not in_session and _late(on, question.answer_due_on),
    }
    return _follow_up(question, Kind.ANSWERED, actor=actor, data=data)


def recommendation_assigned(recommendation: VoterRecommendation, *, actor: User) -> FollowUpEvent:
    data = {
        "agency": recommendation.assigned_agency.code,
        "on": recommendation.assigned_on.isoformat(),
        "reply_due_on": _iso(recommendation.reply_due_on),
    }
    return _follow_up(recommendation, Kind.ASSIGNED, actor=actor, data=data)


def recommendation_replied(recommendation: VoterRecommendation, *, actor: User) -> FollowUpEvent:
    on = recommendation.replied_on
    assert on is not None
    data = {"on": on.isoformat(), "late": _late(on, recommendation.reply_due_on)}
    return _follow_up(recommendation, Kind.REPLIED, actor=actor, data=data)


# --- commitments -------------------------------------------------------------------------------


def _commitment(
    commitment: Commitment,
    kind: str,
    *,
    actor: User | None,
    note: str = "",
    data: dict | None = None,
) -> CommitmentEvent:
    return CommitmentEvent.objects.create(
        commitment=commitment, kind=kind, actor=actor, note=note, data=data or {}
    )


def commitment_made(commitment: Commitment, *, actor: User) -> CommitmentEvent:
    data = {"deadline": commitment.deadline.isoformat()}
    return _commitment(commitment, CommitmentEvent.Kind.MADE, actor=actor, data=data)


def commitment_progress(commitment: Commitment, *, actor: User, note: str) -> CommitmentEvent:
    return _commitment(commitment, CommitmentEvent.Kind.PROGRESS, actor=actor, note=note)


def commitment_deadline_changed(
    commitment: Commitment, *, actor: User, before: dt.date, reason: str
) -> CommitmentEvent:
    data = {"before": before.isoformat(), "after": commitment.deadline.isoformat()}
    kind = CommitmentEvent.Kind.DEADLINE_CHANGED
    return _commitment(commitment, kind, actor=actor, note=reason, data=data)


def commitment_closed(commitment: Commitment, *, actor: User, on: dt.date) -> CommitmentEvent:
    """Kept or not kept, as the promise's state now says, on ``on``."""
    kept = commitment.state == Commitment.State.KEPT
    kind = CommitmentEvent.Kind.KEPT if kept else CommitmentEvent.Kind.NOT_KEPT
    data = {"on": on.isoformat(), "late": on > commitment.deadline}
    return _commitment(commitment, kind, actor=actor, note=commitment.evidence, data=data)
