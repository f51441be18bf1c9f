"""Guards of the public submission against forged volume: one per-address budget shared by the
form's last step and the API, a honeypot field, and a question after a day's petitions.

- The budget (``PORTAL_SUBMIT_RATE``, "30/minute") is the API throttle's own counter
  (``gov.throttling.spend`` with the scope ``petition-submit``): the form and the API spend it
  together, so an address cannot send 30 a minute through each.
- After ``PORTAL_SUBMIT_CHALLENGE_AFTER`` petitions stored from one address in a day (Lai Châu's
  day), the form asks a small sum written in words before sending; the API, which has no page to
  ask it on, answers 429 and points to the form. The question is plain text in the page: a
  screen reader reads it, no script runs, nothing is loaded from another service.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gov.http import client_ip
from gov.text import fold_diacritics
from gov.throttling import count, spend

logger = logging.getLogger("complaints.volume")

SUBMIT_SCOPE = "petition-submit"
HONEYPOT = "website"
CHALLENGE_SESSION_KEY = "petition_challenge"

_WORDS = {
    "vi": [
        "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười",
        "mười một", "mười hai", "mười ba", "mười bốn", "mười lăm", "mười sáu", "mười bảy",
        "mười tám",
    ],
    "en": [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen",
    ],
}  # fmt: skip


# --- the per-address budget ---------------------------------------------------------------


def spend_submission(request: HttpRequest) -> float:
    """Spend one submission of the visitor's address: 0 within the budget, else the seconds
    until it is renewed."""
    return spend(scope=SUBMIT_SCOPE, ident=client_ip(request), rate=settings.PORTAL_SUBMIT_RATE)


def _when(wait_seconds: float) -> dict[str, object]:
    at = timezone.localtime() + dt.timedelta(seconds=wait_seconds)
    return {"time": at.strftime("%H:%M:%S"), "seconds": max(1, math.ceil(wait_seconds))}


def retry_message(wait_seconds: float) -> str:
    """When to try again, as a citizen reads it on the form: the clock time and the seconds."""
    return _(
        "Too many petitions were sent from your network address in a short time. Your petition"
        " has NOT been sent yet; everything you typed is kept. Please press Send again after"
        " %(time)s (in about %(seconds)s seconds)."
    ) % _when(wait_seconds)


def api_retry_message(wait_seconds: float) -> str:
    return _(
        "Too many petitions were sent from your network address in a short time. The petition"
        " was not received; send it again after %(time)s (in about %(seconds)s seconds)."
    ) % _when(wait_seconds)


# --- the day's count and its question ---------------------------------------------------------


def _day_key(request: HttpRequest) -> str:
    return f"petitions-day:{client_ip(request)}:{timezone.localdate().isoformat()}"


def seconds_to_tomorrow() -> int:
    now = timezone.localtime()
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), now.tzinfo)
    return max(1, int((tomorrow - now).total_seconds()))


def count_stored(request: HttpRequest) -> None:
    """One more petition stored from the visitor's address today."""
    count(_day_key(request), seconds_to_tomorrow() + 60)


def challenge_required(request: HttpRequest) -> bool:
    """The address sent ``PORTAL_SUBMIT_CHALLENGE_AFTER`` petitions today already."""
    return (cache.get(_day_key(request)) or 0) >= settings.PORTAL_SUBMIT_CHALLENGE_AFTER


def _number_words() -> list[str]:
    return _WORDS["en"] if (get_language() or "vi").startswith("en") else _WORDS["vi"]


def new_question(request: HttpRequest) -> str:
    """Draw a sum, keep its answer in the visitor's session (server side), return the question."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    request.session[CHALLENGE_SESSION_KEY] = a + b
    words = _number_words()
    return _(
        "Question: how much is %(a)s plus %(b)s? Write the answer in digits, for example 7."
    ) % {
        "a": words[a],
        "b": words[b],
    }


def answer_is_right(request: HttpRequest, answer: str) -> bool:
    """Check the answer to the question last shown; a question is answered once."""
    expected = request.session.pop(CHALLENGE_SESSION_KEY, None)
    if expected is None:
        return False
    given = " ".join(fold_diacritics(answer or "").lower().split())
    if given.isdigit():
        return int(given) == expected
    names = {fold_diacritics(w): n for lang in _WORDS.values() for n, w in enumerate(lang)}
    return names.get(given) == expected


# --- the honeypot -----------------------------------------------------------------------------


def honeypot_filled(value: str | None, *, where: str) -> bool:
    """A value in the field people never see (a script filling every field); logged, without
    the address or anything typed."""
    if not (value or "").strip():
        return False
    logger.warning("Honeypot field filled on %s: submission refused", where)
    return True


# --- the sender's contact, confirmed by the link in the acknowledgement e-mail ---------------

CONFIRM_SALT = "complaints.contact-confirm"


def contact_token(petition_id: int) -> str:
    """A signed, dated token naming the petition (its id only: the link may end up in logs)."""
    return signing.dumps(petition_id, salt=CONFIRM_SALT, compress=True)


def petition_id_for_token(token: str) -> int | None:
    """The petition the token names, if it is genuine and younger than
    ``PORTAL_CONTACT_CONFIRM_DAYS``."""
    try:
        value = signing.loads(
            token,
            salt=CONFIRM_SALT,
            max_age=dt.timedelta(days=settings.PORTAL_CONTACT_CONFIRM_DAYS),
        )
    except signing.BadSignature:  # also SignatureExpired
        return None
    return value if isinstance(value, int) else None
