from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .units import AdministrativeUnit, Confidence


class Sector(models.Model):
    """A field of state management (lĩnh vực): land, environment, social policy, conduct of
    officials, ... Petitions are classified by sector and agencies are competent for sectors."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A state body that receives or resolves petitions: a People's Committee (UBND), a
    provincial department (Sở), the provincial Inspectorate (Thanh tra tỉnh), the Citizen
    Reception Board (Ban Tiếp công dân), a People's Council (HĐND)."""

    # gov.scoping: where this row sits in the unit tree.
    SCOPE_PATH = "unit__path"

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
        DEPARTMENT = "department", _("Provincial department")
        INSPECTORATE = "inspectorate", _("Inspectorate")
        RECEPTION_BOARD = "reception_board", _("Citizen Reception Board")
        PEOPLES_COUNCIL = "peoples_council", _("People's Council")
        OFFICE = "office", _("Office")
        OTHER = "other", _("Other body")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("superior agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinates",
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors of competence"), blank=True, related_name="agencies"
    )
    head_title = models.CharField(
        _("title of the head"), max_length=80, blank=True, help_text=_("e.g. Chủ tịch, Giám đốc")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.SUMMARY
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["unit__path", "kind", "name"]
        indexes = [models.Index(fields=["kind", "valid_to"], name="agency_kind_valid_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None
