"""Every change to a commitment writes one event, through here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Commitment, CommitmentEvent

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
