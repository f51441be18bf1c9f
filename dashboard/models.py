"""Monthly figures of the overview's trends, rolled up so that the page reads a few hundred rows
instead of a year of items.

``MonthlyFigures`` holds, per month and per scope path (the path of the unit of the responsible
agency, as ``PetitionItem.scope_path``), how many items were received, concluded, and concluded
on time. ``FiguresMonth`` marks a month whose roll-up is complete, and as of when: the overview
reads the roll-up for marked months and counts the items of unmarked ones directly. Both are
written only by ``dashboard.services.figures_refresh`` (beat: every 10 minutes for this month
and the last; ``manage.py refresh_figures`` for all).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FiguresMonth(models.Model):
    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("month of figures")
        verbose_name_plural = _("months of figures")

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}"


class MonthlyFigures(models.Model):
    SCOPE_PATH = "scope_path"  # gov.scoping, as PetitionItem

    month = models.DateField(_("month"))
    scope_path = models.CharField(max_length=255)
    received = models.PositiveIntegerField(_("received"), default=0)
    concluded = models.PositiveIntegerField(_("concluded"), default=0)
    on_time = models.PositiveIntegerField(_("concluded on time"), default=0)

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["month", "scope_path"], name="figures_month_scope")
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.scope_path}"

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """Nothing: the roll-up is per unit, not per agency. The overview counts an
        agency-limited reader's items live (dashboard.selectors.monthly_trends)."""
        return models.Q(pk__in=[])
