from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.crypto import EncryptedCharField, EncryptedTextField
from gov.lifecycle import Lifecycle
from gov.models import AdministrativeUnit, Agency, Confidence, PetitionKind
from gov.models.events import Event


class SessionKind(models.TextChoices):
    """Luật Tiếp công dân 42/2013/QH13: periodic reception by the head (định kỳ, Art. 15, 18),
    regular reception at the board or office (thường xuyên), ad hoc reception (đột xuất,
    Art. 18(3))."""

    PERIODIC = "periodic", _("Periodic, by the head")
    REGULAR = "regular", _("Regular, at the reception office")
    AD_HOC = "ad_hoc", _("Ad hoc")


class PresiderType(models.TextChoices):
    HEAD = "head", _("The head in person")
    DEPUTY = "deputy", _("A deputy head, delegated")
    OFFICER = "officer", _("A reception officer")


class FrequencyRule(models.Model):
    """How often the head of an agency must receive citizens in person, as data with its source
    and its date: the commune chairman at least 1 day a week (Art. 15(2)(d)), the province
    chairman and department directors at least 1 day a month (Art. 18(2)); from 1 July 2026 a
    head may no longer delegate periodic reception (Law 136/2025/QH15)."""

    class Period(models.TextChoices):
        WEEK = "week", _("week")
        MONTH = "month", _("month")

    agency_kind = models.CharField(_("agency kind"), max_length=30, choices=Agency.Kind.choices)
    unit_level = models.PositiveSmallIntegerField(
        _("level"), choices=AdministrativeUnit.Level.choices
    )
    days = models.PositiveSmallIntegerField(_("days at least"), validators=[MinValueValidator(1)])
    period = models.CharField(_("per"), max_length=10, choices=Period.choices)
    delegation_allowed = models.BooleanField(_("the head may delegate"), default=True)
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("legal source"), max_length=255)
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices)

    class Meta:
        verbose_name = _("reception frequency rule")
        verbose_name_plural = _("reception frequency rules")
        ordering = ["unit_level", "agency_kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency_kind", "unit_level", "effective_from"], name="frequency_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_kind_display()} ({self.get_unit_level_display()}): {self.days}/{self.get_period_display()}"


class Schedule(models.Model):
    """An entry of the published reception calendar (lịch tiếp công dân)."""

    SCOPE_PATH = "agency__unit__path"

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="reception_schedule",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.PERIODIC
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    host = models.CharField(_("who receives"), max_length=200, help_text=_("e.g. Chủ tịch UBND xã"))
    place = models.CharField(_("place"), max_length=255)
    is_published = models.BooleanField(_("published"), default=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reception calendar entry")
        verbose_name_plural = _("reception calendar")
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["date", "agency"], name="schedule_date_agency")]

    def __str__(self) -> str:
        return f"{self.agency.short_name or self.agency.name} {self.date:%d/%m/%Y}"

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """A provincial agency without province-wide reading sees its own entries on the staff
        pages (gov.scoping); the published ones stay on the public calendar for everyone."""
        return models.Q(agency_id=agency_id)

    @property
    def state(self) -> str:
        """Read from what was recorded: cancelled, or a session logged for it (held)."""
        if self.is_cancelled:
            return self.State.CANCELLED
        try:
            self.session  # noqa: B018 (the reverse one-to-one raises when none was logged)
        except ObjectDoesNotExist:
            return self.State.PLANNED
        return self.State.HELD


# The lifecycle of a calendar entry: held once (its session logged) or cancelled, and then
# nothing more (``gov.lifecycle``; ``reception.services`` moves it).
SCHEDULE_LIFECYCLE = Lifecycle(
    Schedule.State,
    moves={
        Schedule.State.PLANNED: frozenset({Schedule.State.HELD, Schedule.State.CANCELLED}),
        Schedule.State.HELD: frozenset(),
        Schedule.State.CANCELLED: frozenset(),
    },
)


class ReceptionSession(models.Model):
    """A reception session as held, logged by a reception officer."""

    SCOPE_PATH = "agency__unit__path"

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="reception_sessions",
    )
    schedule = models.OneToOneField(
        Schedule,
        verbose_name=_("calendar entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="session",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    date = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    presider_type = models.CharField(_("presided by"), max_length=20, choices=PresiderType.choices)
    presider_name = models.CharField(_("name of the person presiding"), max_length=200)
    presider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presiding account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("officers present"), blank=True, related_name="+"
    )
    ad_hoc_reason = models.TextField(_("why ad hoc"), blank=True)
    delegation_warning = models.CharField(max_length=255, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["agency", "date"], name="session_agency_date")]

    def __str__(self) -> str:
        return f"{self.agency.short_name or self.agency.name} {self.date:%d/%m/%Y}"

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """A provincial agency without province-wide reading sees its own sessions
        (gov.scoping)."""
        return models.Q(agency_id=agency_id)


