from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gov.db import index_when_set

from .items import PetitionItem
from .petitions import Petition


class ItemEvent(models.Model):
    """One change to a petition item. The timelines, staff and public, are built from these.

    Public events (``is_public``) are shown to the citizen, worded by ``public_text`` in
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
        """The citizen's line for a public event, in the reader's language; "" otherwise."""
        wording = PUBLIC_WORDING.get(self.kind)
        if wording is None:
            return ""
        try:
            return str(wording) % self.data.get("public", {})
        except (KeyError, TypeError):
            return str(self.get_kind_display())


# How each public event reads to the citizen (never a staff name or a protected identity).
PUBLIC_WORDING = {
    ItemEvent.Kind.RECEIVED: _("Your petition was received by %(agency)s."),
    ItemEvent.Kind.TRANSFERRED_IN: _("%(agency)s received your petition by transfer."),
    ItemEvent.Kind.PROCESSING_STARTED: _("%(agency)s is examining your petition."),
    ItemEvent.Kind.ACCEPTED: _(
        "%(agency)s accepted your petition for resolution. It is due by %(due)s."
    ),
    ItemEvent.Kind.TRANSFERRED_OUT: _(
        "Your petition was transferred to %(target)s, the competent body."
    ),
    ItemEvent.Kind.GUIDED: _("%(agency)s sent you guidance on where to lodge your petition."),
    ItemEvent.Kind.FILED: _("Your petition was filed without further handling: %(ground)s."),
    ItemEvent.Kind.VERIFICATION_STARTED: _("The content of your petition is being verified."),
    ItemEvent.Kind.EXTENDED: _("The time limit for your petition was extended to %(due)s."),
    ItemEvent.Kind.DEADLINE_CHANGED: _("The time limit for your petition is now %(due)s."),
    ItemEvent.Kind.CONCLUDED: _("%(agency)s concluded on your petition."),
    ItemEvent.Kind.CLOSED: _("The handling of your petition is complete."),
    ItemEvent.Kind.WITHDRAWN: _("Your petition was withdrawn."),
    ItemEvent.Kind.SECOND_COMPLAINT: _("Your second complaint was received by %(agency)s."),
    ItemEvent.Kind.SENT_TO_MEDIATION: _("Your dispute was sent to the mediation team of %(team)s."),
    ItemEvent.Kind.CONSENT_WITHDRAWN: _("You stopped news of your petition by SMS or Zalo."),
    ItemEvent.Kind.MEDIATION_FAILED: _(
        "Mediation did not settle the dispute; %(agency)s continues to handle your petition."
    ),
    ItemEvent.Kind.CONTACT_VERIFIED: _("Your contact details were confirmed."),
}
