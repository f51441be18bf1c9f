"""In-app notifications: written once per key, listed on the staff home, marked read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gov.models import Notification, User
from gov.notifications import notification_send
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db


def test_same_key_notifies_once() -> None:
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    assert notification_send(recipient=leader, kind="hotspot", title="Điểm nóng", dedupe_key="k1")
    assert not notification_send(
        recipient=leader, kind="hotspot", title="Điểm nóng", dedupe_key="k1"
    )
    assert Notification.objects.filter(recipient=leader).count() == 1


def test_staff_home_lists_unread_and_marks_them_read() -> None:
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    notification_send(
        recipient=leader, kind="hotspot", title="Cảnh báo điểm nóng đất đai", dedupe_key="k2"
    )
    client = Client()
    client.force_login(leader)
    assert "Cảnh báo điểm nóng đất đai" in client.get(reverse("gov:staff_home")).content.decode()
    client.post(reverse("gov:notifications_read"))
    assert (
        "Cảnh báo điểm nóng đất đai" not in client.get(reverse("gov:staff_home")).content.decode()
    )
    other = staff_of("ubnd-phuong-tan-phong", User.Role.LEADER)
    client.force_login(other)
    assert (
        "Cảnh báo điểm nóng đất đai" not in client.get(reverse("gov:staff_home")).content.decode()
    )


def test_the_menu_shows_the_unread_count() -> None:
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    for k in ("a", "b", "c"):
        notification_send(recipient=leader, kind="hotspot", title=f"Thông báo {k}", dedupe_key=k)
    client = Client()
    client.force_login(leader)
    assert '<span class="badge"' in client.get(reverse("complaints:inbox")).content.decode()
    assert ">3</span>" in client.get(reverse("complaints:inbox")).content.decode()
