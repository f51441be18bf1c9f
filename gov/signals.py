"""Keep the cached calendar overrides in step with the ``CalendarDay`` table, and the
reference rows each process remembers (``gov.memo``) with theirs; a login starts the idle time of
its session; logins, failed logins and logouts are written to the audit log."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from . import memo
from .audit import audit_record
from .middleware import IdleTimeoutMiddleware
from .models import (
    AdministrativeUnit,
    Agency,
    AuditRecord,
    CalendarDay,
    Sector,
    TimeLimitRule,
    User,
)
from .workdays import forget_overrides


@receiver([post_save, post_delete], sender=CalendarDay)
def calendar_day_changed(**kwargs: Any) -> None:
    forget_overrides()
    # A reader in another transaction may re-cache the old rows before this one commits.
    transaction.on_commit(forget_overrides)


def reference_changed(**kwargs: Any) -> None:
    memo.forget_all()
    transaction.on_commit(memo.forget_all)


for _model in (AdministrativeUnit, Agency, Sector, TimeLimitRule):
    post_save.connect(reference_changed, sender=_model, dispatch_uid=f"memo-{_model.__name__}")
    post_delete.connect(reference_changed, sender=_model, dispatch_uid=f"memo-{_model.__name__}-d")


@receiver(user_logged_in, dispatch_uid="gov-idle-login")
def login_is_activity(request: HttpRequest | None, **kwargs: Any) -> None:
    """The idle timeout counts from the login (and the first page writes nothing more)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[IdleTimeoutMiddleware.KEY] = int(time.time())


# --- the audit log: logins and logouts, whichever form or view did them --------------------------


@receiver(user_logged_in, dispatch_uid="audit-login")
def audit_login(sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(kind=AuditRecord.Kind.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def audit_logout(
    sender: type[User], request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is not None and user.is_authenticated:
        audit_record(kind=AuditRecord.Kind.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def audit_login_failed(
    sender: str,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    """A wrong password (or an unknown name): the name typed is kept, never the password."""
    typed = str(credentials.get("username") or "")[:150]
    # Nobody logged in: the record has no actor. The account tried, if there is one, is its
    # subject, and its agency's leaders read the record.
    tried = User.objects.filter(username=typed).select_related("agency").first() if typed else None
    audit_record(
        kind=AuditRecord.Kind.LOGIN_FAILED,
        request=request,
        username=typed,
        subject=tried,
        agency=tried.agency if tried is not None else None,
    )
