"""Item 1 of issue 13: no escalation through the admin.

The attack, reproduced: a non-superuser administrator opened its own account in /quan-tri/,
ticked ``is_superuser``, moved itself to the Inspectorate as a leader and read a protected
denouncer; it could also set a handler's password and act as them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo.accounts import DEMO_PASSWORD, demo_seed
from gov.models import Agency, AuditRecord, Notification, User
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Một-mật-khẩu-mới-2026"


@pytest.fixture
def admin_client() -> Client:
    demo_seed()
    client = Client()
    assert client.login(username="quantri", password=DEMO_PASSWORD)
    return client


def _change_form_data(client: Client, user: User) -> dict[str, object]:
    """What the admin's change form would post unchanged, from the form Django rendered."""
    form = client.get(reverse("admin:gov_user_change", args=[user.pk])).context["adminform"].form
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in {"password"}:
            continue
        if isinstance(value, dt.datetime) or name in {"last_login", "date_joined"}:
            local = timezone.localtime(value) if value else None
            data[f"{name}_0"] = local.strftime("%d/%m/%Y") if local else ""
            data[f"{name}_1"] = local.strftime("%H:%M:%S") if local else ""
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, list | tuple):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = "" if value is None else value
    data.update({k: v for k, v in data.items() if isinstance(v, bool) and v})
    for name in [k for k, v in data.items() if v is False]:
        del data[name]
    return data


