from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.models import AdministrativeUnit, Agency, PetitionKind, Sector


class RoutingRule(models.Model):
    """Which agency is competent for a sector, at a unit level, for a kind of petition.

    Blank sector or kind match any. The most specific matching rule wins (a rule naming both
    sector and kind beats one naming either, which beats one naming neither), then ``priority``.
    The target is either a fixed agency (the provincial Inspectorate, say) or an agency of a
    kind at the petition's unit or at the province (the People's Committee of the commune).
    """

    class Target(models.TextChoices):
        UNIT_AGENCY = "unit_agency", _("Agency of that kind at the place's unit")
        PROVINCE_AGENCY = "province_agency", _("Agency of that kind at the province")
        FIXED_AGENCY = "fixed_agency", _("A named agency")
        GUIDE = "guide", _("Outside the administration: guide the citizen")

    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.CASCADE, null=True, blank=True
    )
    unit_level = models.PositiveSmallIntegerField(
        _("level of the place"), choices=AdministrativeUnit.Level.choices
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        blank=True,
        choices=PetitionKind.choices,
    )
    target = models.CharField(_("competent body"), max_length=20, choices=Target.choices)
    agency_kind = models.CharField(
        _("agency kind"), max_length=30, choices=Agency.Kind.choices, blank=True
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, null=True, blank=True
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    note = models.CharField(_("note"), max_length=255, blank=True)
    source = models.CharField(_("legal source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["unit_level", "priority", "id"]

    def __str__(self) -> str:
        return f"{self.sector or '*'} · {self.get_unit_level_display()} · {self.kind or '*'}"


class Hotspot(models.Model):
    """A cluster of similar petitions about one place (điểm nóng in the making), raised to the
    unit's leaders so that it is met before it becomes a mass complaint."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        HANDLED = "handled", _("Handled")

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="hotspots",
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+"
    )
    items = models.ManyToManyField("complaints.PetitionItem", related_name="hotspots")
    first_received_on = models.DateField()
    last_received_on = models.DateField()
    size = models.PositiveIntegerField(default=0)
    # Similar online petitions whose senders are not confirmed, at the last count: shown beside
    # the size, never in it (complaints.detection).
    unverified = models.PositiveIntegerField(_("unverified online petitions"), default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    SCOPE_PATH = "unit__path"

    class Meta:
        verbose_name = _("hotspot alert")
        verbose_name_plural = _("hotspot alerts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.sector}"

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """A provincial agency without province-wide reading sees the alerts holding an item
        it sees (gov.scoping)."""
        from .items import PetitionItem

        seen = PetitionItem.objects.filter(PetitionItem.need_to_know(agency_id))
        return models.Q(pk__in=seen.filter(hotspots__isnull=False).values("hotspots"))
