from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The leaders' overview: deadlines by commune, agency and handler, reception compliance,
    mediation, commitments and monthly trends. It only reads; every number is a grouped
    aggregate computed by the database, linked to the filtered list behind it."""

    name = "dashboard"
    verbose_name = _("Leaders' overview")
