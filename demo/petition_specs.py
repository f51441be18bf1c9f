"""The shape of a demo petition: who files what, where, and each step of its handling. The
petitions themselves are in ``demo.petition_data``; ``demo.petitions`` makes them through the
services."""

from __future__ import annotations

from dataclasses import dataclass

from complaints.models import Channel, PetitionItem

Kind = PetitionItem.Kind
Ground = PetitionItem.FilingGround


@dataclass(frozen=True)
class Person:
    name: str
    phone: str = ""
    representative: bool = False


@dataclass(frozen=True)
class Step:
    """One action on the item, by a demo account. ``days_ago`` dates an acceptance or a
    conclusion; ``text`` is the conclusion, guidance, note or reason the action needs."""

    action: str
    by: str
    days_ago: int = 0
    handler: str = ""
    target: str = ""
    text: str = ""
    number: str = ""
    ground: str = ""
    original: str = ""


@dataclass(frozen=True)
class DemoPetition:
    key: str
    place: str  # unit code, as the petition names the place (may be a former commune)
    to: str  # agency the petition is addressed or handed to
    kind: str
    sector: str
    summary: str
    content: str
    address: str
    people: tuple[Person, ...] = ()
    days_ago: int = 0  # > 0: recorded later by ``recorded_by`` with the real date received
    recorded_by: str = ""
    channel: str = Channel.ONLINE
    group_size: int = 1
    anonymous: bool = False
    complex: bool = False
    issuer: str = ""
    decision: str = ""
    first_round: str = ""  # key of the first complaint
    denounced: str = ""
    denounced_agency: str = ""
    steps: tuple[Step, ...] = ()
