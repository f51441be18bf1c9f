"""Per-address limits of the public API, counted with one atomic increment.

DRF's ``SimpleRateThrottle`` keeps each address's request times as a list in the cache: a read,
then a write of the whole list. That is two round trips to Redis per request, and two requests
that arrive together can both read the same list and both pass. Here each address has one
counter per window of the rate's duration, incremented atomically (on Redis, with its expiry,
in one round trip). A fixed window lets a client that waits for its edge send up to twice the
rate within a few seconds; for limits meant to stop floods, not to meter, that is acceptable.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from gov.cache import RedisCache, count_in
from gov.http import client_ip


def count(key: str, window_seconds: int) -> int:
    """Add one to the counter ``key`` (kept ``window_seconds``) and return its new value. On
    Redis, one round trip; while Redis is unreachable, in the process's memory
    (``gov.cache``: the request goes on, and a WARNING says the limits count per process)."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        return cache.count(key, window_seconds)
    return count_in(cache, key, window_seconds)


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/minute" as (30, 60): DRF's notation (s, m, h, d)."""
    number, period = rate.split("/")
    return int(number), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]


def spend(*, scope: str, ident: str, rate: str, now: float | None = None) -> float:
    """Count one request of ``ident`` against the budget ``scope`` (``rate``, e.g. "30/minute"):
    0 while within it, else the seconds until its window ends. The key is the one DRF's throttles
    use, so that a page and an API endpoint spending the same scope share one budget."""
    number, duration = parse_rate(rate)
    now = time.time() if now is None else now
    window = int(now // duration)
    key = AnonRateThrottle.cache_format % {"scope": scope, "ident": ident}
    if count(f"{key}:{window}", duration + 1) <= number:
        return 0.0
    return (window + 1) * duration - now


class AnonCountThrottle(AnonRateThrottle):
    """``AnonRateThrottle`` (per address, ``rate`` like "30/minute", or read from the setting
    ``rate_setting``) counted in fixed windows by ``spend``."""

    rate: str | None = None
    rate_setting = ""

    def get_rate(self) -> str | None:
        return getattr(settings, self.rate_setting) if self.rate_setting else super().get_rate()

    def get_ident(self, request: Request) -> str:
        return client_ip(request)

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None:
            return True
        self.wait_seconds = spend(
            scope=self.scope, ident=self.get_ident(request), rate=self.rate, now=self.timer()
        )
        return not self.wait_seconds

    def wait(self) -> float:
        return self.wait_seconds
