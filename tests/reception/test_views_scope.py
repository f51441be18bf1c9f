"""Citizen reception through HTTP: who sees what (scope), errors, and the admin."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse

from gov.models import AdministrativeUnit, Sector, User
from reception import services
from reception.models import Visit
from tests.gov.factories import staff_of
from tests.reception.views_helpers import (
    CALENDAR,
    COMPLIANCE,
    LOG_SESSION,
    RECEPTION_LOG,
    SECRET_NAME,
    SESSIONS,
    TP,
    Role,
    at,
    held,
    login,
    plan,
    visit_form,
)

pytestmark = pytest.mark.django_db


# --- scope and errors --------------------------------------------------------------------------


def test_an_officer_of_tan_phong_cannot_open_muong_kim_sessions(
    client: Client, officer: User
) -> None:
    with at(2025, 4, 23):
        session = held(officer, dt.date(2025, 4, 22))
        entry = plan(officer, dt.date(2025, 4, 24))
        services.visit_log(
            session=session,
            by=officer,
            data=services.VisitData(
                full_name="Lò Thị Mai",
                address="Bản Nà Phát",
                kind="feedback",
                sector=Sector.objects.get(code="dat-dai"),
                location_unit=AdministrativeUnit.objects.get(code="xa-muong-kim"),
                content="Phản ánh đường liên bản bị sạt lở.",
                outcome="answered",
                handling="Đã trả lời tại chỗ.",
            ),
        )
        login(client, staff_of(TP, Role.RECEPTION_OFFICER))
        assert client.get(reverse("reception:session", args=[session.pk])).status_code == 404
        assert (
            client.post(reverse("reception:session", args=[session.pk]), visit_form()).status_code
            == 404
        )
        assert client.get(reverse("reception:schedule_cancel", args=[entry.pk])).status_code == 404
        assert client.get(LOG_SESSION, {"lich": entry.pk}).status_code == 404
        listing = client.get(SESSIONS).content.decode()
        log = client.get(RECEPTION_LOG, {"start": "01/04/2025", "end": "30/04/2025"})
    assert reverse("reception:session", args=[session.pk]) not in listing
    assert log.status_code == 200 and "Lò Thị Mai" not in log.content.decode()
    assert Visit.objects.count() == 1


def test_staff_pages_need_a_staff_account(client: Client) -> None:
    assert client.get(SESSIONS).status_code == 302  # to the login page
    login(client, User.objects.create_user(username="no-agency", password="x-secret-123"))
    assert client.get(SESSIONS).status_code == 404
    assert client.get(reverse("reception:schedule_add")).status_code == 404


@pytest.mark.parametrize(
    ("url", "data", "expected"),
    [
        (
            "reception:schedule_add",
            {"kind": "periodic", "date": "24/04/2025", "start_time": "11:00", "end_time": "07:30"},
            "The session must end after it starts.",
        ),
        (
            "reception:schedule_add",
            {"kind": "periodic", "date": "27/04/2025", "start_time": "07:30", "end_time": "11:00"},
            "27/04/2025 is not a working day.",
        ),
        (
            "reception:schedule_add_recurring",
            {"weekday": 2, "every_weeks": 1, "first": "21/04/2025", "last": "30/06/2026"},
            "Plan at most a year ahead",
        ),
        (
            "reception:session_log",
            {"kind": "periodic", "date": "24/04/2025", "presider_type": "head"},
            "the date cannot be in the future",
        ),
        (
            "reception:session_log",
            {"kind": "ad_hoc", "date": "23/04/2025", "presider_type": "head"},
            "Say why the ad hoc reception was needed",
        ),
        (
            "reception:session_log",
            {"kind": "periodic", "date": "31/02/2025", "presider_type": "x"},
            "Enter a valid date.",
        ),
    ],
)
def test_form_errors_are_400_and_keep_what_was_typed(
    client: Client, officer: User, url: str, data: dict, expected: str
) -> None:
    payload = {
        "host": "Ông Lò Văn Kim",
        "place": "Trụ sở UBND xã",
        "start_time": "07:30",
        "end_time": "11:00",
        "presider_name": "Ông Lò Văn Kim",
        **data,
    }
    with at(2025, 4, 23):
        response = login(client, officer).post(reverse(url), payload)
    page = response.content.decode()
    assert response.status_code == 400
    assert html.escape(expected) in page and 'class="error-summary"' in page
    assert 'value="Ông Lò Văn Kim"' in page


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (CALENDAR, {"start": "30/04/2025", "end": "01/04/2025"}),
        (CALENDAR, {"start": "not a date"}),
        (CALENDAR, {"unit": "no-such-unit"}),
        (RECEPTION_LOG, {"start": "31/02/2025"}),
        (COMPLIANCE, {"month": "13", "year": "2025"}),
        (COMPLIANCE, {"month": "5", "year": "1900"}),
    ],
)
def test_bad_filters_are_400(client: Client, officer: User, url: str, params: dict) -> None:
    with at(2025, 4, 23):
        response = login(client, officer).get(url, params)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()


def test_bad_references_are_404_not_500(client: Client, officer: User) -> None:
    login(client, officer)
    assert client.get(LOG_SESSION, {"lich": "abc"}).status_code == 404
    assert client.get(LOG_SESSION, {"lich": "999999"}).status_code == 404
    assert client.post(reverse("reception:schedule_cancel", args=[999999])).status_code == 404


def test_cancelling_without_a_reason_is_refused(client: Client, officer: User) -> None:
    with at(2025, 4, 21):
        entry = plan(officer, dt.date(2025, 4, 24))
        response = login(client, officer).post(
            reverse("reception:schedule_cancel", args=[entry.pk]), {"reason": "  "}
        )
    assert (
        response.status_code == 400
        and "Give the reason for cancelling." in response.content.decode()
    )
    entry.refresh_from_db()
    assert not entry.is_cancelled


# --- admin -------------------------------------------------------------------------------------


def test_visit_admin_never_shows_a_visitor_identity(client: Client, officer: User) -> None:
    with at(2025, 4, 23):
        session = held(officer, dt.date(2025, 4, 22))
        login(client, officer).post(
            reverse("reception:session", args=[session.pk]),
            visit_form(full_name=SECRET_NAME, identity_protected="on"),
        )
    visit = Visit.objects.get()
    root = User.objects.create_superuser("root", "root@example.vn", "x-secret-123")
    admin = login(Client(), root)
    pages = [
        admin.get(reverse("admin:reception_visit_changelist")),
        admin.get(reverse("admin:reception_visit_change", args=[visit.pk])),
        admin.get(reverse("admin:reception_frequencyrule_changelist")),
        admin.get(reverse("admin:reception_schedule_changelist")),
        admin.get(reverse("admin:reception_receptionsession_changelist")),
    ]
    assert [p.status_code for p in pages] == [200] * 5
    assert not [p for p in pages[:2] if "Zyxwq" in p.content.decode()]
    assert not [p for p in pages[:2] if "Bản Nà Phát" in p.content.decode()]
