"""Request helpers."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


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
