"""A second factor for staff (issue 13, item 5; ASVS 5.0 V6.3.3): an authenticator app's code
(TOTP) or a single-use recovery code after the password, required for leaders, handlers and
administrators, optional for reception officers; the staff pages, the admin and the API's
session all wait for it; an administrator or the agency's leader can reset it. API tokens are
not concerned."""

from __future__ import annotations

import io
import re
import time

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from demo.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_seed,
    demo_totp_code,
    demo_totp_key,
)
from gov import second_factor
from gov.models import AuditRecord, RecoveryCode, RecoveryCodeDevice, User
from tests.gov.factories import staff_of

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor_unverified]
PASSWORD = "secret-pass-123"  # StaffFactory's
ENROL = reverse("gov:otp_enrol")
VERIFY = reverse("gov:otp_verify")


def code_of(device: TOTPDevice, *, later_steps: int = 0) -> str:
    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    generator.time = time.time() + later_steps * device.step
    return f"{generator.token():0{device.digits}d}"


def enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def password_login(user: User, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post(reverse("gov:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def handler() -> User:
    return staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)


@pytest.fixture
def leader() -> User:
    return staff_of("ubnd-xa-muong-kim", User.Role.LEADER)


@pytest.fixture
def officer() -> User:
    return staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER)


# --- Who must, and what an unverified session reaches ----------------------------------------


@pytest.mark.parametrize("role", ["leader", "handler", "administrator"])
def test_a_force_logged_in_account_without_a_second_factor_is_sent_to_enrol(role: str) -> None:
    user = staff_of("ubnd-xa-muong-kim", role)
    client = Client()
    client.force_login(user)  # the password only: the test helpers do not verify here
    response = client.get("/can-bo/don/")
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Fcan-bo%2Fdon%2F"


def test_an_enrolled_account_is_sent_to_verify_and_comes_back(handler: User) -> None:
    device = enrolled(handler)
    client = password_login(handler)
    response = client.get("/can-bo/", follow=True)
    assert response.redirect_chain[-1][0] == f"{VERIFY}?next=%2Fcan-bo%2F"
    assert "Xác thực hai lớp" in response.content.decode()
    before = client.session.session_key
    response = client.post(VERIFY, {"code": code_of(device), "next": "/can-bo/"})
    assert response.status_code == 302 and response["Location"] == "/can-bo/"
    assert client.session.session_key != before  # a new key once the factor is proven
    assert client.get("/can-bo/").status_code == 200


def test_verification_does_not_redirect_elsewhere(handler: User) -> None:
    device = enrolled(handler)
    client = password_login(handler)
    response = client.post(VERIFY, {"code": code_of(device), "next": "https://example.org/"})
    assert response["Location"] == reverse("gov:staff_home")


def test_a_wrong_code_is_refused_in_vietnamese_and_then_slowed(handler: User) -> None:
    device = enrolled(handler)
    client = password_login(handler)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    for _ in range(3):  # free, as wrong passwords are (gov.login_guard)
        page = client.post(VERIFY, {"code": wrong}).content.decode()
        assert "Mã này không đúng" in page
    page = client.post(VERIFY, {"code": code_of(device)}).content.decode()
    assert "thử lại sau" in page  # the account's wait, even for a right code
    assert client.get("/can-bo/").status_code == 302


def test_a_code_is_accepted_once(handler: User) -> None:
    device = enrolled(handler)
    code = code_of(device)
    first, second = password_login(handler), password_login(handler)
    assert first.post(VERIFY, {"code": code})["Location"] == reverse("gov:staff_home")
    assert second.post(VERIFY, {"code": code}).status_code == 200
    assert second.get("/can-bo/").status_code == 302


@pytest.mark.parametrize(
    ("steps", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)]
)
def test_a_code_lives_its_30_seconds_and_one_step_either_side(
    handler: User, steps: int, accepted: bool
) -> None:
    """ASVS V6.5.5: a code's lifetime is defined: its 30-second step, and one step before or
    after for a phone's clock that drifts (django-otp's tolerance 1), never more."""
    device = enrolled(handler)
    assert (device.step, device.tolerance) == (30, 1)
    client = password_login(handler)
    response = client.post(VERIFY, {"code": code_of(device, later_steps=steps)})
    if accepted:
        assert response["Location"] == reverse("gov:staff_home")
    else:
        assert response.status_code == 200
        assert "Mã này không đúng" in response.content.decode()
        assert client.get("/can-bo/").status_code == 302


