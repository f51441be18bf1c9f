from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    """Citizen reception (tiếp công dân): schedules, sessions and the reception log."""

    name = "reception"
    verbose_name = _("Citizen reception")
