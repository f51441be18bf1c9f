"""Wrong passwords are limited, per account and per address, so that a staff password cannot be
guessed by trying: a staff account opens petitions, identities of denouncers and leaders' files.

After ``PORTAL_LOGIN_FAILURES`` wrong passwords for one account within
``PORTAL_LOGIN_WINDOW_SECONDS``, that account's login is refused until the window ends, even with
the right password; after four times as many from one address (guessing across accounts), every
login from that address. A successful login clears its account's count. The counts live in the
cache, shared by every worker in a deployment (Redis), and are incremented atomically
(``gov.throttling.count``). Both the staff login and the admin's use it (``GuardedLoginMixin``).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from gov.http import client_ip
from gov.throttling import count

logger = logging.getLogger(__name__)
ADDRESS_FACTOR = 4


def _account_key(username: str) -> str:
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    return f"login-failures:account:{digest}"


def _address_key(request: HttpRequest | None) -> str:
    return f"login-failures:address:{client_ip(request) if request else ''}"


def refused(request: HttpRequest | None, username: str) -> bool:
    """Whether this login is refused before the password is even checked."""
    limit = settings.PORTAL_LOGIN_FAILURES
    return (cache.get(_account_key(username)) or 0) >= limit or (
        cache.get(_address_key(request)) or 0
    ) >= limit * ADDRESS_FACTOR


def failed(request: HttpRequest | None, username: str) -> None:
    window = settings.PORTAL_LOGIN_WINDOW_SECONDS
    failures = count(_account_key(username), window)
    count(_address_key(request), window)
    if failures == settings.PORTAL_LOGIN_FAILURES:
        logger.warning(
            "Login locked for %s minutes after %s wrong passwords (last from %s)",
            window // 60,
            failures,
            client_ip(request) if request else "?",
        )


def succeeded(username: str) -> None:
    cache.delete(_account_key(username))
