"""Settings from the environment, formats, and the production module."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parents[2]


class DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_parsed_day_first(language: str) -> None:
    with translation.override(language):
        form = DateForm({"day": "05/04/2025"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == dt.date(2025, 4, 5)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_shown_dd_mm_yyyy(language: str) -> None:
    with translation.override(language):
        assert formats.date_format(dt.date(2025, 4, 5), "SHORT_DATE_FORMAT") == "05/04/2025"
        assert formats.date_format(dt.date(2025, 4, 5)) == "05/04/2025"


def test_invalid_day_first_date_is_refused() -> None:
    with translation.override("vi"):
        form = DateForm({"day": "31/02/2025"})
        assert not form.is_valid()


def test_language_and_time_zone() -> None:
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]


def _settings_in_subprocess(
    module: str, env: dict[str, str], code: str
) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_URL", "CELERY_", "DJANGO_", "PORTAL_"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    script = f"import django; django.setup(); from django.conf import settings as s; {code}"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_defaults_need_no_service() -> None:
    result = _settings_in_subprocess(
        "laichau_portal.settings.local",
        {},
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
    ]


def test_services_are_chosen_by_url() -> None:
    result = _settings_in_subprocess(
        "laichau_portal.settings.local",
        {
            "DATABASE_URL": "postgres://portal@db.internal:5432/portal",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "CELERY_BROKER_URL": "amqp://guest:guest@mq.internal:5672//",
        },
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "gov.backends.postgresql",  # Django's, with a cheaper health check
        "gov.cache.RedisCache",
        "False",
        "amqp://guest:guest@mq.internal:5672//",
    ]


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _settings_in_subprocess(
        "laichau_portal.settings.production",
        {"DJANGO_ALLOWED_HOSTS": "portal.example"},
        "print(s.SECRET_KEY)",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


# What production needs besides the secret key: the identities' keys (gov.crypto).
IDENTITY_KEYS = {
    "PORTAL_FIELD_KEYS": "cHJvZHVjdGlvbi10ZXN0LWZpZWxkLWtleS0wMTIzNDU=",
    "PORTAL_PSEUDONYM_KEY": "p" * 10 + "Xw3#n!b8$Kq2@zR6^vY1&mE9*jU4(hT7)",
}


@pytest.mark.parametrize("missing", ["PORTAL_FIELD_KEYS", "PORTAL_PSEUDONYM_KEY"])
def test_production_refuses_to_start_without_the_identity_keys(missing: str) -> None:
    env = {
        "DJANGO_SECRET_KEY": "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "portal.example",
        **{k: v for k, v in IDENTITY_KEYS.items() if k != missing},
    }
    result = _settings_in_subprocess(
        "laichau_portal.settings.production", env, "print(s.PORTAL_FIELD_KEYS)"
    )
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_deploy_check_passes_with_its_variables() -> None:
    env = {
        "DJANGO_SECRET_KEY": "k" * 10 + "Zq8#x!v2$Lm9@pR4^tY7&wE1*uI5(oP3)aS6_dF0+gH",
        "DJANGO_ALLOWED_HOSTS": "tiepcongdan.laichau.gov.vn",
        # Production scans citizens' files (a warning otherwise: complaints.W201).
        "PORTAL_UPLOAD_SCANNER": "unix:///run/clamav/clamd.ctl",
        # The address written in every message (an error otherwise: portal.E001).
        "PORTAL_SITE_URL": "https://tiepcongdan.laichau.gov.vn",
        **IDENTITY_KEYS,
    }
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="laichau_portal.settings.production")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # runs pytest in a subprocess
def test_ci_fails_the_run_when_a_service_is_missing() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["CI"] = "true"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/gov/test_workdays.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "CI=true but these services are missing" in result.stdout + result.stderr


def test_client_ip_is_read_behind_the_configured_proxies(settings: object) -> None:
    from django.test import RequestFactory

    from gov.http import client_ip

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.PORTAL_NUM_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"
    settings.PORTAL_NUM_PROXIES = 1
    assert client_ip(request) == "203.0.113.9"  # not the spoofable left-most address


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements() -> None:
    code = "o = s.DATABASES['default']['OPTIONS']; print(o['server_side_binding'], o.get('prepare_threshold'))"
    url = {"DATABASE_URL": "postgres://portal@db.internal:5432/portal"}
    default = _settings_in_subprocess("laichau_portal.settings.local", url, code)
    assert default.stdout.split() == ["True", "5"], default.stderr
    pooled = _settings_in_subprocess(
        "laichau_portal.settings.local",
        {**url, "DB_PREPARE_THRESHOLD": "", "DB_SERVER_SIDE_BINDING": "false"},
        code,
    )
    assert pooled.stdout.split() == ["False", "None"], pooled.stderr


def test_the_sqlite_index_warning_is_silenced_for_the_embedded_default_only() -> None:
    """Issue 18, item 9: `make run` says nothing about SQLite's indexes; PostgreSQL still checks."""
    import subprocess
    import sys

    def check(env: dict[str, str]) -> str:
        run = subprocess.run(
            [sys.executable, "manage.py", "check", "--database", "default"],
            capture_output=True,
            text=True,
            env={**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, **env},
            cwd=settings.BASE_DIR,
            check=False,
        )
        return run.stdout + run.stderr

    local = {"DJANGO_SETTINGS_MODULE": "laichau_portal.settings.local"}
    assert "W040" not in check(local)
    assert "1 silenced" in check(local)
