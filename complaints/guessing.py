"""The public status lookup's limits on wrong code + secret guesses, shared by the status page and
the API, so that guessing stays impractical without locking out the citizens behind one address.

Two budgets:
- per address, ``PORTAL_STATUS_ATTEMPTS_PER_HOUR`` wrong guesses an hour (default 20). Past it,
  a wrong guess gets "too many attempts", but a right code and secret still go through: a
  commune office or a mobile carrier puts many citizens behind one address, and one person's
  typos must not lock the others out. Guessing is no easier for it: a secret has 60 bits
  (``complaints.codes``), and the per-code budget below caps the tries on any one petition.
- per tracking code, ``PORTAL_STATUS_WRONG_PER_CODE_PER_DAY`` wrong secrets a day (default 10),
  from any address. Past it the code is closed to the status page until the next day, the
  right secret included, and the page says to ask the office that received the petition. A
  code is printed on letters, so someone could close a citizen's page for a day; that is the
  price of a limit that a network of addresses cannot spread out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import codes, selectors
from complaints.models import Petition
from gov.http import client_ip
from gov.throttling import count

HOUR = 3600
DAY = 86400


def _address_key(request: HttpRequest) -> str:
    return f"status-attempts:{client_ip(request)}"


def _code_key(code: str) -> str:
    return f"status-code:{codes.normalise_code(code)}:{timezone.localdate():%Y%m%d}"


@dataclass(frozen=True)
class Lookup:
    """What a lookup found: the petition, or why not (``refusal``, in the reader's language;
    ``limited``: a limit refused it rather than a wrong guess)."""

    petition: Petition | None = None
    refusal: str = ""
    limited: bool = False


def look_up(request: HttpRequest, code: str, secret: str) -> Lookup:
    """The petition named by ``code`` whose secret is ``secret``, within both budgets."""
    if (cache.get(_code_key(code)) or 0) >= settings.PORTAL_STATUS_WRONG_PER_CODE_PER_DAY:
        return Lookup(
            refusal=_(
                "This tracking code has had too many wrong secrets today. Try again tomorrow, "
                "or ask the reception office that received your petition."
            ),
            limited=True,
        )
    petition = selectors.petition_by_code_and_secret(code, secret)
    if petition is not None:
        return Lookup(petition=petition)
    over = (cache.get(_address_key(request)) or 0) >= settings.PORTAL_STATUS_ATTEMPTS_PER_HOUR
    count(_address_key(request), HOUR)
    count(_code_key(code), 2 * DAY)  # keyed by the day; kept past midnight, read no more
    if over:
        return Lookup(refusal=_("Too many attempts. Please try again in an hour."), limited=True)
    return Lookup(refusal=_("No petition matches this code and secret. Check them and try again."))
