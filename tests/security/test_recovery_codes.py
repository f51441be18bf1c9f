"""Recovery codes are stored only as keyed hashes (issue 13; ASVS 5.0 V6.5.2): once shown, a
code is in no table of the database (nor in a session), it logs in once, and the codes that
django-otp kept in clear before are converted by a migration and then deleted."""

from __future__ import annotations

import importlib
import re
import time
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gov import second_factor
from gov.models import RecoveryCode, RecoveryCodeDevice, User
from tests.gov.factories import staff_of

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor_unverified]
PASSWORD = "secret-pass-123"  # StaffFactory's
ENROL = reverse("gov:otp_enrol")
VERIFY = reverse("gov:otp_verify")
CODE = re.compile(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>")


def code_of(device: TOTPDevice) -> str:
    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    generator.time = time.time()
    return f"{generator.token():0{device.digits}d}"


def password_login(user: User) -> Client:
    client = Client()
    response = client.post(reverse("gov:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def handler() -> User:
    return staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)


def database_dump() -> str:
    """Every row of every table as PostgreSQL prints it, and every session decoded."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT t::text FROM "{table}" t')
            parts.extend(row[0] for row in cursor.fetchall())
    for session in Session.objects.all():
        parts.append(str(session.get_decoded()))
    return "\n".join(parts)


def test_once_shown_no_recovery_code_is_in_any_table(handler: User) -> None:
    client = password_login(handler)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=handler, confirmed=False)
    page = client.post(ENROL, {"code": code_of(device)}).content.decode()
    codes = CODE.findall(page)
    assert len(set(codes)) == 10
    assert RecoveryCode.objects.filter(device__user=handler).count() == 10
    dump = database_dump().casefold()
    assert str(handler.pk) in dump and "recovery codes" in dump  # the dump reads the rows
    for code in codes:
        for form in (code, code.replace("-", "")):
            assert form not in dump, form


def test_a_stored_code_logs_in_once_and_a_second_use_fails(handler: User) -> None:
    TOTPDevice.objects.create(user=handler, name="app", confirmed=True)
    codes = second_factor.recovery_codes_generate(user=handler)
    first = password_login(handler)
    assert first.post(VERIFY, {"code": codes[3]})["Location"] == reverse("gov:staff_home")
    assert first.get("/can-bo/").status_code == 200
    assert second_factor.recovery_codes_left(handler) == 9
    second = password_login(handler)
    page = second.post(VERIFY, {"code": codes[3]}).content.decode()
    assert "Mã này không đúng" in page
    assert second.get("/can-bo/").status_code == 302


def test_the_codes_survive_a_change_of_the_secret_key_kept_as_a_fallback(
    handler: User, settings: Any
) -> None:
    codes = second_factor.recovery_codes_generate(user=handler)
    device = RecoveryCodeDevice.objects.get(user=handler)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-0123456789-abcdefghijklmnop"
    assert device.verify_token(second_factor.normalise(codes[0]))
    settings.SECRET_KEY_FALLBACKS = []
    device.refresh_from_db()
    device.throttle_reset()
    assert not device.verify_token(second_factor.normalise(codes[1]))  # the key is the secret


def test_the_migration_hashes_the_clear_codes_and_deletes_them(handler: User) -> None:
    TOTPDevice.objects.create(user=handler, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=handler, name="recovery codes", confirmed=True)
    clear = [StaticToken.random_token() for _ in range(3)]
    for token in clear:
        StaticToken.objects.create(device=static, token=token)
    migration = importlib.import_module("gov.migrations.0007_recovery_codes_from_clear")
    migration.hash_clear_codes(apps, None)
    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
    assert RecoveryCode.objects.filter(device__user=handler).count() == 3
    dump = database_dump()
    assert not [token for token in clear if token in dump]
    client = password_login(handler)
    assert client.post(VERIFY, {"code": clear[1]})["Location"] == reverse("gov:staff_home")
    assert second_factor.recovery_codes_left(handler) == 2


def test_the_admin_shows_no_recovery_code(handler: User) -> None:
    codes = second_factor.recovery_codes_generate(user=handler)
    admin = staff_of("ubnd-tinh", User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    session = client.session
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    session["otp_device_id"] = device.persistent_id
    session.save()
    page = client.get(f"/quan-tri/gov/user/{handler.pk}/change/")
    assert page.status_code == 200
    assert client.get("/quan-tri/gov/recoverycodedevice/").status_code == 404
    assert client.get("/quan-tri/gov/recoverycode/").status_code == 404
    text = page.content.decode()
    assert not [code for code in codes if code in text or code.replace("-", "") in text]
