"""Models of citizen reception (tiếp công dân)."""

from .reception import (
    FrequencyRule,
    PresiderType,
    ReceptionEvent,
    ReceptionSession,
    Schedule,
    SessionKind,
    Visit,
)

__all__ = [
    "FrequencyRule",
    "PresiderType",
    "ReceptionEvent",
    "ReceptionSession",
    "Schedule",
    "SessionKind",
    "Visit",
]
