"""The public API's per-address counters."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import caches

from gov.cache import RedisCache
from gov.throttling import count


def test_counter_counts_per_key() -> None:
    caches["default"].clear()
    assert [count("t:addr:1", 60) for _ in range(3)] == [1, 2, 3]
    assert count("t:addr:2", 60) == 1


@pytest.mark.redis
def test_counter_on_redis_is_atomic_and_expires() -> None:
    """Twenty requests at once from one address are twenty counts (DRF's read-then-write of
    a list could let several pass as one), and the counter carries its window's expiry."""
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    backend.delete("t:burst")
    seen: list[int] = []
    threads = [
        threading.Thread(target=lambda: seen.append(count("t:burst", 61))) for _ in range(20)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == list(range(1, 21))
    key = backend.make_and_validate_key("t:burst")
    assert 0 < backend._cache.get_client(key).ttl(key) <= 61
