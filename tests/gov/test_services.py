"""The real services: PostgreSQL through psycopg 3, and Redis as the cache."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from gov.models import AdministrativeUnit, CalendarDay
from gov.scoping import scoped
from gov.workdays import OVERRIDES_CACHE_KEY, add_working_days
from tests.gov.factories import staff_of


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_is_postgresql_through_psycopg3() -> None:
    import psycopg

    assert connection.vendor == "postgresql"
    assert connection.Database is psycopg
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        assert int(cur.fetchone()[0].split(".")[0]) >= 13


@pytest.mark.postgres
@pytest.mark.django_db
def test_scope_filter_is_a_prefix_match_on_postgresql() -> None:
    officer = staff_of("ubnd-xa-muong-kim")
    qs = scoped(officer, AdministrativeUnit.objects.all())
    assert "LIKE" in str(qs.query)
    assert list(qs.values_list("code", flat=True)) == ["xa-muong-kim"]


@pytest.mark.redis
def test_cache_is_redis_when_redis_url_is_set() -> None:
    assert settings.CACHES["default"]["BACKEND"] == "gov.cache.RedisCache"
    import redis

    cache.set("portal:probe", {"ok": 1}, timeout=30)
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert any(b"portal:probe" in key for key in client.keys("*portal:probe*"))
    assert cache.get("portal:probe") == {"ok": 1}


@pytest.mark.redis
@pytest.mark.fast_paths
def test_cache_keeps_one_redis_client_across_operations() -> None:
    """Django's own backend builds a client object per operation; ours keeps it."""
    cache.set("portal:probe", 1, timeout=30)
    client = cache._cache.get_client(write=True)
    assert cache.incr("portal:probe") == 2
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads and writes share it


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_calendar_correction_invalidates_the_shared_redis_cache() -> None:
    day = dt.date(2026, 12, 29)
    assert add_working_days(dt.date(2026, 12, 28), 1) == day
    assert cache.get(OVERRIDES_CACHE_KEY) == {}
    CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù (thử)")
    assert cache.get(OVERRIDES_CACHE_KEY) is None
    assert add_working_days(dt.date(2026, 12, 28), 1) == dt.date(2026, 12, 30)
