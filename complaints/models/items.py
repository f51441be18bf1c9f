from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.db import index_when_set
from gov.lifecycle import Lifecycle
from gov.models import AdministrativeUnit, Agency, PetitionKind, Sector, TimeLimitRule

from .petitions import Petition


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Being processed")
    ACCEPTED = "accepted", _("Accepted for resolution")
    VERIFYING = "verifying", _("Under verification")
    CONCLUDED = "concluded", _("Concluded")
    CLOSED = "closed", _("Closed")
    TRANSFERRED = "transferred", _("Transferred")
    GUIDED = "guided", _("Citizen guided")
    FILED = "filed", _("Filed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The lifecycle (gov.lifecycle): only these moves exist; services refuse any other with a message.
PETITION_LIFECYCLE = Lifecycle(
    Status,
    moves={
        Status.RECEIVED: frozenset(
            {
                Status.PROCESSING,
                Status.ACCEPTED,
                Status.TRANSFERRED,
                Status.GUIDED,
                Status.FILED,
                Status.WITHDRAWN,
            }
        ),
        Status.PROCESSING: frozenset(
            {
                Status.ACCEPTED,
                Status.TRANSFERRED,
                Status.GUIDED,
                Status.FILED,
                Status.WITHDRAWN,
            }
        ),
        Status.ACCEPTED: frozenset({Status.VERIFYING, Status.CONCLUDED, Status.WITHDRAWN}),
        Status.VERIFYING: frozenset({Status.CONCLUDED, Status.WITHDRAWN}),
        Status.CONCLUDED: frozenset({Status.CLOSED}),
        Status.CLOSED: frozenset(),
        Status.TRANSFERRED: frozenset(),
        Status.GUIDED: frozenset(),
        Status.FILED: frozenset(),
        Status.WITHDRAWN: frozenset(),
    },
    refused_move=_("A petition that is “%(from)s” cannot become “%(to)s”."),
)
OPEN_STATUSES = [Status.RECEIVED, Status.PROCESSING, Status.ACCEPTED, Status.VERIFYING]


class PetitionItem(models.Model):
    """One item of a petition, of one legal kind, with its own route, status and deadline."""

    SCOPE_PATH = "scope_path"  # gov.scoping: the responsible agency's unit path

    Kind = PetitionKind  # the one enum of the kind (gov.models.PetitionKind)

    class FilingGround(models.TextChoices):
        """Grounds to file a petition without handling it (Luật Khiếu nại Art. 11; Luật Tố cáo
        Art. 25; TT 05/2021)."""

        ANONYMOUS = "anonymous", _("Anonymous or false name")
        UNSIGNED = "unsigned", _("Not signed")
        TIME_LIMIT_EXPIRED = "time_limit_expired", _("Time limit to complain expired")
        DUPLICATE = "duplicate", _("Duplicate of a petition being handled")
        NO_DIRECT_INTEREST = "no_direct_interest", _("No direct rights or interests concerned")
        COURT_DECIDED = "court_decided", _("Already decided by a court")
        SECOND_DECISION_ISSUED = "second_decision_issued", _("Second decision already issued")
        ALREADY_RESOLVED = "already_resolved", _("Already resolved lawfully, nothing new")
        NOT_SPECIFIC = "not_specific", _("Content not specific enough to act on")
        MEDIATED = "mediated", _("Settled by grassroots mediation")
        OTHER = "other", _("Other legal ground")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("item number"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # item_sector_received leads with the sector
    )
    summary = models.TextField(_("content of the item"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        related_name="items",
        db_index=False,  # item_agency_status_due leads with the agency
    )
    scope_path = models.CharField(max_length=255, editable=False)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_items",
        db_index=False,  # indexed where set (Meta)
    )
    proposed_agency = models.ForeignKey(
        Agency,
        verbose_name=_("proposed competent agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set (Meta)
    )
    started_on = models.DateField(_("start of the current period"))
    # Complaint (khiếu nại): the contested decision or act and who issued it.
    contested_decision = models.CharField(
        _("contested decision or act"), max_length=255, blank=True
    )
    issuer_agency = models.ForeignKey(
        Agency,
        verbose_name=_("issuing agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set (Meta)
    )
    issuer_text = models.CharField(_("issued by"), max_length=200, blank=True)
    decision_date = models.DateField(_("date of the decision or act"), null=True, blank=True)
    complaint_round = models.PositiveSmallIntegerField(_("complaint round"), default=1)
    first_round_item = models.ForeignKey(
        "self",
        verbose_name=_("first complaint"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="second_round_items",
        db_index=False,  # indexed where set (Meta)
    )
    # Denunciation (tố cáo): who is denounced.
    denounced_person = models.CharField(_("person denounced"), max_length=200, blank=True)
    denounced_agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency of the person denounced"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set (Meta)
    )
    denounced_is_head = models.BooleanField(
        _("the person denounced heads that agency"), default=False
    )
    # Routing and detection flags.
    is_complex = models.BooleanField(_("complex case"), default=False)
    is_especially_complex = models.BooleanField(_("especially complex case"), default=False)
    is_remote = models.BooleanField(_("remote area"), default=False)
    is_skip_level = models.BooleanField(_("skip-level"), default=False)
    skip_level_reason = models.CharField(_("why skip-level"), max_length=255, blank=True)
    is_mass = models.BooleanField(_("mass complaint"), default=False)
    # The commune or ward of the petition's place (a village's commune), and the date the
    # petition was received: copies of the petition's, fixed when the item is created, so that
    # mass-complaint detection, the overview and the grassroots results read one index of the
    # items (item_sector_received) instead of joining a million petitions.
    place_commune = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # read through item_sector_received and item_open_due
    )
    received_on = models.DateField(_("date received"), editable=False)
    # The petition's submitter key (detection.submitter_key), copied like the two above: the
    # mass-complaint read counts distinct senders without joining the petitions (at a million
    # items the join cost more than the rest of the read).
    submitter_key = models.CharField(max_length=64, editable=False, blank=True, default="")
    # The petition's ``sender_known``, copied for the same read: only such items count towards
    # a mass complaint or a hotspot; the others are shown beside the count.
    sender_known = models.BooleanField(editable=False, default=False)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        db_index=False,  # indexed where set (Meta)
    )
    suspected_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set (Meta)
    )
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("transferred from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transferred_to",
        db_index=False,  # indexed where set (Meta)
    )
    # Need-to-know (gov.scoping): the agencies besides the responsible one that read the item.
    # ``referred_by``: the agency that sent it here (it transferred the item, recorded it at its
    # counter for this agency, or decided the first complaint of this second one), and follows
    # what becomes of it. ``referred_to``: the agency this item went on to (transferred to it, or
    # the second complaint against its decision lodged there), which reads the file it received.
    referred_by = models.ForeignKey(
        Agency,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set (Meta)
    )
    referred_to = models.ForeignKey(
        Agency,
        verbose_name=_("referred to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set (Meta)
    )
    filing_ground = models.CharField(
        _("filing ground"), max_length=30, choices=FilingGround.choices, blank=True
    )
    # The current deadline: which stage, when, under which rule. History in ItemDeadline.
    due_stage = models.CharField(
        _("current stage"), max_length=30, choices=TimeLimitRule.Stage.choices, blank=True
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # Not indexed: nothing reads items by rule, and rules are ended (valid_to), not deleted;
    # deleting one that no item used scans the items once, which is rarer than every intake.
    due_rule = models.ForeignKey(
        TimeLimitRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    extensions_used = models.PositiveSmallIntegerField(_("extensions used"), default=0)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    # The folded words of the summary and the petition's content, sorted and space-separated,
    # and how many: what duplicate and mass detection compare (complaints.detection), stored
    # so that comparing an intake with hundreds of earlier items parses none of them.
    words = models.TextField(editable=False, blank=True, default="")
    word_count = models.PositiveIntegerField(editable=False, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("petition item")
        verbose_name_plural = _("petition items")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "number"], name="item_number_unique"),
        ]
        indexes = [
            models.Index(fields=["scope_path", "status", "due_on"], name="item_scope_status_due"),
            models.Index(fields=["status", "due_on"], name="item_status_due"),
            models.Index(fields=["agency", "status", "due_on"], name="item_agency_status_due"),
            models.Index(fields=["kind", "status"], name="item_kind_status"),
            models.Index(
                fields=["sector", "received_on", "place_commune"],
                include=["transferred_from", "filing_ground"],
                name="item_sector_received",
            ),
            # Foreign keys empty at intake: the inbox's handler filter, and the checks made
            # before an agency, a user or an item they name is deleted.
            index_when_set("handler", "item_handler_set"),
            index_when_set("proposed_agency", "item_proposed_agency_set"),
            index_when_set("issuer_agency", "item_issuer_agency_set"),
            index_when_set("denounced_agency", "item_denounced_agency_set"),
            index_when_set("first_round_item", "item_first_round_set"),
            index_when_set("duplicate_of", "item_duplicate_of_set"),
            index_when_set("suspected_duplicate_of", "item_suspected_dup_set"),
            index_when_set("transferred_from", "item_transferred_from_set"),
            index_when_set("referred_by", "item_referred_by_set"),
            index_when_set("referred_to", "item_referred_to_set"),
        ]

    def __str__(self) -> str:
        return f"{self.petition.code}/{self.number}"

    @classmethod
    def need_to_know(cls, agency_id: int) -> models.Q:
        """The items a provincial agency without province-wide reading sees (gov.scoping): its
        own, and those referred to it or by it. Three indexed columns: the open items are read
        from ``item_open_due``, which covers them; the others by a bitmap of three indexes."""
        return (
            models.Q(agency_id=agency_id)
            | models.Q(referred_by_id=agency_id)
            | models.Q(referred_to_id=agency_id)
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def variant(self) -> str:
        """The time-limit variant that applies to this item."""
        V = TimeLimitRule.Variant
        if self.is_remote:
            return V.REMOTE_COMPLEX if self.is_complex else V.REMOTE
        return V.COMPLEX if self.is_complex else V.NORMAL


class ItemDeadline(models.Model):
    """The history of an item's deadlines: every computed, changed or extended due date."""

    class Reason(models.TextChoices):
        STAGE = "stage", _("New stage")
        RECLASSIFIED = "reclassified", _("Reclassified (complex, remote)")
        EXTENSION = "extension", _("Extension")

    item = models.ForeignKey(PetitionItem, on_delete=models.CASCADE, related_name="deadlines")
    stage = models.CharField(max_length=30, choices=TimeLimitRule.Stage.choices)
    start_on = models.DateField()
    due_on = models.DateField()
    # Not indexed, as PetitionItem.due_rule.
    rule = models.ForeignKey(
        TimeLimitRule, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set (Meta)
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["created_at", "id"]
        indexes = [index_when_set("created_by", "deadline_created_by_set")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.due_on:%d/%m/%Y}"
