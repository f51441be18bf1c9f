from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.text import fold_diacritics


class Confidence(models.TextChoices):
    """How sure we are of a fact taken from the law or the press (see shared/domain.md)."""

    TEXT = "T", _("Text of the law read")
    SUMMARY = "S", _("Official or press summary")
    UNOFFICIAL = "U", _("One unofficial source")
    UNVERIFIED = "M", _("Unverified")


class AdministrativeUnit(models.Model):
    """An administrative unit (đơn vị hành chính): province, district, commune/ward/town, or
    village/residential group (thôn, bản, tổ dân phố).

    Units are never deleted: a unit abolished by a reform gets ``valid_to`` and a ``successor``,
    so petitions filed before 1 July 2025 keep naming the district or commune they named, and
    open cases route to the successor.
    """

    # gov.scoping: where this row sits in the unit tree.
    SCOPE_PATH = "path"

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        DISTRICT = 2, _("District")
        COMMUNE = 3, _("Commune")
        VILLAGE = 4, _("Village")

    class UnitType(models.TextChoices):
        PROVINCE = "province", _("Province")
        PROVINCIAL_CITY = "provincial_city", _("City (district level)")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune")
        WARD = "ward", _("Ward")
        TOWN = "town", _("Town")
        VILLAGE = "village", _("Village")
        RESIDENTIAL_GROUP = "residential_group", _("Residential group")

    LEVEL_OF_TYPE = {
        UnitType.PROVINCE: Level.PROVINCE,
        UnitType.PROVINCIAL_CITY: Level.DISTRICT,
        UnitType.DISTRICT: Level.DISTRICT,
        UnitType.COMMUNE: Level.COMMUNE,
        UnitType.WARD: Level.COMMUNE,
        UnitType.TOWN: Level.COMMUNE,
        UnitType.VILLAGE: Level.VILLAGE,
        UnitType.RESIDENTIAL_GROUP: Level.VILLAGE,
    }

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Stable portal code, e.g. 'muong-kim'. It cannot change once saved."),
    )
    gso_code = models.CharField(
        _("official code"),
        max_length=10,
        blank=True,
        help_text=_("Statistics office code, if known."),
    )
    name = models.CharField(_("name"), max_length=120)
    name_folded = models.CharField(max_length=120, editable=False, db_index=True)
    unit_type = models.CharField(_("type"), max_length=20, choices=UnitType.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Last day the unit existed.")
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("The unit that took over after this one ended."),
    )
    former_district = models.ForeignKey(
        "self",
        verbose_name=_("former district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 2},
        help_text=_("For communes formed in 2025: the district whose area they mostly cover."),
    )
    is_remote = models.BooleanField(
        _("remote, hard-to-reach area"),
        default=False,
        help_text=_("Vùng sâu, vùng xa đi lại khó khăn: lengthens complaint resolution limits."),
    )
    is_ethnic_minority_area = models.BooleanField(_("ethnic minority area"), default=False)
    source = models.CharField(_("source"), max_length=255, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.SUMMARY
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        indexes = [models.Index(fields=["level", "valid_to"], name="unit_level_valid_idx")]

    def __str__(self) -> str:
        # The type's label straight from the choices (get_unit_type_display rebuilds a dict of
        # them at every call: the overview prints some 80 units).
        try:
            label = str(self.UnitType(self.unit_type).label)
        except ValueError:
            label = self.unit_type
        return f"{label} {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.level = self.LEVEL_OF_TYPE[self.UnitType(self.unit_type)]
        self.name_folded = fold_diacritics(self.name)
        self.path = (self.parent.path if self.parent is not None else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if (
            self.parent is not None
            and self.parent.level >= self.LEVEL_OF_TYPE[self.UnitType(self.unit_type)]
        ):
            raise ValidationError({"parent": _("The parent unit must be of a higher level.")})
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A unit cannot succeed itself.")})

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def current(self) -> AdministrativeUnit:
        """The unit that holds this one's area today, following successors (a former commune →
        its 2025 commune; a former district → the province)."""
        unit, seen = self, set()
        while unit.successor_id and unit.pk not in seen:
            seen.add(unit.pk)
            unit = unit.successor
        return unit

    def ancestors(self) -> list[AdministrativeUnit]:
        """From the province down to this unit's parent, in one query."""
        codes = self.path.strip("/").split("/")[:-1]
        by_code = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]