def test_admin_posting_superuser_role_and_agency_for_itself_changes_nothing(
    admin_client: Client,
) -> None:
    me = User.objects.get(username="quantri")
    inspectorate = Agency.objects.get(code="thanh-tra-tinh")
    data = _change_form_data(admin_client, me)
    data.update(
        {
            "is_superuser": "on",
            "is_staff": "on",
            "role": User.Role.LEADER,
            "agency": inspectorate.pk,
            "user_permissions": [1, 2, 3],
            "last_name": "Quản trị (đã sửa)",
        }
    )
    response = admin_client.post(reverse("admin:gov_user_change", args=[me.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    me.refresh_from_db()
    assert me.last_name == "Quản trị (đã sửa)"  # what it may change, it changed
    assert not me.is_superuser
    assert me.role == User.Role.ADMINISTRATOR
    assert me.agency.code == "van-phong-ubnd-tinh"
    assert not me.user_permissions.exists()
    assert not AuditRecord.objects.filter(
        kind__in=[AuditRecord.Kind.ROLE_CHANGE, AuditRecord.Kind.AGENCY_CHANGE]
    ).exists()


def test_admin_never_sees_superuser_permissions_or_groups_fields(admin_client: Client) -> None:
    handler = User.objects.get(username="xuly.muongkim")
    for url in (
        reverse("admin:gov_user_change", args=[handler.pk]),
        reverse("admin:gov_user_add"),
    ):
        body = admin_client.get(url).content.decode()
        for field in ("is_superuser", "user_permissions", "groups", "is_staff"):
            assert f'name="{field}"' not in body, (url, field)


def test_admin_cannot_open_a_superuser_nor_set_its_password(admin_client: Client) -> None:
    # A superuser seated in the administrator's own agency, so in its scope.
    root = User.objects.create_superuser(
        "root",
        "root@example.org",
        "a-superuser-pass-2026",
        agency=Agency.objects.get(code="van-phong-ubnd-tinh"),
        role=User.Role.ADMINISTRATOR,
    )
    for url in (
        reverse("admin:gov_user_change", args=[root.pk]),
        reverse("admin:auth_user_password_change", args=[root.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code in {302, 403, 404}
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code in {302, 403, 404}
    root.refresh_from_db()
    assert root.check_password("a-superuser-pass-2026")
    listed = admin_client.get(reverse("admin:gov_user_changelist")).context["cl"].result_list
    assert root not in listed


def test_admin_cannot_create_a_superuser_nor_an_administrator(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:gov_user_add"),
        {
            "username": "moi.quantri",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "agency": Agency.objects.get(code="van-phong-ubnd-tinh").pk,
            "role": User.Role.ADMINISTRATOR,
            "is_superuser": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the error on the role
    assert "role" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="moi.quantri").exists()


def test_commune_administrator_cannot_move_an_account_out_of_its_scope() -> None:
    demo_seed()
    commune_admin = staff_of("ubnd-xa-muong-kim", User.Role.ADMINISTRATOR, is_staff=True)
    from gov.services import administrators_group

    commune_admin.groups.add(administrators_group())
    client = Client()
    client.force_login(commune_admin)
    handler = User.objects.get(username="xuly.muongkim")
    data = _change_form_data(client, handler)
    data["agency"] = Agency.objects.get(code="thanh-tra-tinh").pk
    response = client.post(reverse("admin:gov_user_change", args=[handler.pk]), data)
    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    handler.refresh_from_db()
    assert handler.agency.code == "ubnd-xa-muong-kim"


def test_admin_cannot_open_another_administrators_account(admin_client: Client) -> None:
    peer = staff_of("van-phong-ubnd-tinh", User.Role.ADMINISTRATOR, is_staff=True)
    response = admin_client.get(reverse("admin:auth_user_password_change", args=[peer.pk]))
    assert response.status_code in {302, 403, 404}


def test_admin_setting_a_handlers_password_is_audited_and_told_to_both_agencies_leaders(
    admin_client: Client,
) -> None:
    handler = User.objects.get(username="xuly.muongkim")
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[handler.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content
    assert response.url == reverse("admin:gov_user_change", args=[handler.pk])
    handler.refresh_from_db()
    assert handler.check_password(NEW_PASSWORD)
    record = AuditRecord.objects.get(kind=AuditRecord.Kind.PASSWORD_SET)
    assert record.actor.username == "quantri"
    assert (record.subject_type, record.subject_id) == ("gov.user", str(handler.pk))
    assert record.agency == handler.agency
    commune_leader = User.objects.get(username="lanhdao.muongkim")
    told = Notification.objects.get(recipient=commune_leader, kind="audit:password_set")
    assert handler.display_name in told.title
    assert f"record={record.pk}" in told.url


def test_a_role_or_agency_change_is_audited_and_told_to_the_leaders_of_both_agencies(
    admin_client: Client,
) -> None:
    handler = User.objects.get(username="xuly.muongkim")
    new_leader = staff_of("ubnd-phuong-tan-phong", User.Role.LEADER)
    data = _change_form_data(admin_client, handler)
    data["agency"] = new_leader.agency.pk
    data["role"] = User.Role.LEADER
    response = admin_client.post(reverse("admin:gov_user_change", args=[handler.pk]), data)
    assert response.status_code == 302
    kinds = set(AuditRecord.objects.values_list("kind", flat=True))
    assert {AuditRecord.Kind.ROLE_CHANGE, AuditRecord.Kind.AGENCY_CHANGE} <= kinds
    moved = AuditRecord.objects.get(kind=AuditRecord.Kind.AGENCY_CHANGE)
    assert moved.agency == new_leader.agency
    assert moved.other_agency.code == "ubnd-xa-muong-kim"
    old_leader = User.objects.get(username="lanhdao.muongkim")
    for leader in (old_leader, new_leader):
        assert Notification.objects.filter(recipient=leader, kind="audit:agency_change").exists(), (
            leader
        )
    # The page the notification leads to shows the record to both leaders.
    for leader in (old_leader, new_leader):
        client = Client()
        client.force_login(leader)
        body = client.get(reverse("gov:audit_log"), {"kind": "agency_change"}).content.decode()
        assert "Ủy ban nhân dân phường Tân Phong" in body or new_leader.agency.name in body


def test_superuser_still_manages_everything() -> None:
    demo_seed()
    root = User.objects.create_superuser("root", "root@example.org", "a-superuser-pass-2026")
    client = Client()
    client.force_login(root)
    body = client.get(
        reverse("admin:gov_user_change", args=[User.objects.get(username="quantri").pk])
    ).content.decode()
    assert 'name="is_superuser"' in body and 'name="groups"' in body


def test_command_line_agency_change_is_audited_without_an_actor() -> None:
    from gov.services import staff_account_upsert

    demo_seed()
    handler = User.objects.get(username="xuly.muongkim")
    staff_account_upsert(
        username=handler.username,
        agency=Agency.objects.get(code="ubnd-phuong-tan-phong"),
        role=User.Role.HANDLER,
    )
    record = AuditRecord.objects.get(kind=AuditRecord.Kind.AGENCY_CHANGE)
    assert record.actor is None
    demo_seed()  # the same values again: the agency changes back, the password does not
    assert AuditRecord.objects.filter(kind=AuditRecord.Kind.AGENCY_CHANGE).count() == 2
    assert not AuditRecord.objects.filter(kind=AuditRecord.Kind.PASSWORD_SET).exists()
