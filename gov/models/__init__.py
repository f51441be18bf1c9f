"""Models of the shared ``gov`` app, one module per concern."""

from .agencies import Agency, Sector
from .audit import AppendOnlyError, AuditRecord
from .calendar import CalendarDay
from .jobs import JobRun
from .notifications import Notification
from .rules import PetitionKind, TimeLimitRule
from .second_factor import RecoveryCode, RecoveryCodeDevice
from .staff import User
from .units import AdministrativeUnit, Confidence

__all__ = [
    "AdministrativeUnit",
    "Agency",
    "AppendOnlyError",
    "AuditRecord",
    "CalendarDay",
    "JobRun",
    "Confidence",
    "Notification",
    "Sector",
    "PetitionKind",
    "RecoveryCode",
    "RecoveryCodeDevice",
    "TimeLimitRule",
    "User",
]
