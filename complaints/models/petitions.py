from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.crypto import EncryptedCharField, EncryptedEmailField
from gov.db import index_when_set
from gov.models import AdministrativeUnit, Agency


class Channel(models.TextChoices):
    """How the petition reached the state."""

    ONLINE = "online", _("Online form")
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    RECEPTION_SESSION = "reception_session", _("Citizen reception session")
    TRANSFERRED = "transferred", _("Transferred from another body")
    COUNCIL_VOTER = "council_voter", _("People's Council or voters")


class Petition(models.Model):
    """A petition (đơn, đơn thư): one document from one submitter, holding one or more items,
    each of a single legal kind (Luật Tiếp công dân Art. 26: a mixed petition is split).

    The submitter's identity lives in ``Submitter`` rows, encrypted at rest (``gov.crypto``),
    and is read only through ``complaints.confidentiality``; ``submitter_display`` is what lists
    may show, and what the search text holds of the submitter: the name in clear when the
    identity is not protected (the inbox lists and finds it), empty when it is.
    """

    class SubmitterType(models.TextChoices):
        PERSON = "person", _("A person")
        ORGANISATION = "organisation", _("An organisation")
        GROUP = "group", _("A group of people")

    # Unique by a constraint rather than unique=True, and looked up by equality only: PostgreSQL
    # then keeps one index of the random codes, not a second one for LIKE.
    code = models.CharField(_("tracking code"), max_length=20, editable=False)
    secret_hash = models.CharField(max_length=128, editable=False)
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    received_on = models.DateField(_("date received"), db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set (Meta): online petitions have no recorder
    )
    is_backdated = models.BooleanField(_("backdated"), default=False)
    receiving_agency = models.ForeignKey(
        Agency,
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        related_name="received_petitions",
        help_text=_("The agency the petition was addressed or handed to."),
    )
    submitter_type = models.CharField(
        _("submitted by"),
        max_length=20,
        choices=SubmitterType.choices,
        default=SubmitterType.PERSON,
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    group_size = models.PositiveIntegerField(
        _("number of people"), default=1, validators=[MinValueValidator(1)]
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    is_signed = models.BooleanField(_("signed"), default=True)
    identity_protected = models.BooleanField(
        _("identity protected"),
        default=False,
        help_text=_("A denouncer's identity, or a submitter's who asked: Luật Tố cáo Art. 47."),
    )
    submitter_display = models.CharField(max_length=200, editable=False)
    # A keyed pseudonym of the ID number, else the phone, else the name and unit
    # (complaints.detection.submitter_key): "the same person" for detection, not who.
    submitter_key = models.CharField(max_length=64, editable=False, blank=True)
    content = models.TextField(_("content"))
    location_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("place concerned"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("As the petition names it: may be a former commune or district."),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("current unit"),
        on_delete=models.PROTECT,
        related_name="petitions",
        help_text=_("The unit that holds the place today (successor of a former unit)."),
        db_index=False,  # petition_unit_received leads with the unit
    )
    location_address = models.CharField(_("address of the place"), max_length=255, blank=True)
    # Encrypted at rest (gov.crypto), as the submitters' identities are.
    contact_email = EncryptedEmailField(_("e-mail for updates"), blank=True)
    contact_phone = EncryptedCharField(_("phone for updates"), max_length=20, blank=True)
    # Law 91/2025: notifications by SMS or Zalo go to the phone only with the citizen's consent,
    # given at intake and withdrawn from the status page; the notice they were shown is kept.
    phone_consent_at = models.DateTimeField(
        _("agreed to SMS/Zalo notifications on"), null=True, blank=True
    )
    privacy_notice = models.CharField(_("privacy notice shown"), max_length=20, blank=True)
    # Set when the retention period ended and the identities were erased (privacy.services).
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True, editable=False)
    is_mass = models.BooleanField(_("mass complaint"), default=False)
    # When the sender confirmed their contact (the link in the acknowledgement e-mail) or an
    # officer did (after a call): from then on an online petition counts towards mass
    # complaints and hotspots (complaints.detection), as one an officer recorded does.
    contact_verified_at = models.DateTimeField(
        _("contact confirmed at"), null=True, blank=True, editable=False
    )
    # The acknowledgement e-mail: claimed by a sender, then sent (see complaints.tasks).
    ack_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(
                fields=["acknowledged_at"],
                name="petition_ack_pending",
                condition=models.Q(acknowledged_at__isnull=True) & ~models.Q(contact_email=""),
            ),
            models.Index(fields=["unit", "received_on"], name="petition_unit_received"),
            # Duplicate detection's read (equality on a hash: no index for LIKE).
            models.Index(fields=["submitter_key"], name="petition_submitter_key"),
            index_when_set("recorded_by", "petition_recorded_by_set"),
        ]
        constraints = [models.UniqueConstraint(fields=["code"], name="petition_code_unique")]

    def __str__(self) -> str:
        return self.code

    @property
    def sender_known(self) -> bool:
        """An officer recorded it (counter, post, reception session, transfer), or its sender
        confirmed their contact: it counts towards mass complaints and hotspots."""
        return self.recorded_by_id is not None or self.contact_verified_at is not None


class Submitter(models.Model):
    """A person who signed the petition: the submitter, a co-signer or a representative.
    Protected identities are read only through ``complaints.confidentiality``."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="submitters")
    # Every submitter's identity is encrypted at rest (gov.crypto), protected or not: a
    # protection decided later (a denunciation split off) finds nothing in clear to clean up.
    full_name = EncryptedCharField(_("full name"), max_length=120)
    id_number = EncryptedCharField(_("ID number"), max_length=20, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    email = EncryptedEmailField(_("e-mail"), blank=True)
    address = EncryptedCharField(_("address"), max_length=255, blank=True)
    is_representative = models.BooleanField(_("representative"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("submitter")
        verbose_name_plural = _("submitters")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"#{self.pk}"  # never the name: __str__ ends up in logs


class Attachment(models.Model):
    class Scan(models.TextChoices):
        """What the antivirus said (``complaints.scanning``); only a clean file is sent, or,
        while no scanner is configured, one stored without it."""

        SKIPPED = "skipped", _("not scanned (no antivirus configured)")
        PENDING = "pending", _("awaiting virus scan")
        CLEAN = "clean", _("no virus found")
        INFECTED = "infected", _("virus found")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    scan_status = models.CharField(
        _("virus scan"), max_length=10, choices=Scan.choices, default=Scan.SKIPPED
    )
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)
    scan_signature = models.CharField(_("virus found"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [
            # The scan job's work: the few files waiting (or stored before a scanner was set).
            models.Index(
                fields=["id"],
                condition=models.Q(scan_status__in=["pending", "skipped"]),
                name="attachment_to_scan",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class IdentityReveal(models.Model):
    """Each time a protected identity was shown to a staff member (Luật Tố cáo Art. 47)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="reveals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    purpose = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("identity reveal")
        verbose_name_plural = _("identity reveals")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.petition_id} @ {self.at:%d/%m/%Y %H:%M}"


class Letter(models.Model):
    """A letter the portal generated: a transfer letter to the competent agency (phiếu chuyển
    đơn) or a guidance letter to the citizen (phiếu hướng dẫn). Immutable once written; it
    never carries a protected identity."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("Transfer letter")
        GUIDANCE = "guidance", _("Guidance letter")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="letters")
    item = models.ForeignKey(
        "complaints.PetitionItem", on_delete=models.CASCADE, related_name="letters"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=60)
    addressee = models.CharField(_("addressed to"), max_length=200)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "year", "seq"], name="letter_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
