from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminders before legal deadlines pass, escalation of overdue work to leaders and to the
    superior level, and a weekly digest for leaders. It reads the deadlines of every other app."""

    name = "reminders"
    verbose_name = _("Reminders and escalation")

    def ready(self) -> None:
        from gov.metrics import register_backlog

        from . import sending

        register_backlog(
            "reminders_unsent", "Reminders written but not sent", lambda: sending.pending().count()
        )
        register_backlog(
            "reminder_emails_pending",
            "Reminders sent in the portal whose e-mail has not left",
            lambda: sending.emails_pending().count(),
        )
