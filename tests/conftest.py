"""Shared fixtures, and the rule for external services.

Tests marked ``postgres`` or ``redis`` run against the real services named by ``DATABASE_URL``
and ``REDIS_URL``. Without them they are skipped with the reason; with ``CI=true`` a missing
service fails the whole run instead, so CI can never pass by skipping them.

Tests marked ``fast_paths`` measure a fast path itself (a statement count, a parse avoided, a
round trip saved: ``gov.fast``); with ``PORTAL_FAST_PATHS=false`` (the suite's second run in
``make test``) there is no fast path to measure and they are skipped. Every other test runs
both ways.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from gov.reference_data import reference_data_load

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# Behind PgBouncer (tests/gov/test_pgbouncer.py runs a slice of the suite so): the few tests of
# a connection's own server backend or prepared statements are skipped, with the reason.
POOLER = os.environ.get("PORTAL_DB_POOLER", "")

# pytest-playwright's session-wide browser keeps an asyncio loop in the main thread, and Django
# then refuses every synchronous ORM call of later tests. The portal has no async views, so the
# guard protects nothing here; Playwright's own guide for Django tests sets the same flag.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _postgres_available() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _redis_available() -> tuple[bool, str]:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return False, "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return False, f"Redis at REDIS_URL does not answer: {exc}"
    return True, ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    has_pg = _postgres_available()
    has_redis, redis_reason = _redis_available()
    missing = []
    if not has_pg:
        missing.append("PostgreSQL (DATABASE_URL=postgres://...)")
    if not has_redis:
        missing.append(f"Redis ({redis_reason})")
    if IN_CI and missing:
        pytest.exit(f"CI=true but these services are missing: {', '.join(missing)}", returncode=3)
    for item in items:
        if "postgres" in item.keywords and not has_pg:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
            )
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason=f"needs Redis: {redis_reason}"))
        if "direct_connection" in item.keywords and POOLER:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"needs a direct PostgreSQL connection: PORTAL_DB_POOLER={POOLER}"
                )
            )
        if "fast_paths" in item.keywords and not settings.PORTAL_FAST_PATHS:
            item.add_marker(
                pytest.mark.skip(reason="measures a fast path: PORTAL_FAST_PATHS=false")
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: object) -> None:
    """Load the shipped reference data once; each test's transaction is rolled back over it."""
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """For transactional tests (the live server): the flush between them drops the data."""
    reference_data_load()


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    from gov import memo

    cache.clear()
    memo.forget_all()


def verify_second_factor(client: Client, user: object) -> None:
    """Mark ``client``'s session as having passed the second factor, as ``gov.second_factor``
    does after a right code, with an authenticator device made for the test."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _test_logins_pass_the_second_factor(request: pytest.FixtureRequest) -> Iterator[None]:
    """``client.force_login(user)`` and ``client.login(...)`` in tests stand for a whole login,
    password and second factor: the session is marked verified here, once for every test, and
    the production rule (``gov.middleware.SecondFactorMiddleware``) stays as it is. A test of the
    second factor itself marks itself ``second_factor_unverified`` to log in with the password
    alone."""
    if request.node.get_closest_marker("second_factor_unverified"):
        yield
        return
    original = Client._login

    def _login(self: Client, user: object, backend: str | None = None) -> None:
        original(self, user, backend)
        verify_second_factor(self, user)

    Client._login = _login
    try:
        yield
    finally:
        Client._login = original


CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium, never a downloaded browser; the flags keep it off this machine's closed network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright launches Debian's Chromium (``playwright install`` cannot work here)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}
