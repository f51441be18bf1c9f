from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Petitions (đơn): complaints, denunciations, recommendations and feedback."""

    name = "complaints"
    verbose_name = _("Petitions")
