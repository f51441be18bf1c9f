from __future__ import annotations

import datetime as dt

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.models import Confidence


class RetentionRule(models.Model):
    """How many years a kind of record keeps the identity of the people in it, counted from the
    end of the matter, before the portal anonymises it (Law 91/2025 Art. 3: data are kept no
    longer than their purpose needs). The case itself (content, steps, decisions) is kept: the
    archive's own periods (Thông tư 10/2022/TT-BNV) govern the paper file.

    The periods are data: the archivist corrects them in the admin; a record follows the rule
    in force on the day the job runs (the latest row with ``valid_from`` ≤ that day)."""

    class RecordKind(models.TextChoices):
        RESOLVED_COMPLAINT = (
            "resolved_complaint",
            _("Complaint or denunciation resolved (accepted and concluded)"),
        )
        OTHER_PETITION = (
            "other_petition",
            _("Other petition (recommendation, feedback, filed, guided, transferred, withdrawn)"),
        )
        RECEPTION_VISIT = "reception_visit", _("Citizen received at a reception session")
        MEDIATION_CASE = "mediation_case", _("Grassroots mediation case")

    record_kind = models.CharField(_("kind of record"), max_length=30, choices=RecordKind.choices)
    years = models.PositiveSmallIntegerField(_("years kept"), validators=[MinValueValidator(1)])
    counted_from = models.CharField(_("counted from"), max_length=200)
    valid_from = models.DateField(_("in force from"))
    source = models.CharField(_("legal source"), max_length=255)
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["record_kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_kind", "valid_from"], name="retention_rule_kind_from_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_record_kind_display()}: {self.years}"

    @classmethod
    def in_force(cls, on: dt.date) -> dict[str, RetentionRule]:
        """The rule of each record kind in force on ``on``."""
        rules: dict[str, RetentionRule] = {}
        for rule in cls.objects.filter(valid_from__lte=on).order_by("record_kind", "-valid_from"):
            rules.setdefault(rule.record_kind, rule)
        return rules
