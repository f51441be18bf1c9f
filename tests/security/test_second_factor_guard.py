"""Wrong second-factor codes (issue 13; ASVS 5.0 V6.3.1, V16.3.1): each is written to the audit
log without the code, and they slow the account as wrong passwords do (``gov.login_guard``):
3 free, then 2, 4, 8... seconds between checked codes, one check per wait, whichever device;
a right code clears the count. A 6-digit code cannot be found by trying."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gov import second_factor
from gov.models import AuditRecord, User
from tests.gov.factories import staff_of

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor_unverified]
PASSWORD = "secret-pass-123"  # StaffFactory's
VERIFY = reverse("gov:otp_verify")
WRONG = "Mã này không đúng"
SLOWED = "thử lại sau"
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def handler() -> User:
    return staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)


@pytest.fixture
def device(handler: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=handler, name="app", confirmed=True)


def right(device: TOTPDevice) -> str:
    import time

    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    generator.time = time.time()
    return f"{generator.token():06d}"


def wrong(device: TOTPDevice) -> str:
    return f"{(int(right(device)) + 1) % 1_000_000:06d}"


def logged_in(user: User) -> Client:
    client = Client()
    response = client.post(reverse("gov:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def attempt(client: Client, code: str) -> str:
    response = client.post(VERIFY, {"code": code})
    return "verified" if response.status_code == 302 else response.content.decode()


def wait_of(page: str) -> str:
    found = re.search(r"thử lại sau (\d+ (?:giây|phút))", page)
    return found.group(1) if found else ""


def test_a_wrong_code_is_written_to_the_audit_log_without_the_code(
    handler: User, device: TOTPDevice, clock: time_machine.Traveller
) -> None:
    client = logged_in(handler)
    code = wrong(device)
    assert WRONG in attempt(client, code)
    record = AuditRecord.objects.get(kind="otp_failed")
    assert (record.actor, record.subject_id, record.actor_agency) == (
        handler,
        str(handler.pk),
        handler.agency,
    )
    assert record.data == {"factor": "authenticator", "failures": 1}
    row = str(AuditRecord.objects.filter(pk=record.pk).values().get())
    assert code not in row
    # A wrong recovery code too, by its kind only.
    second_factor.recovery_codes_generate(user=handler)
    assert WRONG in attempt(client, "abcd-efgh")
    latest = AuditRecord.objects.filter(kind="otp_failed").order_by("-id")[0]
    assert latest.data == {"factor": "recovery", "failures": 2}
    assert "abcd" not in str(AuditRecord.objects.filter(pk=latest.pk).values().get())


def test_the_inspectorate_reads_wrong_codes_on_the_audit_page(
    handler: User, device: TOTPDevice, clock: time_machine.Traveller
) -> None:
    attempt(logged_in(handler), wrong(device))
    inspector = staff_of("thanh-tra-tinh", User.Role.LEADER)
    reader = Client()
    reader.force_login(inspector)
    session = reader.session
    session["otp_device_id"] = TOTPDevice.objects.create(user=inspector, name="app").persistent_id
    session.save()
    page = reader.get(reverse("gov:audit_log"), {"kind": "otp_failed"}).content.decode()
    assert "Nhập sai mã xác thực hai lớp" in page and handler.username in page


def test_wrong_codes_slow_the_account_2_4_8_seconds_and_a_right_one_resets(
    handler: User, device: TOTPDevice, clock: time_machine.Traveller
) -> None:
    client = logged_in(handler)
    for _ in range(3):
        assert WRONG in attempt(client, wrong(device))
    page = attempt(client, right(device))  # not even checked during the wait
    assert wait_of(page) == "2 giây"
    clock.shift(2)
    assert WRONG in attempt(client, wrong(device))
    assert wait_of(attempt(client, right(device))) == "4 giây"
    clock.shift(4)
    assert WRONG in attempt(client, wrong(device))
    assert wait_of(attempt(client, right(device))) == "8 giây"
    assert AuditRecord.objects.filter(kind="otp_failed").count() == 5  # the checked ones
    clock.shift(8)
    assert attempt(client, right(device)) == "verified"
    # The right code cleared the count: three wrong codes are free again.
    other = logged_in(handler)
    for _ in range(3):
        assert WRONG in attempt(other, wrong(device))


def test_the_wait_is_the_accounts_whichever_device_or_session(
    handler: User, device: TOTPDevice, clock: time_machine.Traveller
) -> None:
    """Switching to recovery codes, or to a new session, does not reset the count."""
    codes = second_factor.recovery_codes_generate(user=handler)
    for _ in range(3):
        assert WRONG in attempt(logged_in(handler), wrong(device))
    assert wait_of(attempt(logged_in(handler), codes[0])) == "2 giây"
    assert second_factor.recovery_codes_left(handler) == 10  # refused unchecked, not used


def test_one_check_per_wait(
    handler: User, device: TOTPDevice, clock: time_machine.Traveller
) -> None:
    """Parallel guesses after a wait: the first claims the check, the others wait."""
    client = logged_in(handler)
    for _ in range(3):
        attempt(client, wrong(device))
    clock.shift(2)
    assert second_factor.verify_wait(user=handler) == 0
    assert second_factor.verify_wait(user=handler) > 0
    assert second_factor.verify_wait(user=handler) > 0


def test_wrong_passwords_and_wrong_codes_are_counted_apart(
    handler: User, device: TOTPDevice, clock: time_machine.Traveller
) -> None:
    client = logged_in(handler)
    for _ in range(3):
        attempt(client, wrong(device))
    # The password is not slowed by the codes: a new login goes through at once.
    logged_in(handler)
