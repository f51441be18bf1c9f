"""The admin covers the reference data, in Vietnamese, with search and filters."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_seed
from gov.models import Agency, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_vi() -> Client:
    demo_seed()
    client = Client()
    assert client.login(username="quantri", password=DEMO_PASSWORD)
    return client


def test_admin_lists_the_38_current_communes_and_wards(admin_client_vi: Client) -> None:
    url = reverse("admin:gov_administrativeunit_changelist")
    response = admin_client_vi.get(url, {"current": "yes", "level__exact": "3"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 38
    body = response.content.decode()
    assert "Mường Kim" in body and "Đoàn Kết" in body
    assert "Đơn vị hành chính" in body  # Vietnamese labels


def test_admin_searches_units_without_diacritics(admin_client_vi: Client) -> None:
    response = admin_client_vi.get(
        reverse("admin:gov_administrativeunit_changelist"), {"q": "ta mung"}
    )
    assert response.context["cl"].result_count == 1


def test_admin_lists_agencies_with_filters(admin_client_vi: Client) -> None:
    response = admin_client_vi.get(
        reverse("admin:gov_agency_changelist"), {"kind__exact": "department", "current": "yes"}
    )
    assert response.status_code == 200
    names = {a.name for a in response.context["cl"].result_list}
    assert "Sở Nông nghiệp và Môi trường tỉnh Lai Châu" in names
    assert "Sở Tài nguyên và Môi trường tỉnh Lai Châu" not in names  # merged on 1/3/2025


@pytest.mark.parametrize(
    "model", ["administrativeunit", "agency", "sector", "calendarday", "timelimitrule", "user"]
)
def test_every_reference_model_has_working_admin_pages(admin_client_vi: Client, model: str) -> None:
    assert admin_client_vi.get(reverse(f"admin:gov_{model}_changelist")).status_code == 200
    assert admin_client_vi.get(reverse(f"admin:gov_{model}_add")).status_code == 200


def test_demo_seed_is_idempotent_and_gives_one_account_per_role() -> None:
    demo_seed()
    demo_seed()
    demo = User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    assert set(demo.values_list("role", flat=True)) == set(User.Role.values)
    # Every demo person is named and titled, as an account must be (issue 18, item 3).
    assert all(u.first_name and u.last_name and u.position for u in demo)
    assert User.objects.filter(username="quantri").count() == 1


def test_non_administrator_cannot_open_the_admin() -> None:
    demo_seed()
    client = Client()
    client.login(username="xuly.muongkim", password=DEMO_PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_staff_account_needs_a_full_name_and_a_title() -> None:
    """Issue 18, item 3: people are named, not logins; the admin requires what names them."""
    demo_seed()
    client = Client()
    assert client.login(username="quantri", password=DEMO_PASSWORD)
    agency = Agency.objects.get(code="ubnd-xa-muong-kim")
    data = {
        "username": "xuly2.muongkim",
        "usable_password": "false",
        "agency": agency.pk,
        "role": User.Role.HANDLER,
    }
    page = client.post(reverse("admin:gov_user_add"), data)
    assert page.status_code == 200
    assert not User.objects.filter(username="xuly2.muongkim").exists()
    errors = page.context["adminform"].form.errors
    assert set(errors) == {"first_name", "last_name", "position"}
    assert "họ tên đầy đủ và chức vụ" in str(errors["position"])
    body = page.content.decode()
    assert "Tên đệm và tên" in body and ">Họ" in body
    named = {**data, "first_name": "Tòng", "last_name": "Văn Sơn", "position": "Công chức Tư pháp"}
    assert client.post(reverse("admin:gov_user_add"), named).status_code == 302
    made = User.objects.get(username="xuly2.muongkim")
    assert made.staff_label == "Tòng Văn Sơn – Công chức Tư pháp"
