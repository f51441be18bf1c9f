"""Models of accountability: dialogues, grassroots mediation, the People's Council, and one
commitment tracker for the promises made in all of them."""

from .commitments import Commitment, CommitmentEvent, CommitmentSource
from .council import CouncilResolution, CouncilSession, Question, VoterMeeting, VoterRecommendation
from .dialogues import Dialogue
from .history import FollowUpEvent
from .mediation import MediationCase, MediationTeam, Mediator

__all__ = [
    "Commitment",
    "CommitmentEvent",
    "CommitmentSource",
    "CouncilResolution",
    "CouncilSession",
    "Dialogue",
    "FollowUpEvent",
    "MediationCase",
    "MediationTeam",
    "Mediator",
    "Question",
    "VoterMeeting",
    "VoterRecommendation",
]
