from __future__ import annotations

from django.conf import settings
from django.db import models


class Event(models.Model):
    """What every record of a change holds: who made it (``actor``; none for the system or a
    citizen), when, a note and structured data. A subclass adds what changed (its foreign key)
    and its ``Kind``; the pages' histories are built from these rows."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.at:%d/%m/%Y}"
