"""Every change to a commitment, a dialogue, a mediation case, a council question or a voters'
recommendation writes one event, through here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Commitment, CommitmentEvent, FollowUpEvent
from .models.history import SUBJECTS

if TYPE_CHECKING:
    from gov.models import User


def commitment_event(
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


def follow_up_event(
    subject: object,
    kind: str,
    *,
    actor: User | None,
    note: str = "",
    data: dict | None = None,
) -> FollowUpEvent:
    """One event in the history of ``subject``: a dialogue, a mediation case, a question or a
    voters' recommendation."""
    return FollowUpEvent.objects.create(
        **{SUBJECTS[type(subject)]: subject}, kind=kind, actor=actor, note=note, data=data or {}
    )
