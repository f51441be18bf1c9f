from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.models import AdministrativeUnit

# A condition no row meets: Django answers it without asking the database.
NOTHING = models.Q(pk__in=[])


class MediationTeam(models.Model):
    """A grassroots mediation team (tổ hòa giải), one per village or residential group
    (Luật Hòa giải ở cơ sở 35/2013/QH13 Art. 12)."""

    SCOPE_PATH = "unit__path"

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("village or residential group"),
        on_delete=models.PROTECT,
        related_name="mediation_teams",
    )
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mediation team")
        verbose_name_plural = _("mediation teams")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """None for a provincial agency without province-wide reading (gov.scoping): a team
        and its mediators belong to the commune's People's Committee (Luật Hòa giải ở cơ sở
        Art. 5), and no department is party to a grassroots mediation. The commune's figures
        reach it through ``grassroots_results``, which counts, never names."""
        return NOTHING


class Mediator(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Woman")
        MALE = "male", _("Man")

    team = models.ForeignKey(MediationTeam, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    is_ethnic_minority = models.BooleanField(_("ethnic minority"), default=False)
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)
    is_leader = models.BooleanField(_("team leader"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        ordering = ["-is_leader", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class MediationCase(models.Model):
    """A dispute brought to mediation (vụ việc hòa giải), written in the mediation log
    (Art. 21). Mediation starts within 3 days of assignment (Art. 20)."""

    SCOPE_PATH = "team__unit__path"

    class Outcome(models.TextChoices):
        PENDING = "pending", _("In progress")
        SUCCESSFUL = "successful", _("Successful: agreement reached")
        UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")
        ENDED = "ended", _("Ended")

    team = models.ForeignKey(
        MediationTeam, verbose_name=_("team"), on_delete=models.PROTECT, related_name="cases"
    )
    parties = models.TextField(_("parties"))
    dispute = models.TextField(_("dispute"))
    mediator = models.ForeignKey(
        Mediator, verbose_name=_("mediator"), on_delete=models.PROTECT, related_name="cases"
    )
    assigned_on = models.DateField(_("assigned on"))
    start_due_on = models.DateField(_("to start by"))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    agreement_terms = models.TextField(_("terms of the agreement"), blank=True)
    follow_up = models.TextField(_("follow-up of the agreement"), blank=True)
    agreement_kept = models.BooleanField(_("agreement kept"), null=True, blank=True)
    source_item = models.ForeignKey(
        "complaints.PetitionItem",
        verbose_name=_("from petition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediations",
    )
    escalated = models.BooleanField(_("continued as a petition"), default=False)
    # Set when the retention period ended and the parties' names were erased (privacy.services).
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-assigned_on", "-id"]
        indexes = [models.Index(fields=["outcome", "start_due_on"], name="mediation_outcome_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.assigned_on:%d/%m/%Y}"

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """None, as for teams: a case names its parties, and only the commune mediates."""
        return NOTHING
