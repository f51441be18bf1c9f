from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """The last run of each periodic job (the sweep, the dispatch of reminders, the overview's
    roll-up…), one row per job, overwritten at each run: what ``/readyz``, ``/metrics`` and the
    leaders' overview read to say whether the background work is alive. A run writes its row
    with one ``INSERT … ON CONFLICT`` (``gov.jobs.job_run``), so two runs at once never fail on
    it. Holds no personal data: an error is kept as its exception's class name only."""

    name = models.CharField(_("job"), max_length=60, unique=True)
    last_started_at = models.DateTimeField(_("last started"))
    last_finished_at = models.DateTimeField(_("last finished"))
    last_succeeded_at = models.DateTimeField(_("last succeeded"), null=True, blank=True)
    last_duration_seconds = models.FloatField(_("duration of the last run (s)"))
    last_outcome = models.CharField(_("outcome of the last run"), max_length=120)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
