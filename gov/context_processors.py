from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from gov import second_factor


def portal(request: HttpRequest) -> dict[str, object]:
    """The portal's name, and for staff the unread notification count shown in the menu
    (counted lazily: only pages that show the menu run the indexed query), and whether the
    second factor is still due (the menu then offers only the logout)."""
    context: dict[str, object] = {"PORTAL_NAME": settings.PORTAL_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = SimpleLazyObject(
            lambda: user.notifications.filter(read_at__isnull=True).count()
        )
        context["second_factor_pending"] = SimpleLazyObject(
            lambda: not second_factor.satisfied(request)
        )
    return context
