"""Per-address limits of the public API, counted with one atomic increment.

DRF's ``SimpleRateThrottle`` keeps each address's request times as a list in the cache: a read,
then a write of the whole list. That is two round trips to Redis per request, and two requests
that arrive together can both read the same list and both pass. Here each address has one
counter per window of the rate's duration, incremented atomically (on Redis, with its expiry,
in one round trip). A fixed window lets a client that waits for its edge send up to twice the
rate within a few seconds; for limits meant to stop floods, not to meter, that is acceptable.
"""

from __future__ import annotations

from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from gov.cache import RedisCache, count_in


def count(key: str, window_seconds: int) -> int:
    """Add one to the counter ``key`` (kept ``window_seconds``) and return its new value. On
    Redis, one round trip; while Redis is unreachable, in the process's memory
    (``gov.cache``: the request goes on, and a WARNING says the limits count per process)."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        return cache.count(key, window_seconds)
    return count_in(cache, key, window_seconds)


class AnonCountThrottle(AnonRateThrottle):
    """``AnonRateThrottle`` (per address, ``rate`` like "30/minute") counted in fixed windows."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.wait_seconds = (window + 1) * self.duration - now
        return count(f"{self.key}:{window}", self.duration + 1) <= self.num_requests

    def wait(self) -> float:
        return self.wait_seconds
