"""Citizen reception through HTTP: the public calendar and planning it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gov.models import User
from reception import services
from reception.models import Schedule
from tests.gov.factories import staff_of
from tests.reception.views_helpers import CALENDAR, MK, SESSIONS, TP, Role, at, login, plan

pytestmark = pytest.mark.django_db


# --- the public calendar -----------------------------------------------------------------------


def test_public_calendar_filters_by_commune_and_by_the_province(client: Client) -> None:
    with at(2025, 4, 21):
        plan(staff_of(MK, Role.RECEPTION_OFFICER), dt.date(2025, 4, 23), host="Ông Lò Văn Kim")
        plan(staff_of(TP, Role.RECEPTION_OFFICER), dt.date(2025, 4, 24), host="Bà Tòng Thị Phong")
        province = staff_of("ban-tiep-cong-dan-tinh", Role.RECEPTION_OFFICER)
        plan(province, dt.date(2025, 4, 25), host="Trưởng Ban Giàng A Tỉnh")
        mk = staff_of(MK, Role.LEADER)
        plan(mk, dt.date(2025, 4, 28), host="Lịch nội bộ không công bố", is_published=False)
        dropped = plan(mk, dt.date(2025, 4, 29), host="Buổi đã bị hủy")
        services.schedule_cancel(schedule=dropped, by=mk, reason="Họp đột xuất")

        everything = client.get(CALENDAR).content.decode()
        commune = client.get(CALENDAR, {"unit": "xa-muong-kim"}).content.decode()
        provincial = client.get(CALENDAR, {"unit": "lai-chau"}).content.decode()

    assert all(h in everything for h in ("Ông Lò Văn Kim", "Bà Tòng Thị Phong", "Giàng A Tỉnh"))
    assert "không công bố" not in everything and "Buổi đã bị hủy" not in everything
    assert "Ông Lò Văn Kim" in commune and "23/04/2025" in commune and "07:30–11:00" in commune
    assert "Bà Tòng Thị Phong" not in commune and "Giàng A Tỉnh" not in commune
    assert "Giàng A Tỉnh" in provincial and "Ông Lò Văn Kim" not in provincial
    assert 'value="xa-muong-kim" selected' in commune  # the choice is kept


def test_public_calendar_by_date_range(client: Client) -> None:
    with at(2025, 4, 21):
        plan(staff_of(MK, Role.RECEPTION_OFFICER), dt.date(2025, 6, 25), host="Ông Lò Văn Kim")
        default = client.get(CALENDAR).content.decode()  # today + 60 days: to 20/06
        later = client.get(CALENDAR, {"start": "20/06/2025", "end": "30/06/2025"}).content.decode()
    assert "Ông Lò Văn Kim" not in default and "Ông Lò Văn Kim" in later
    assert 'value="20/06/2025"' in later


# --- planning ----------------------------------------------------------------------------------


def test_recurring_weekly_schedule_moves_the_holiday_week(client: Client, officer: User) -> None:
    login(client, officer)
    with at(2025, 4, 21):
        response = client.post(
            reverse("reception:schedule_add_recurring"),
            {
                "weekday": 2,  # Wednesday
                "every_weeks": 1,
                "first": "21/04/2025",
                "last": "14/05/2025",
                "start_time": "07:30",
                "end_time": "11:00",
                "host": "Chủ tịch UBND xã Lò Văn Kim",
                "place": "Trụ sở UBND xã Mường Kim",
            },
        )
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
        public = client.get(CALENDAR, {"unit": "xa-muong-kim"}).content.decode()

    # Wed 30/4 and Thu 1/5 are holidays and Fri 2/5/2025 a day off: Monday 5/5 instead.
    assert (
        "4 calendar entries planned: 23/04/2025, 05/05/2025 (moved: day off), 07/05/2025, 14/05/2025."
        in page
    )
    planned = Schedule.objects.filter(agency__code=MK).values_list("date", flat=True)
    assert list(planned) == [
        dt.date(2025, 4, 23),
        dt.date(2025, 5, 5),
        dt.date(2025, 5, 7),
        dt.date(2025, 5, 14),
    ]
    assert "30/04/2025" not in public and "05/05/2025" in public


def test_plan_one_entry_and_cancel_it_with_a_reason(client: Client, officer: User) -> None:
    login(client, officer)
    with at(2025, 4, 21):
        response = client.post(
            reverse("reception:schedule_add"),
            {
                "kind": "periodic",
                "date": "24/04/2025",
                "start_time": "13:30",
                "end_time": "17:00",
                "host": "Chủ tịch UBND xã Lò Văn Kim",
                "place": "Hội trường UBND xã",
                "is_published": "on",
            },
        )
        assert response.status_code == 302
        entry = Schedule.objects.get(agency__code=MK)
        cancel = reverse("reception:schedule_cancel", args=[entry.pk])
        assert client.get(cancel).status_code == 200
        response = client.post(cancel, {"reason": "Chủ tịch đi công tác tỉnh"})
        assert response.status_code == 302
        page = client.get(SESSIONS).content.decode()
    entry.refresh_from_db()
    assert entry.is_cancelled
    assert "The reception of 24/04/2025 is cancelled." in page and "Cancelled" in page
    assert entry.events.filter(note="Chủ tịch đi công tác tỉnh").exists()
