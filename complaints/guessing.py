"""One budget of wrong code + secret guesses per visitor, shared by the status page and the
API, so that brute force on the public status lookup stays impractical."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from gov.http import client_ip

WINDOW_SECONDS = 3600


def _key(request: HttpRequest) -> str:
    return f"status-attempts:{client_ip(request)}"


def too_many_wrong_guesses(request: HttpRequest) -> bool:
    return (cache.get(_key(request)) or 0) >= settings.PORTAL_STATUS_ATTEMPTS_PER_HOUR


def count_wrong_guess(request: HttpRequest) -> None:
    key = _key(request)
    if not cache.add(key, 1, timeout=WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=WINDOW_SECONDS)
