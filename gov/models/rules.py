from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .units import Confidence


class PetitionKind(models.TextChoices):
    """The four kinds of petition (đơn) the law distinguishes: a complaint (khiếu nại, Luật
    Khiếu nại 2011) asks to review an administrative decision or act that affects the
    petitioner; a denunciation (tố cáo, Luật Tố cáo 2018) reports a violation by anyone; a
    recommendation (kiến nghị) and feedback (phản ánh) propose or report, with no statutory
    procedure of their own. The one enum of the kind: petition items, routing rules, reception
    visits and the time-limit rules use it."""

    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    RECOMMENDATION = "recommendation", _("Recommendation")
    FEEDBACK = "feedback", _("Feedback")


class TimeLimitRule(models.Model):
    """A legal time limit (thời hạn) as data: which kind of matter, which stage, which variant,
    how many working or calendar days, from which date, and the article that sets it.

    A case uses the rule in force on its start date (``effective_from`` ≤ that date, the latest
    such row), so cases opened before the 1 July 2026 amendments keep their old limits.
    """

    class Kind(models.TextChoices):
        ANY_PETITION = "any", _("Any petition")
        COMPLAINT = "complaint", _("Complaint")
        DENUNCIATION = "denunciation", _("Denunciation")
        RECOMMENDATION = "recommendation", _("Recommendation")
        FEEDBACK = "feedback", _("Feedback")
        COUNCIL_QUESTION = "council_question", _("People's Council question")
        VOTER_RECOMMENDATION = "voter_recommendation", _("Voter recommendation")
        MEDIATION = "mediation", _("Grassroots mediation")
        DIALOGUE = "dialogue", _("Dialogue")

    class Stage(models.TextChoices):
        LODGING = "lodging", _("Time to lodge")
        PROCESSING = "processing", _("Processing (xử lý đơn)")
        TRANSFER = "transfer", _("Transfer to the competent body")
        ACCEPTANCE = "acceptance", _("Acceptance (thụ lý)")
        ACCEPTANCE_NOTICE = "acceptance_notice", _("Notice of acceptance")
        RESOLUTION = "resolution", _("Resolution (first)")
        SECOND_LODGING = "second_lodging", _("Time to lodge a second complaint")
        SECOND_RESOLUTION = "second_resolution", _("Resolution (second)")
        EXTENSION = "extension", _("Extension")
        INTAKE_OUTCOME = "intake_outcome", _("Telling the petitioner the outcome of intake")
        ANSWER = "answer", _("Written answer or reply")
        START = "start", _("Start")
        ANNOUNCEMENT = "announcement", _("Announcement ahead")
        RESULTS = "results", _("Publication of results")

    class Variant(models.TextChoices):
        NORMAL = "normal", _("Normal")
        COMPLEX = "complex", _("Complex")
        ESPECIALLY_COMPLEX = "especially_complex", _("Especially complex")
        REMOTE = "remote", _("Remote area")
        REMOTE_COMPLEX = "remote_complex", _("Remote area, complex")

    class DayType(models.TextChoices):
        WORKING = "working", _("working days")
        CALENDAR = "calendar", _("calendar days")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    variant = models.CharField(
        _("variant"), max_length=30, choices=Variant.choices, default=Variant.NORMAL
    )
    days = models.PositiveSmallIntegerField(_("number of days"), validators=[MinValueValidator(1)])
    day_type = models.CharField(_("counted in"), max_length=10, choices=DayType.choices)
    max_times = models.PositiveSmallIntegerField(
        _("times it may be granted"),
        null=True,
        blank=True,
        help_text=_("For extensions: how many extensions of this length the law allows."),
    )
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("legal source"), max_length=255)
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("time limit rule")
        verbose_name_plural = _("time limit rules")
        ordering = ["kind", "stage", "variant", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "stage", "variant", "effective_from"], name="time_limit_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} · {self.get_stage_display()} · "
            f"{self.get_variant_display()}: {self.days} {self.get_day_type_display()}"
        )
