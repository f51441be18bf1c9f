from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.models import AdministrativeUnit, Agency


class CouncilSession(models.Model):
    """A session (kỳ họp) of a People's Council (HĐND)."""

    SCOPE_PATH = "council__unit__path"

    council = models.ForeignKey(
        Agency,
        verbose_name=_("People's Council"),
        on_delete=models.PROTECT,
        related_name="council_sessions",
        limit_choices_to={"kind": "peoples_council"},
    )
    number = models.PositiveSmallIntegerField(_("session number"))
    term = models.CharField(_("term"), max_length=20, help_text=_("e.g. 2021–2026"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    start_date = models.DateField(_("opens on"))
    end_date = models.DateField(_("closes on"))

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "term", "number"], name="council_session_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council.short_name or self.council.name} · {self.number} ({self.term})"

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """The sessions a provincial agency without province-wide reading sees (gov.scoping):
        its own council's, and those where it was questioned."""
        asked = Question.objects.filter(asked_agency_id=agency_id)
        return models.Q(council_id=agency_id) | models.Q(pk__in=asked.values("session_id"))


class Question(models.Model):
    """A question (chất vấn) put by a deputy to an official or agency; answered in session or
    in writing within the limit of the rules table (Law 87/2015 Art. 60(4): 20 days)."""

    SCOPE_PATH = "session__council__unit__path"

    class State(models.TextChoices):
        ASKED = "asked", _("Awaiting answer")
        ANSWERED_IN_SESSION = "answered_in_session", _("Answered in session")
        ANSWERED_IN_WRITING = "answered_in_writing", _("Answered in writing")

    session = models.ForeignKey(
        CouncilSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    deputy = models.CharField(_("deputy asking"), max_length=200)
    asked_agency = models.ForeignKey(
        Agency, verbose_name=_("agency asked"), on_delete=models.PROTECT, related_name="questions"
    )
    asked_official = models.CharField(_("official asked"), max_length=200, blank=True)
    content = models.TextField(_("question"))
    asked_on = models.DateField(_("asked on"))
    state = models.CharField(_("state"), max_length=30, choices=State.choices, default=State.ASKED)
    answer_due_on = models.DateField(_("written answer due on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("council question")
        verbose_name_plural = _("council questions")
        ordering = ["-asked_on", "-id"]
        indexes = [models.Index(fields=["state", "answer_due_on"], name="question_state_due")]

    def __str__(self) -> str:
        return f"{self.deputy}: {self.content[:60]}"

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """The questions of its own council, and those addressed to it (gov.scoping)."""
        return models.Q(session__council_id=agency_id) | models.Q(asked_agency_id=agency_id)


class CouncilResolution(models.Model):
    """A council resolution on questioning (nghị quyết về chất vấn): binding, followed up at
    later sessions (Law 87/2015 Art. 60, 89)."""

    SCOPE_PATH = "session__council__unit__path"

    session = models.ForeignKey(
        CouncilSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    number = models.CharField(_("number"), max_length=60)
    adopted_on = models.DateField(_("adopted on"))
    content = models.TextField(_("content"))

    class Meta:
        verbose_name = _("council resolution")
        verbose_name_plural = _("council resolutions")
        ordering = ["-adopted_on"]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """The resolutions of its own council, and those that made a promise in its name
        (gov.scoping)."""
        commitment = cls._meta.get_field("commitments").related_model  # no import cycle
        owed = commitment.objects.filter(owner_agency_id=agency_id, resolution__isnull=False)
        return models.Q(session__council_id=agency_id) | models.Q(
            pk__in=owed.values("resolution_id")
        )


class VoterMeeting(models.Model):
    """A meeting of deputies with voters (tiếp xúc cử tri)."""

    SCOPE_PATH = "unit__path"

    council = models.ForeignKey(
        Agency,
        verbose_name=_("People's Council"),
        on_delete=models.PROTECT,
        related_name="voter_meetings",
        limit_choices_to={"kind": "peoples_council"},
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("where"),
        on_delete=models.PROTECT,
        related_name="voter_meetings",
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255)
    deputies = models.TextField(_("deputies"), blank=True)
    before_session = models.ForeignKey(
        CouncilSession,
        verbose_name=_("before the session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voter_meetings",
    )

    class Meta:
        verbose_name = _("voter meeting")
        verbose_name_plural = _("voter meetings")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.unit} {self.date:%d/%m/%Y}"

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """The voter meetings of its own council, and those with a recommendation assigned to
        it (gov.scoping)."""
        assigned = VoterRecommendation.objects.filter(assigned_agency_id=agency_id)
        return models.Q(council_id=agency_id) | models.Q(pk__in=assigned.values("meeting_id"))


class VoterRecommendation(models.Model):
    """A voters' recommendation (kiến nghị cử tri), assigned to an agency with a reply deadline
    (a configurable default in the rules table)."""

    SCOPE_PATH = "assigned_agency__unit__path"

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("Awaiting reply")
        REPLIED = "replied", _("Replied")

    meeting = models.ForeignKey(
        VoterMeeting,
        verbose_name=_("voter meeting"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    content = models.TextField(_("recommendation"))
    sector = models.ForeignKey(
        "gov.Sector", verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_agency = models.ForeignKey(
        Agency,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="voter_recommendations",
    )
    assigned_on = models.DateField(_("assigned on"))
    reply_due_on = models.DateField(_("reply due on"))
    reply = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)

    class Meta:
        verbose_name = _("voter recommendation")
        verbose_name_plural = _("voter recommendations")
        ordering = ["reply_due_on", "id"]
        indexes = [models.Index(fields=["replied_on", "reply_due_on"], name="voterrec_due")]

    def __str__(self) -> str:
        return self.content[:60]

    @property
    def state(self) -> str:
        """Read from the reply's date, which the reply sets (``dialogues.lifecycles``)."""
        return self.State.REPLIED if self.replied_on else self.State.ASSIGNED

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """The recommendations its own council received, and those assigned to it
        (gov.scoping)."""
        return models.Q(meeting__council_id=agency_id) | models.Q(assigned_agency_id=agency_id)