class Visit(models.Model):
    """One visitor or group received in a session: a line of the reception log (sổ tiếp công
    dân, Luật Tiếp công dân Art. 25). A visitor's identity in a denunciation is protected."""

    SCOPE_PATH = "session__agency__unit__path"

    class Outcome(models.TextChoices):
        GUIDED = "guided", _("Guided")
        PETITION = "petition", _("Petition received")
        REFUSED = "refused", _("Refused on a legal ground")
        ANSWERED = "answered", _("Answered on the spot")

    class RefusalGround(models.TextChoices):
        """Luật Tiếp công dân Art. 9."""

        INCAPABLE = "incapable", _("Intoxicated, or unable to control their acts")
        THREATS = "threats", _("Threats, insults or disorder")
        PERSISTING = "persisting", _("Persisting after the case was lawfully resolved and answered")

    session = models.ForeignKey(ReceptionSession, on_delete=models.CASCADE, related_name="visits")
    serial = models.PositiveIntegerField(_("serial number"))
    year = models.PositiveSmallIntegerField()
    # Every visitor's identity is encrypted at rest (gov.crypto), protected or not.
    full_name = EncryptedCharField(_("full name"), max_length=120)
    id_number = EncryptedCharField(_("ID number"), max_length=20, blank=True)
    address = EncryptedCharField(_("address"), max_length=255)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=PetitionKind.choices,
    )
    sector = models.ForeignKey(
        "gov.Sector", verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+"
    )
    location_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("place concerned"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("content"))
    denounced = models.CharField(_("person or agency denounced"), max_length=200, blank=True)
    prior_handling = models.TextField(_("handled before by"), blank=True)
    request = models.TextField(_("what the citizen asks"), blank=True)
    group_size = models.PositiveIntegerField(
        _("number of people"), default=1, validators=[MinValueValidator(1)]
    )
    representatives = EncryptedTextField(_("representatives, one per line"), blank=True)
    is_group = models.BooleanField(_("group of many people"), default=False)
    identity_protected = models.BooleanField(_("identity protected"), default=False)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    refusal_ground = models.CharField(
        _("refusal ground"), max_length=20, choices=RefusalGround.choices, blank=True
    )
    handling = models.TextField(_("how it was handled"), blank=True)
    petition = models.OneToOneField(
        "complaints.Petition",
        verbose_name=_("petition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The same pseudonymous key as a petition's submitter (complaints.detection.submitter_key):
    # a person's visits are found by their ID number or phone when they ask for their data.
    person_key = models.CharField(max_length=64, editable=False, blank=True, default="")
    # Set when the retention period ended and the identity was erased (privacy.services).
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["session__date", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["session", "serial"], name="visit_serial_unique"),
        ]
        indexes = [
            models.Index(
                fields=["person_key"], condition=~models.Q(person_key=""), name="visit_person_key"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.serial}/{self.year}"  # never the name

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """A provincial agency without province-wide reading sees the visitors of its own
        sessions (gov.scoping); a petition a visit produced reaches others by its items."""
        return models.Q(session__agency_id=agency_id)


class ReceptionEvent(Event):
    """Every change to a session or a calendar entry, for the record."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SCHEDULE_CANCELLED = "schedule_cancelled", _("Calendar entry cancelled")
        SESSION_LOGGED = "session_logged", _("Session logged")
        VISIT_LOGGED = "visit_logged", _("Visit logged")
        DELEGATION_WARNING = "delegation_warning", _("Delegation warning")
        VISITS_ANONYMISED = "visits_anonymised", _("Visitors' identities erased: retention ended")

    session = models.ForeignKey(
        ReceptionSession, on_delete=models.CASCADE, null=True, related_name="events"
    )
    schedule = models.ForeignKey(
        Schedule, on_delete=models.CASCADE, null=True, related_name="events"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("reception event")
        verbose_name_plural = _("reception events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.at:%d/%m/%Y %H:%M}"


class VisitorReveal(models.Model):
    """Each time a protected visitor's identity was shown to a staff member (Luật Tố cáo Art. 47)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="reveals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visitor identity reveal")
        verbose_name_plural = _("visitor identity reveals")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.visit_id} @ {self.at:%d/%m/%Y %H:%M}"
