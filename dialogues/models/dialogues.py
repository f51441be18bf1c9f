from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.models import AdministrativeUnit, Agency


class Dialogue(models.Model):
    """A dialogue between a head of government and the people (đối thoại; Quy chế 06-QC/TU of
    Lai Châu; Law 72/2025/QH15 Art. 43): announced ahead, held, its minutes, issues and
    commitments recorded, its results published."""

    SCOPE_PATH = "agency__unit__path"

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    agency = models.ForeignKey(
        Agency, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="dialogues"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="dialogues",
    )
    leader_name = models.CharField(
        _("leader"), max_length=200, help_text=_("Name and title, e.g. Chủ tịch UBND xã")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader's account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=255)
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255)
    participants = models.TextField(_("participants"), blank=True)
    expected_participants = models.PositiveIntegerField(_("expected participants"), default=0)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announcement_warning = models.CharField(max_length=255, blank=True, editable=False)
    agencies_taking_part = models.ManyToManyField(
        Agency,
        verbose_name=_("agencies taking part"),
        blank=True,
        related_name="dialogues_taken_part",
        help_text=_("Departments and other agencies whose officials take part and answer."),
    )
    related_petitions = models.ManyToManyField(
        "complaints.Petition",
        verbose_name=_("related petitions"),
        blank=True,
        related_name="dialogues",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    issues_raised = models.TextField(_("issues raised"), blank=True)
    attendance = models.PositiveIntegerField(_("people who took part"), null=True, blank=True)
    results_due_on = models.DateField(_("results due on"), null=True, blank=True)
    results = models.TextField(_("published results"), blank=True)
    results_published_on = models.DateField(_("results published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.date:%d/%m/%Y})"

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """The dialogues a provincial agency without province-wide reading sees (gov.scoping):
        those it organises, those it takes part in, and those where a promise was made in its
        name (it answers for it)."""
        commitment = cls._meta.get_field("commitments").related_model  # no import cycle
        owed = commitment.objects.filter(owner_agency_id=agency_id, dialogue__isnull=False)
        taking_part = cls.agencies_taking_part.through.objects.filter(agency_id=agency_id)
        return (
            models.Q(agency_id=agency_id)
            | models.Q(pk__in=taking_part.values("dialogue_id"))
            | models.Q(pk__in=owed.values("dialogue_id"))
        )

    def results_overdue(self, today: dt.date) -> bool:
        return bool(
            self.results_due_on and not self.results_published_on and today > self.results_due_on
        )


# A dialogue held whose results are not yet published: they are owed, by ``results_due_on``
# (Law 72/2025/QH15 Art. 43). The overview, the dialogues list and the reminders read this.
RESULTS_OWED = models.Q(state=Dialogue.State.HELD, results_published_on__isnull=True)
