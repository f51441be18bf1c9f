"""Models of the petitions app (đơn thư), one module per concern."""

from .events import ItemEvent
from .items import ItemDeadline, PetitionItem, Status
from .petitions import Attachment, Channel, IdentityReveal, Letter, Petition, Submitter
from .routing import Hotspot, RoutingRule

__all__ = [
    "Attachment",
    "Channel",
    "Hotspot",
    "IdentityReveal",
    "ItemDeadline",
    "ItemEvent",
    "Letter",
    "Petition",
    "PetitionItem",
    "RoutingRule",
    "Status",
    "Submitter",
]
