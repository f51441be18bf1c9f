"""The lifecycle of each accountability record: the moves its state may make, and the steps
each state allows without changing it (named by the event the step records). Services refuse
anything not listed here (``gov.lifecycle``); a cancelled dialogue, for one, is announced no
more."""

from __future__ import annotations

from gov.lifecycle import Lifecycle

from .models import (
    Commitment,
    CommitmentEvent,
    Dialogue,
    MediationCase,
    Question,
    VoterRecommendation,
)
from .models import FollowUpEvent as _Event

Kind = _Event.Kind
_D, _M, _Q = Dialogue.State, MediationCase.Outcome, Question.State
_V, _C = VoterRecommendation.State, Commitment.State

DIALOGUE = Lifecycle(
    Dialogue.State,
    moves={
        _D.PLANNED: frozenset({_D.HELD, _D.CANCELLED}),
        _D.HELD: frozenset(),
        _D.CANCELLED: frozenset(),
    },
    steps={
        _D.PLANNED: frozenset({Kind.ANNOUNCED}),
        _D.HELD: frozenset({Kind.RESULTS_PUBLISHED}),
    },
)

MEDIATION = Lifecycle(
    MediationCase.Outcome,
    moves={
        _M.PENDING: frozenset({_M.SUCCESSFUL, _M.UNSUCCESSFUL, _M.ENDED}),
        _M.SUCCESSFUL: frozenset(),
        _M.UNSUCCESSFUL: frozenset(),
        _M.ENDED: frozenset(),
    },
    steps={
        _M.PENDING: frozenset({Kind.STARTED}),
        _M.SUCCESSFUL: frozenset({Kind.FOLLOWED_UP}),  # the mediator follows up (Art. 27)
    },
)

QUESTION = Lifecycle(
    Question.State,
    moves={
        _Q.ASKED: frozenset({_Q.ANSWERED_IN_SESSION, _Q.ANSWERED_IN_WRITING}),
        _Q.ANSWERED_IN_SESSION: frozenset(),
        _Q.ANSWERED_IN_WRITING: frozenset(),
    },
)

VOTER_RECOMMENDATION = Lifecycle(
    VoterRecommendation.State,
    moves={_V.ASSIGNED: frozenset({_V.REPLIED}), _V.REPLIED: frozenset()},
)

COMMITMENT = Lifecycle(
    Commitment.State,
    moves={
        _C.OPEN: frozenset({_C.KEPT, _C.NOT_KEPT}),
        _C.KEPT: frozenset(),
        _C.NOT_KEPT: frozenset(),
    },
    steps={
        _C.OPEN: frozenset({CommitmentEvent.Kind.PROGRESS, CommitmentEvent.Kind.DEADLINE_CHANGED}),
    },
)
