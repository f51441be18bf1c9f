from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.models import Agency
from gov.models.events import Event


class CommitmentSource(models.TextChoices):
    DIALOGUE = "dialogue", _("Dialogue")
    COUNCIL_QUESTION = "council_question", _("People's Council question")
    COUNCIL_RESOLUTION = "council_resolution", _("Council resolution")
    VOTER_RECOMMENDATION = "voter_recommendation", _("Voter recommendation")
    RECEPTION = "reception", _("Citizen reception")


# The record a promise was made in: one of these keys is set (``CommitmentSource``).
SOURCE_KEYS = ("dialogue", "question", "resolution", "voter_recommendation", "reception_session")


class Commitment(models.Model):
    """A promise made in the name of an agency (lời hứa, cam kết), whatever its source, tracked
    until it is kept or found not kept. "On track", "due soon" and "overdue" are not stored:
    they follow from the deadline and today's date (``dialogues.selectors.with_status``)."""

    SCOPE_PATH = "owner_agency__unit__path"

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        NOT_KEPT = "not_kept", _("Not kept")

    source = models.CharField(_("made in"), max_length=30, choices=CommitmentSource.choices)
    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
    )
    question = models.ForeignKey(
        "dialogues.Question",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
    )
    resolution = models.ForeignKey(
        "dialogues.CouncilResolution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
    )
    voter_recommendation = models.ForeignKey(
        "dialogues.VoterRecommendation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
    )
    reception_session = models.ForeignKey(
        "reception.ReceptionSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
    )
    owner_agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency responsible"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    owner_name = models.CharField(_("person responsible"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account responsible"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    content = models.TextField(_("promise"))
    made_on = models.DateField(_("made on"))
    deadline = models.DateField(_("deadline"), db_index=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    evidence = models.TextField(_("evidence"), blank=True)
    kept_on = models.DateField(_("kept on"), null=True, blank=True)
    is_public = models.BooleanField(_("shown on the public list"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="commitment_state_deadline"),
            models.Index(
                fields=["owner_agency", "state", "deadline"], name="commitment_agency_state"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("made_on")),
                name="commitment_deadline_after_made",
                violation_error_message=_("The deadline cannot precede the promise."),
            )
        ]

    def __str__(self) -> str:
        return self.content[:80]

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """The promises a provincial agency without province-wide reading sees (gov.scoping):
        those made in its name, and those made in a record it sees (a dialogue it organised or
        took part in, a question it was asked or its council recorded, a resolution, a voters'
        recommendation, one of its reception sessions). The public list (``/loi-hua/``) does
        not go through here."""
        condition = models.Q(owner_agency_id=agency_id)
        for source in SOURCE_KEYS:
            # Each source's model from its key, not an import: the models of the sources
            # import nothing from here, and this module imports none of them.
            model = cls._meta.get_field(source).related_model
            seen = model.objects.filter(model.need_to_know(agency_id)).values("pk")
            condition |= models.Q(**{f"{source}__in": seen})
        return condition


class CommitmentEvent(Event):
    """Every change to a commitment, for the record."""

    class Kind(models.TextChoices):
        MADE = "made", _("Promise recorded")
        DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")
        PROGRESS = "progress", _("Progress noted")
        KEPT = "kept", _("Kept")
        NOT_KEPT = "not_kept", _("Not kept")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("commitment event")
        verbose_name_plural = _("commitment events")
