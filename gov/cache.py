"""The shared cache on Redis: Django's backend, keeping its Redis client objects, and going on
in the process's own memory while Redis does not answer.

With the fast paths on, the client objects are kept and a counter counts in one round trip
(``gov.fast.cache``, where the private attributes of Django's client are used); off
(``PORTAL_FAST_PATHS=false``), Django's client and cache API as they ship.

Nothing the portal keeps in the cache is worth a failed request: counters of the throttles and
of wrong guesses, the overview's figures, the calendar's overrides. When Redis cannot be
reached (a connection refused, a timeout), an operation is done in a local-memory cache of the
process instead, and Redis is left alone for ``REST_SECONDS`` before it is tried again, so an
unreachable server costs at most one timeout per process per rest. Counters then count per
process: a limit of 30 a minute allows 30 per worker until Redis answers again. One WARNING
says so when it happens, and again at most every ``LOG_EVERY_SECONDS`` while it lasts; one
INFO line when Redis answers again. An error Redis answers with (a wrong command) is not an
outage and still raises.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import redis
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache

from gov import fast
from gov.fast import cache as fast_cache

logger = logging.getLogger(__name__)

T = TypeVar("T")

REST_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0
# Enough for a counter per address and window in a busy minute; past it, LocMemCache culls.
FALLBACK_MAX_ENTRIES = 20_000
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)


class _Outages:
    """Per server, in this process: until when Redis is left alone, and when it was last said.
    Django makes a cache object per thread; what they learn of the server they share here."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.resting_until: dict[str, float] = {}
        self.logged_at: dict[str, float] = {}

    def resting(self, server: str) -> bool:
        until = self.resting_until.get(server)
        return until is not None and time.monotonic() < until

    def failed(self, server: str, exc: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self.resting_until[server] = now + REST_SECONDS
            last = self.logged_at.get(server)
            if last is not None and now - last < LOG_EVERY_SECONDS:
                return
            self.logged_at[server] = now
        logger.warning(
            "Cache %s unreachable (%s): this process keeps the cache in its own memory "
            "(throttles count per process) and tries Redis again in %s s",
            server,
            type(exc).__name__,
            int(REST_SECONDS),
        )

    def answered(self, server: str) -> None:
        if server not in self.resting_until:
            return
        with self._lock:
            if self.resting_until.pop(server, None) is None:
                return
            self.logged_at.pop(server, None)
        logger.info("Cache %s answers again", server)


outages = _Outages()


def _display(servers: list[str]) -> str:
    """The servers as a log line may name them: host, port and database, never a password."""
    shown = []
    for url in servers:
        parts = urlsplit(url)
        shown.append(f"{parts.hostname}:{parts.port or 6379}{parts.path}")
    return ",".join(shown)


def count_in(cache: BaseCache, key: str, window_seconds: int) -> int:
    """Add one to the counter ``key`` of any Django cache (kept ``window_seconds``)."""
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        if fast.enabled():
            self._class = fast_cache.PooledRedisCacheClient
        self._server_name = _display(self._servers)
        # LocMemCache instances of one name share their store: every thread's cache object
        # falls back on the same memory.
        self._fallback = LocMemCache(
            f"gov.cache.fallback:{self._server_name}",
            {**params, "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}},
        )

    def _either(self, on_redis: Callable[[], T], in_memory: Callable[[], T]) -> T:
        if outages.resting(self._server_name):
            return in_memory()
        try:
            result = on_redis()
        except UNREACHABLE as exc:
            outages.failed(self._server_name, exc)
            return in_memory()
        outages.answered(self._server_name)
        return result

    def count(self, key: str, window_seconds: int) -> int:
        """Add one to the counter ``key`` (kept ``window_seconds``) and return its new value:
        on Redis its increment and its expiry in one round trip."""

        if not fast.enabled():
            return count_in(self, key, window_seconds)

        def on_redis() -> int:
            full = self.make_and_validate_key(key)
            client = self._cache.get_client(full, write=True)
            return fast_cache.count_pipelined(client, full, window_seconds)

        return self._either(on_redis, lambda: count_in(self._fallback, key, window_seconds))

    # Every operation of Django's cache API, on Redis or, while it is unreachable, in memory.

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return self._either(
            lambda: super(RedisCache, self).add(*args, **kwargs),
            lambda: self._fallback.add(*args, **kwargs),
        )

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._either(
            lambda: super(RedisCache, self).get(*args, **kwargs),
            lambda: self._fallback.get(*args, **kwargs),
        )

    def set(self, *args: Any, **kwargs: Any) -> None:
        return self._either(
            lambda: super(RedisCache, self).set(*args, **kwargs),
            lambda: self._fallback.set(*args, **kwargs),
        )

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return self._either(
            lambda: super(RedisCache, self).touch(*args, **kwargs),
            lambda: self._fallback.touch(*args, **kwargs),
        )

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return self._either(
            lambda: super(RedisCache, self).delete(*args, **kwargs),
            lambda: self._fallback.delete(*args, **kwargs),
        )

    def get_many(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self._either(
            lambda: super(RedisCache, self).get_many(*args, **kwargs),
            lambda: self._fallback.get_many(*args, **kwargs),
        )

    def has_key(self, *args: Any, **kwargs: Any) -> bool:
        return self._either(
            lambda: super(RedisCache, self).has_key(*args, **kwargs),
            lambda: self._fallback.has_key(*args, **kwargs),
        )

    def incr(self, *args: Any, **kwargs: Any) -> int:
        return self._either(
            lambda: super(RedisCache, self).incr(*args, **kwargs),
            lambda: self._fallback.incr(*args, **kwargs),
        )

    def set_many(self, *args: Any, **kwargs: Any) -> list[str]:
        return self._either(
            lambda: super(RedisCache, self).set_many(*args, **kwargs),
            lambda: self._fallback.set_many(*args, **kwargs),
        )

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        return self._either(
            lambda: super(RedisCache, self).delete_many(*args, **kwargs),
            lambda: self._fallback.delete_many(*args, **kwargs),
        )

    def clear(self) -> Any:
        self._fallback.clear()
        return self._either(lambda: super(RedisCache, self).clear(), lambda: True)
