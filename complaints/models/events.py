from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.db import index_when_set

from .items import PetitionItem
from .petitions import Petition


class ItemEvent(models.Model):
    """One change to a petition item. The timelines, staff and public, are built from these.

    Public events (``is_public``) are shown to the citizen, worded by ``complaints.events`` in
    the reader's language from ``kind`` and ``data``; they never carry a staff name or a
    protected identity. Rows are written only by the functions in ``complaints.events``.
    """

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        CLASSIFIED = "classified", _("Classified")
        PROCESSING_STARTED = "processing_started", _("Processing started")
        ACCEPTED = "accepted", _("Accepted")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        TRANSFERRED_IN = "transferred_in", _("Received by transfer")
        GUIDED = "guided", _("Citizen guided")
        DUPLICATE_LINKED = "duplicate_linked", _("Linked as duplicate")
        FILED = "filed", _("Filed")
        VERIFICATION_STARTED = "verification_started", _("Verification started")
        EXTENDED = "extended", _("Deadline extended")
        DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")
        CONCLUDED = "concluded", _("Concluded")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SECOND_COMPLAINT = "second_complaint", _("Second complaint lodged")
        FLAGGED = "flagged", _("Flagged")
        HANDLER_ASSIGNED = "handler_assigned", _("Handler assigned")
        SENT_TO_MEDIATION = "sent_to_mediation", _("Sent to grassroots mediation")
        MEDIATION_FAILED = "mediation_failed", _("Mediation failed: continues as a petition")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent to SMS/Zalo news withdrawn")
        ANONYMISED = "anonymised", _("Identities erased: retention period ended")
        CONTACT_VERIFIED = "contact_verified", _("Contact confirmed")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    item = models.ForeignKey(
        PetitionItem,
        on_delete=models.CASCADE,
        related_name="events",
        null=True,
        db_index=False,  # event_item_at leads with the item
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set (Meta): a citizen's own events have no actor
    )
    # No index of its own: events are read per item (event_item_at) or per petition, never
    # across all items by time; each submission wrote to it for nothing (120 MB at 1M items).
    at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["item", "at"], name="event_item_at"),
            index_when_set("actor", "event_actor_set"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.at:%d/%m/%Y %H:%M}"

    @property
    def public_text(self) -> str:
        from complaints.events import public_text

        return public_text(self)
