from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """The notification log: one row per thing, kind of reminder, deadline and recipient.

    The unique constraint is what makes reminders exactly-once: a sweep run twice, or two
    sweeps at once, insert the same rows and the database keeps one; a sender claims a row with
    a conditional update before sending it. A new deadline (an extension) is a new row, so the
    new date is reminded and the old one is not reminded again.
    """

    class Target(models.TextChoices):
        PETITION_ITEM = "petition_item", _("Petition")
        COMMITMENT = "commitment", _("Commitment")
        COUNCIL_QUESTION = "council_question", _("Council question")
        VOTER_RECOMMENDATION = "voter_recommendation", _("Voter recommendation")
        MEDIATION = "mediation", _("Mediation")
        RECEPTION_SCHEDULE = "reception_schedule", _("Reception session")
        DIALOGUE_RESULTS = "dialogue_results", _("Dialogue results")
        DIGEST = "digest", _("Weekly digest")

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        DUE_TOMORROW = "due_tomorrow", _("Due within a working day")
        OVERDUE = "overdue", _("Overdue: to the leader")
        ESCALATED = "escalated", _("Overdue: to the superior level")
        UPCOMING = "upcoming", _("Upcoming")
        WEEKLY = "weekly", _("Weekly digest")

    target = models.CharField(max_length=30, choices=Target.choices)
    target_id = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    deadline = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "target_id", "kind", "deadline", "recipient"],
                name="reminder_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["id"], name="reminder_unsent", condition=models.Q(sent_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target}#{self.target_id} {self.kind} {self.deadline:%d/%m/%Y}"
