"""Wrong passwords are limited per account and per address, on the staff login and the admin's;
a login lasts a working day."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from gov.models import User
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-123"  # StaffFactory's
LOGIN = reverse("gov:login")
LOCKED = "Đăng nhập sai quá nhiều lần"


def _login(client: Client, username: str, password: str, url: str = LOGIN) -> object:
    return client.post(url, {"username": username, "password": password})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def officer() -> User:
    return staff_of("ubnd-xa-muong-kim", User.Role.LEADER)


def test_five_wrong_passwords_pause_the_account_even_for_the_right_one(officer: User) -> None:
    client = Client()
    for _ in range(5):
        response = _login(client, officer.username, "wrong")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    response = _login(client, officer.username, PASSWORD)
    page = response.content.decode()
    assert LOCKED in page and "15 phút" in page
    assert f'value="{officer.username}"' in page  # what was typed stays
    assert not _logged_in(client)


def test_the_pause_ends_with_its_window(officer: User, settings: object) -> None:
    settings.PORTAL_LOGIN_WINDOW_SECONDS = 1  # the counts expire in the cache (Redis in CI)
    client = Client()
    for _ in range(5):
        _login(client, officer.username, "wrong")
    assert LOCKED in _login(client, officer.username, PASSWORD).content.decode()
    time.sleep(2.1)
    assert _login(client, officer.username, PASSWORD).status_code == 302
    assert _logged_in(client)


def test_one_locked_account_does_not_lock_another(officer: User) -> None:
    colleague = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)
    client = Client()
    for _ in range(5):
        _login(client, officer.username, "wrong")
    assert _login(client, colleague.username, PASSWORD).status_code == 302


def test_a_right_password_clears_the_count(officer: User) -> None:
    client = Client()
    for _ in range(4):
        _login(client, officer.username, "wrong")
    assert _login(client, officer.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, officer.username, "wrong")
    assert _login(client, officer.username, PASSWORD).status_code == 302


def test_guessing_across_accounts_from_one_address_pauses_that_address(officer: User) -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(20):
        _login(guesser, f"nobody{n}", "wrong")
    assert LOCKED in _login(guesser, officer.username, PASSWORD).content.decode()
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert _login(elsewhere, officer.username, PASSWORD).status_code == 302


def test_the_admin_login_is_guarded_too() -> None:
    admin = staff_of("ubnd-tinh", User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client = Client()
    url = reverse("admin:login")
    for _ in range(5):
        _login(client, admin.username, "wrong", url)
    assert LOCKED in _login(client, admin.username, PASSWORD, url).content.decode()
    assert not _logged_in(client)


def test_a_staff_session_lasts_a_working_day(officer: User) -> None:
    client = Client()
    assert _login(client, officer.username, PASSWORD).status_code == 302
    assert client.cookies["sessionid"]["max-age"] == 8 * 3600


def test_a_right_password_refused_by_the_admin_is_not_a_wrong_one(officer: User) -> None:
    """A leader (no admin access) who tries the admin with the right password six times can
    still log in to the staff pages."""
    client = Client()
    for _ in range(6):
        _login(client, officer.username, PASSWORD, reverse("admin:login"))
    assert _login(client, officer.username, PASSWORD).status_code == 302
