"""Keep the cached calendar overrides in step with the ``CalendarDay`` table, and the
reference rows each process remembers (``gov.memo``) with theirs; a login starts the idle time of
its session."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import memo
from .middleware import IdleTimeoutMiddleware
from .models import AdministrativeUnit, Agency, CalendarDay, Sector, TimeLimitRule
from .workdays import forget_overrides


@receiver([post_save, post_delete], sender=CalendarDay)
def calendar_day_changed(**kwargs: object) -> None:
    forget_overrides()
    # A reader in another transaction may re-cache the old rows before this one commits.
    transaction.on_commit(forget_overrides)


def reference_changed(**kwargs: object) -> None:
    memo.forget_all()
    transaction.on_commit(memo.forget_all)


for _model in (AdministrativeUnit, Agency, Sector, TimeLimitRule):
    post_save.connect(reference_changed, sender=_model, dispatch_uid=f"memo-{_model.__name__}")
    post_delete.connect(reference_changed, sender=_model, dispatch_uid=f"memo-{_model.__name__}-d")


@receiver(user_logged_in, dispatch_uid="gov-idle-login")
def login_is_activity(request: object, **kwargs: object) -> None:
    """The idle timeout counts from the login (and the first page writes nothing more)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[IdleTimeoutMiddleware.KEY] = int(time.time())