def test_the_admin_is_unreachable_before_the_second_factor() -> None:
    admin = staff_of("ubnd-tinh", User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    device = enrolled(admin)
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": admin.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    for path in ("/quan-tri/", "/quan-tri/gov/user/", f"/quan-tri/gov/user/{admin.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), path
    client.post(VERIFY, {"code": code_of(device)})
    assert client.get("/quan-tri/gov/user/").status_code == 200


def test_the_admin_site_itself_refuses_an_unverified_session(rf: object) -> None:
    """Without the middleware too (``gov.admin_site``)."""
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    user = staff_of("ubnd-tinh", User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    for verified in (False, True):
        request = rf.get("/quan-tri/")
        request.user, request.session = user, SessionStore()
        user.is_verified = lambda verified=verified: verified
        assert admin.site.has_permission(request) is verified


def test_an_unverified_session_gets_403_from_the_api(handler: User) -> None:
    enrolled(handler)
    client = password_login(handler)
    response = client.get("/api/v1/items/")
    assert response.status_code == 403
    assert "Xác minh" in response.json()["detail"]


def test_api_tokens_are_not_concerned(handler: User) -> None:
    """A token is issued to a system by an administrator and carries no session."""
    enrolled(handler)
    token = Token.objects.create(user=handler)
    response = Client().get("/api/v1/items/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_the_menu_offers_only_the_logout_before_the_second_factor(handler: User) -> None:
    enrolled(handler)
    page = password_login(handler).get(VERIFY).content.decode()
    assert reverse("complaints:inbox") not in page and reverse("gov:logout") in page


def test_reception_officers_may_work_without_one(officer: User) -> None:
    client = Client()
    client.force_login(officer)
    assert client.get("/can-bo/").status_code == 200


def test_a_reception_officer_who_enrolled_verifies_too(officer: User) -> None:
    enrolled(officer)
    client = Client()
    client.force_login(officer)
    assert client.get("/can-bo/")["Location"].startswith(VERIFY)


def test_the_roles_that_must_are_a_setting(officer: User, settings: object) -> None:
    settings.PORTAL_OTP_REQUIRED_ROLES = [*settings.PORTAL_OTP_REQUIRED_ROLES, "reception_officer"]
    client = Client()
    client.force_login(officer)
    assert client.get("/can-bo/")["Location"].startswith(ENROL)


# --- Enrolment and recovery codes ------------------------------------------------------------


def test_the_enrolment_page_shows_the_qr_code_and_the_key_as_text(handler: User) -> None:
    client = password_login(handler)
    response = client.get(ENROL)
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=handler, confirmed=False)
    assert "no-store" in response["Cache-Control"]
    assert re.search(r'<svg [^>]*class="qr"[^>]*><title>', page)  # drawn here, with a name
    assert second_factor.secret_text(device) in page  # for typing by hand
    assert "style=" not in page.split("<main")[1] and "<script" not in page  # CSP: none needed
    assert client.get(ENROL).content.decode().count(second_factor.secret_text(device)) == 1


def test_enrolment_confirms_the_app_and_shows_ten_recovery_codes_once(handler: User) -> None:
    client = password_login(handler)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=handler, confirmed=False)
    response = client.post(ENROL, {"code": code_of(device), "next": "/can-bo/don/"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)
    assert len(set(codes)) == 10 and 'href="/can-bo/don/"' in page
    assert client.get(reverse("gov:recovery_codes")).status_code == 302  # shown once
    device.refresh_from_db()
    assert device.confirmed and client.get("/can-bo/don/").status_code == 200
    assert RecoveryCode.objects.filter(device__user=handler).count() == 10
    record = AuditRecord.objects.get(kind="otp_enrolled")
    assert (record.actor, record.subject_id, record.agency) == (
        handler,
        str(handler.pk),
        handler.agency,
    )


def test_a_wrong_first_code_does_not_enrol(handler: User) -> None:
    client = password_login(handler)
    client.get(ENROL)
    page = client.post(ENROL, {"code": "000000x"}).content.decode()
    assert "Mã này không đúng" in page
    assert not TOTPDevice.objects.filter(user=handler, confirmed=True).exists()
    assert client.get("/can-bo/").status_code == 302


def test_an_enrolled_account_cannot_enrol_another_app_before_verifying(handler: User) -> None:
    """Else the password alone would be enough to add an app of one's own."""
    enrolled(handler)
    client = password_login(handler)
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=handler).count() == 1


def _recovery_codes(client: Client) -> list[str]:
    """New codes, from the answer to the request that makes them (the only place they show)."""
    page = client.post(reverse("gov:recovery_codes_regenerate")).content.decode()
    return re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)


def test_a_recovery_code_logs_in_once(handler: User) -> None:
    device = enrolled(handler)
    setup = password_login(handler)
    setup.post(VERIFY, {"code": code_of(device)})
    codes = _recovery_codes(setup)
    first = password_login(handler)
    response = first.post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert "còn 9 mã" in response.content.decode()
    assert first.get("/can-bo/").status_code == 200
    second = password_login(handler)
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert second.get("/can-bo/").status_code == 302


def test_new_recovery_codes_replace_the_former(handler: User) -> None:
    client = Client()
    device = enrolled(handler)
    password_login(handler, client).post(VERIFY, {"code": code_of(device)})
    former = _recovery_codes(client)
    latest = _recovery_codes(client)
    assert len(latest) == 10 and not set(former) & set(latest)
    other = password_login(handler)
    assert other.post(VERIFY, {"code": former[0]}).status_code == 200
    with time_machine.travel(time.time() + 2):  # past the wait a wrong code costs
        assert other.post(VERIFY, {"code": latest[0]}).status_code == 302


