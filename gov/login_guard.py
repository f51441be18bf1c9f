"""Wrong passwords slow down guessing, per account and per address, so that a staff password
cannot be found by trying: a staff account opens petitions, identities of denouncers and
leaders' files.

An account: its first ``PORTAL_LOGIN_FREE_FAILURES`` wrong passwords cost nothing; after that,
each attempt must come at least 2, 4, 8... seconds (at most ``PORTAL_LOGIN_MAX_WAIT_SECONDS``)
after the last wrong one, and only one attempt per wait is checked (a burst of parallel guesses
gets one). A right password after the wait logs in and clears the count. So someone who knows a
username can slow its owner down but never lock them out (the former rule: 5 wrong passwords
locked the account for 15 minutes, even for the right password).

An address: ``PORTAL_LOGIN_FAILURES`` x 4 wrong passwords across accounts within
``PORTAL_LOGIN_WINDOW_SECONDS`` refuse every login from it until the window ends.

The counts live in the cache, shared by every worker (Redis). When Redis does not answer,
``gov.cache`` keeps them in each worker's memory, with a WARNING: logging in keeps working and
stays limited (per worker) rather than failing with a 500 (issue 13, item 9). Both the staff
login and the admin's use the guard (``gov.forms.GuardedLoginMixin``).

The second factor (``gov.second_factor``) is guarded by the same account rule, counted apart
(``SECOND_FACTOR``): after 3 wrong codes, 2, 4, 8... seconds between checked codes, so that a
6-digit code cannot be found by trying once the password is known.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from gov.http import client_ip
from gov.throttling import count

logger = logging.getLogger(__name__)
ADDRESS_FACTOR = 4
# One checked attempt per account per wait: a claim lasts this long (a password check takes
# milliseconds; an attempt that ends neither right nor wrong frees its claim by expiring).
CLAIM_SECONDS = 5


def _hash(username: str) -> str:
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]


# The password's guard counts by user name (the account may not exist); the second factor's
# (``gov.second_factor``) by account, under its own prefix: the same rule, separate counts.
PASSWORD = "login-failures"
SECOND_FACTOR = "otp-failures"


def _account_key(ident: str, scope: str = PASSWORD) -> str:
    return f"{scope}:account:{_hash(ident)}"


def _last_key(ident: str, scope: str = PASSWORD) -> str:
    return f"{scope}:last:{_hash(ident)}"


def _address_key(request: HttpRequest | None) -> str:
    return f"login-failures:address:{client_ip(request) if request else ''}"


def delay(failures: int) -> int:
    """Seconds an attempt must wait after the last of ``failures`` wrong passwords."""
    free = settings.PORTAL_LOGIN_FREE_FAILURES
    if failures < free:
        return 0
    return min(2 ** min(failures - free + 1, 30), settings.PORTAL_LOGIN_MAX_WAIT_SECONDS)


def wait_seconds(request: HttpRequest | None, username: str) -> tuple[int, str]:
    """How long this login must wait before its password is even checked, and why ("address"
    or "account"); ``(0, "")`` to go ahead. Going ahead claims the account's attempt."""
    limit = settings.PORTAL_LOGIN_FAILURES * ADDRESS_FACTOR
    if (cache.get(_address_key(request)) or 0) >= limit:
        return settings.PORTAL_LOGIN_WINDOW_SECONDS, "address"
    return account_wait(username)


def account_wait(ident: str, scope: str = PASSWORD) -> tuple[int, str]:
    """The account's part of ``wait_seconds``: after the free failures, the wait since the last
    wrong attempt, and one claimed check per wait (a burst of parallel attempts gets one)."""
    failures = cache.get(_account_key(ident, scope)) or 0
    last = cache.get(_last_key(ident, scope)) or 0.0
    if failures < settings.PORTAL_LOGIN_FREE_FAILURES:
        return 0, ""
    left = last + delay(failures) - time.time()
    if left > 0:
        return math.ceil(left), "account"
    claim = f"{scope}:claim:{_hash(ident)}:{failures}:{last}"
    if not cache.add(claim, 1, CLAIM_SECONDS):
        return CLAIM_SECONDS, "account"
    return 0, ""


def account_failed(ident: str, scope: str = PASSWORD) -> int:
    """Count one wrong attempt for the account; the number of them so far."""
    memory = settings.PORTAL_LOGIN_MEMORY_SECONDS
    failures = count(_account_key(ident, scope), memory)
    cache.set(_last_key(ident, scope), time.time(), memory)
    return failures


def account_cleared(ident: str, scope: str = PASSWORD) -> None:
    cache.delete_many([_account_key(ident, scope), _last_key(ident, scope)])


def failed(request: HttpRequest | None, username: str) -> None:
    failures = account_failed(username)
    count(_address_key(request), settings.PORTAL_LOGIN_WINDOW_SECONDS)
    if failures == settings.PORTAL_LOGIN_FREE_FAILURES:
        logger.warning(
            "Login slowed down after %s wrong passwords for one account (last from %s)",
            failures,
            client_ip(request) if request else "?",
        )


def succeeded(username: str) -> None:
    account_cleared(username)
