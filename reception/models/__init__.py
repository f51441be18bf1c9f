"""Models of citizen reception (tiếp công dân)."""

from .reception import (
    SCHEDULE_LIFECYCLE,
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
    "SCHEDULE_LIFECYCLE",
    "FrequencyRule",
    "PresiderType",
    "ReceptionEvent",
    "ReceptionSession",
    "Schedule",
    "SessionKind",
    "Visit",
    "VisitorReveal",
]