def test_the_security_page_counts_the_recovery_codes_left(handler: User) -> None:
    client = Client()
    device = enrolled(handler)
    password_login(handler, client).post(VERIFY, {"code": code_of(device)})
    assert len(_recovery_codes(client)) == 10
    page = client.get(reverse("gov:account_security")).content.decode()
    assert "Còn 10 mã dự phòng" in page


# --- Reset -----------------------------------------------------------------------------------


def _verified_client(user: User) -> Client:
    client = Client()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrolled(user)
    password_login(user, client).post(VERIFY, {"code": code_of(device)})
    assert DEVICE_ID_SESSION_KEY in client.session
    return client


def test_the_agency_leader_resets_a_colleagues_second_factor(leader: User, handler: User) -> None:
    enrolled(handler)
    second_factor.recovery_codes_generate(user=handler)
    handler_session = _verified_client(handler)
    client = _verified_client(leader)
    page = client.get(reverse("gov:staff_agency", args=[leader.agency.code])).content.decode()
    url = reverse("gov:second_factor_reset", args=[handler.pk])
    assert f'action="{url}"' in page
    assert f'action="{reverse("gov:second_factor_reset", args=[leader.pk])}"' not in page
    response = client.post(url, follow=True)
    assert "đã được đặt lại" in response.content.decode()
    assert not second_factor.enrolled(handler)
    assert not RecoveryCodeDevice.objects.filter(user=handler).exists()
    assert not RecoveryCode.objects.filter(device__user=handler).exists()
    record = AuditRecord.objects.get(kind="otp_reset")
    assert (record.actor, record.subject_type, record.subject_id, record.agency) == (
        leader,
        "gov.user",
        str(handler.pk),
        handler.agency,
    )
    # The handler's session, verified with the removed app, must set up a new one.
    assert handler_session.get("/can-bo/")["Location"].startswith(ENROL)


@pytest.mark.parametrize(
    ("agency", "role", "status"),
    [
        ("ubnd-xa-muong-kim", "handler", 403),  # a colleague, not the leader
        ("ubnd-tinh", "leader", 403),  # a leader of another agency, in scope
        ("ubnd-phuong-tan-phong", "leader", 404),  # out of scope entirely
        ("ubnd-phuong-tan-phong", "administrator", 404),
    ],
)
def test_others_may_not_reset_it(handler: User, agency: str, role: str, status: int) -> None:
    enrolled(handler)
    client = _verified_client(staff_of(agency, role))
    response = client.post(reverse("gov:second_factor_reset", args=[handler.pk]))
    assert response.status_code == status
    assert second_factor.enrolled(handler)
    assert not AuditRecord.objects.filter(kind="otp_reset").exists()


def test_an_administrator_resets_within_their_scope(handler: User) -> None:
    enrolled(handler)
    client = _verified_client(staff_of("van-phong-ubnd-tinh", "administrator"))
    response = client.post(reverse("gov:second_factor_reset", args=[handler.pk]))
    assert response.status_code == 302
    assert not second_factor.enrolled(handler)


def test_nobody_resets_their_own(leader: User) -> None:
    client = _verified_client(leader)
    assert client.post(reverse("gov:second_factor_reset", args=[leader.pk])).status_code == 403
    assert second_factor.enrolled(leader)


def test_the_admin_resets_it_too(handler: User) -> None:
    enrolled(handler)
    admin = staff_of("ubnd-tinh", User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client = _verified_client(admin)
    response = client.post(
        reverse("admin:gov_user_changelist"),
        {"action": "second_factor_reset", "_selected_action": [handler.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not second_factor.enrolled(handler)


# --- The demo --------------------------------------------------------------------------------


def test_the_demo_accounts_that_must_have_the_demo_authenticator() -> None:
    demo_seed()
    demo_seed()  # again: nothing doubles
    required = set()
    for user in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]):
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        if second_factor.required(user):
            required.add(user.username)
            assert [d.key for d in devices] == [demo_totp_key().hex()], user.username
        else:
            assert not devices.exists(), user.username
    # Both kinds of demo account exist: those that must and those that need not.
    assert {"lanhdao.tinh", "quantri"} <= required
    assert "tiepdan.tinh" not in required
    assert User.objects.filter(username="tiepdan.tinh").exists()


def test_a_demo_leader_logs_in_with_the_demo_code() -> None:
    demo_seed()
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    assert out.getvalue().strip() == demo_totp_code()
    client = Client()
    client.post(reverse("gov:login"), {"username": "lanhdao.tinh", "password": DEMO_PASSWORD})
    assert client.post(VERIFY, {"code": demo_totp_code()}).status_code == 302
    assert client.get("/can-bo/").status_code == 200


def test_seed_demo_prints_how_to_get_the_code() -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert f"secret={DEMO_TOTP_SECRET}" in out.getvalue()
    assert "demo_code" in out.getvalue()
    assert settings.OTP_TOTP_ISSUER
