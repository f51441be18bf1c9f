"""Request helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from .models import User


class StaffRequest(HttpRequest):
    """The request a view behind ``login_required`` receives: its ``user`` is an account, never
    ``AnonymousUser``. For type checking only; Django builds plain ``HttpRequest`` objects."""

    user: User


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind ``PORTAL_NUM_PROXIES`` trusted reverse proxies, the
    address the nearest proxy saw, taken from the right of X-Forwarded-For (what the visitor
    puts on the left is not trusted)."""
    proxies = settings.PORTAL_NUM_PROXIES
    if proxies:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
