"""Models of citizen reception (tiếp công dân)."""

from .reception import (
    FrequencyRule,
    PresiderType,
    ReceptionEvent,
    ReceptionSession,
    Schedule,
    SessionKind,
    Visit,
    VisitorReveal,
)

__all__ = [
    "FrequencyRule",
    "PresiderType",
    "ReceptionEvent",
    "ReceptionSession",
    "Schedule",
    "SessionKind",
    "Visit",
    "VisitorReveal",
]
