"""Django's Redis cache, faster where it counts: one client object per connection pool, and a
counter's increment and expiry in one round trip. Used by ``gov.cache.RedisCache`` when the
fast paths are on; its plain twin is Django's own ``RedisCacheClient`` and ``add`` + ``incr``.

Why: Django's ``RedisCacheClient`` builds a new ``redis.Redis`` object for every cache
operation (about a hundred response callbacks registered each time), a measurable part of a
throttled API request (docs/performance.md, "What the fence buys"). redis-py's clients are
thread-safe and take a connection from the pool for each command, so one per pool is enough.

Private API: ``_get_connection_pool_index``, ``_pools``, ``_pool_class``, ``_servers``,
``_pool_options`` and ``_client`` of ``django.core.cache.backends.redis.RedisCacheClient``
(Django 5.2). tests/gov/test_throttling.py and tests/security/test_login.py run against them; if an upgrade renames one, turn the
fast paths off (``PORTAL_FAST_PATHS=false``) while this is mended.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


class PooledRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django: Any = self  # the private attributes below are not in django-stubs
        index = django._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pools = django._pools
            if index not in pools:
                pools[index] = django._pool_class.from_url(
                    django._servers[index], **django._pool_options
                )
            client = self._clients[index] = django._client(connection_pool=pools[index])
        return client


def count_pipelined(client: Any, key: str, window_seconds: int) -> int:
    """Add one to the counter ``key`` (the full key) and set its expiry if it has none, in one
    round trip on ``client`` (a redis-py client): the counter's new value."""
    pipe = client.pipeline(transaction=False)
    pipe.incr(key)
    pipe.expire(key, window_seconds, nx=True)
    value, _expiry_set = pipe.execute()
    return int(value)
