"""In-app notifications to staff (the bell beside "Staff area"): one per ``dedupe_key``."""

from __future__ import annotations

from .models import Notification, User


def notification_send(
    *, recipient: User, kind: str, title: str, dedupe_key: str, body: str = "", url: str = ""
) -> bool:
    """Notify a staff member in the app, once per ``dedupe_key``. Returns whether it is new."""
    _, created = Notification.objects.get_or_create(
        recipient=recipient,
        dedupe_key=dedupe_key,
        defaults={"kind": kind, "title": title[:200], "body": body, "url": url[:255]},
    )
    return created
