"""The staff login holds without the cache, sessions end when left idle, the language cookie
is sent only where it should be, and passwords are long and not common (issue 13, items 5 and
9; ASVS 5.0 V6.2.1, V6.2.4, V6.3.1, V7.3.1, V3.3.1)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from demo.accounts import DEMO_PASSWORD
from gov import cache as gov_cache
from gov import login_guard
from gov.models import User
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "secret-pass-123"  # StaffFactory's
LOGIN = reverse("gov:login")
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
# Nothing listens on port 1: every command to this "Redis" fails to connect.
REDIS_DOWN = {
    "default": {
        "BACKEND": "gov.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "KEY_PREFIX": "login-test",
    }
}


@pytest.fixture
def redis_down() -> Iterator[None]:
    """The cache on a Redis where nothing listens; this process knows of no outage yet."""
    gov_cache.outages.resting_until.clear()
    gov_cache.outages.logged_at.clear()
    with override_settings(CACHES=REDIS_DOWN):
        caches["default"]._fallback.clear()
        yield
    gov_cache.outages.resting_until.clear()
    gov_cache.outages.logged_at.clear()


@pytest.fixture
def officer() -> User:
    return staff_of("ubnd-xa-muong-kim", User.Role.LEADER)


def _login(client: Client, username: str, password: str) -> object:
    return client.post(LOGIN, {"username": username, "password": password})


# --- The login guard without the cache (item 9) ----------------------------------------------


def test_the_staff_login_works_with_the_cache_down(
    officer: User, redis_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    """It answered 500 (redis.exceptions.ConnectionError) before."""
    client = Client()
    with caplog.at_level(logging.WARNING, logger="gov.cache"):
        response = _login(client, officer.username, PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert "unreachable (ConnectionError)" in caplog.text


def test_wrong_passwords_are_still_slowed_with_the_cache_down(
    officer: User, redis_down: None
) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            assert _login(client, officer.username, "wrong").status_code == 200
        page = _login(client, officer.username, PASSWORD).content.decode()
        assert "thử lại sau 2 giây" in page and "_auth_user_id" not in client.session
        clock.shift(2)
        assert _login(client, officer.username, PASSWORD).status_code == 302


def test_the_admin_login_works_with_the_cache_down(redis_down: None) -> None:
    admin = staff_of("ubnd-tinh", User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    response = Client().post(
        reverse("admin:login"), {"username": admin.username, "password": PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.redis
def test_parallel_guesses_after_a_wait_get_one_check(officer: User) -> None:
    """A burst of simultaneous attempts when the wait ends: the first is checked, the others
    are told to wait (the claim is one atomic add in Redis)."""
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            login_guard.failed(None, officer.username)
        clock.shift(2)
        answers = [login_guard.wait_seconds(None, officer.username) for _ in range(5)]
    assert answers[0] == (0, "")
    assert all(wait > 0 and why == "account" for wait, why in answers[1:])


# --- Sessions --------------------------------------------------------------------------------


def test_a_session_left_idle_for_30_minutes_ends(officer: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer)
        assert client.get("/can-bo/").status_code == 200
        clock.shift(29 * 60)
        assert client.get("/can-bo/").status_code == 200  # activity: the idle time restarts
        clock.shift(29 * 60)
        assert client.get("/can-bo/").status_code == 200
        clock.shift(30 * 60 + 1)
        response = client.get("/can-bo/", follow=True)
    assert response.redirect_chain[0][0].startswith(LOGIN)
    assert "sau 30 phút không hoạt động" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_idle_time_is_a_setting(officer: User, settings: object) -> None:
    settings.PORTAL_IDLE_SECONDS = 5 * 60
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer)
        client.get("/can-bo/")
        clock.shift(5 * 60 + 1)
        assert client.get("/can-bo/").status_code == 302


def test_the_working_day_limit_stays(officer: User) -> None:
    client = Client()
    _login(client, officer.username, PASSWORD)
    assert client.cookies["sessionid"]["max-age"] == 8 * 3600


def test_the_language_cookie_is_same_site_and_not_for_scripts() -> None:
    response = Client().post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies["portal_language"]
    assert cookie["samesite"] == "Lax" and cookie["httponly"]


def test_production_sends_the_language_cookie_over_https_only() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_URL", "CELERY_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="laichau_portal.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="tiepcongdan.laichau.gov.vn",
        # Production refuses to start without the identity keys (gov.crypto).
        PORTAL_FIELD_KEYS="cHJvZHVjdGlvbi10ZXN0LWZpZWxkLWtleS0wMTIzNDU=",
        PORTAL_PSEUDONYM_KEY="p" * 10 + "Xw3#n!b8$Kq2@zR6^vY1&mE9*jU4(hT7)",
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.SESSION_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "Lax", "True"]


# --- Passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("matkhau123", "Mật khẩu này quá phổ biến."),
        ("laichau2024", "Mật khẩu này quá phổ biến."),
        ("123456789", "Mật khẩu này quá phổ biến."),
        ("matkhau12345", "Mật khẩu này quá phổ biến."),
        ("Laichau@2024", "Mật khẩu này quá phổ biến."),
        ("anhyeuem1234", "Mật khẩu này quá phổ biến."),
        ("tiepcongdan1", "Mật khẩu này quá phổ biến."),
        ("q1w2e3r4t5y6", "Mật khẩu này quá phổ biến."),  # from Django's list
        ("Xq7#mLp2vR9", "Mật khẩu quá ngắn: cần ít nhất 12 ký tự."),
    ],
)
def test_short_and_common_passwords_are_refused_in_vietnamese(password: str, message: str) -> None:
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert message in refused.value.messages


@pytest.mark.parametrize("password", ["Xq7#mLp2vR9k", "bản Tà Mung mùa lúa chín", DEMO_PASSWORD])
def test_a_long_uncommon_password_is_accepted(password: str) -> None:
    validate_password(password)


def test_the_shipped_list_holds_djangos_and_the_vietnamese_one() -> None:
    import gzip

    import django

    ours = ROOT / "gov" / "data" / "common-passwords.txt.gz"
    djangos = Path(django.__file__).parent / "contrib" / "auth" / "common-passwords.txt.gz"
    with gzip.open(ours, "rt") as f:
        shipped = set(f.read().split())
    with gzip.open(djangos, "rt") as f:
        assert set(f.read().split()) <= shipped
    assert {"matkhau123", "laichau2024", "123456789", "anhyeuem"} <= shipped


def test_an_administrator_cannot_set_a_common_password(officer: User) -> None:
    admin = staff_of("ubnd-tinh", User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    url = reverse("admin:auth_user_password_change", args=[officer.pk]).replace(
        "auth/user", "gov/user"
    )
    response = client.post(
        url, {"password1": "matkhau12345", "password2": "matkhau12345", "usable_password": "true"}
    )
    assert "Mật khẩu này quá phổ biến." in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
