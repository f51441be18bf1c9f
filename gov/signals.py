"""Keep the cached calendar overrides in step with the ``CalendarDay`` table."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarDay
from .workdays import forget_overrides


@receiver([post_save, post_delete], sender=CalendarDay)
def calendar_day_changed(**kwargs: object) -> None:
    forget_overrides()
    # A reader in another transaction may re-cache the old rows before this one commits.
    transaction.on_commit(forget_overrides)
