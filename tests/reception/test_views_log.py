"""Citizen reception through HTTP: the reception log and its export, compliance with the legal frequency."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Petition
from gov.models import Agency, User
from reception.models import PresiderType, Visit
from tests.gov.factories import staff_of
from tests.reception.views_helpers import (
    COMPLIANCE,
    MK,
    RECEPTION_LOG,
    SECRET_NAME,
    SESSIONS,
    Role,
    at,
    held,
    login,
    visit_form,
)

pytestmark = pytest.mark.django_db


# --- the reception log -------------------------------------------------------------------------


def test_reception_log_and_its_export(client: Client, officer: User) -> None:
    leader = staff_of(MK, Role.LEADER)
    with at(2025, 4, 21):
        session = held(officer, dt.date(2025, 4, 10))
        url = reverse("reception:session", args=[session.pk])
        login(client, officer).post(
            url, visit_form(content='=HYPERLINK("http://x.example","bấm")', outcome="answered")
        )
        client.post(
            url,
            visit_form(
                full_name=SECRET_NAME,
                kind="denunciation",
                denounced="Ông Cán Bộ Địa Chính",
                content="Tố cáo cán bộ địa chính nhận tiền khi làm hồ sơ đất.",
                outcome="petition",
                handling="",
            ),
        )
        assert Visit.objects.count() == 2
        page = client.get(RECEPTION_LOG).content.decode()  # default: the current month
        for_leader = login(Client(), leader).get(RECEPTION_LOG).content.decode()
        export = login(Client(), leader).get(RECEPTION_LOG, {"format": "xlsx"})

    assert "Lò Thị Mai" in page and "Tố cáo cán bộ địa chính" in page and "10/04/2025" in page
    assert "Zyxwq" not in page and "Identity protected by law" in page
    assert 'value="01/04/2025"' in page and 'value="30/04/2025"' in page
    assert SECRET_NAME in for_leader  # the leader of the receiving agency may see it on screen
    petition = Petition.objects.get()
    assert petition.code in page

    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    assert '\'=HYPERLINK("http://x.example","bấm")' in [c.value for c in cells]
    assert "Lò Thị Mai" in [c.value for c in cells]
    assert not [c for c in cells if "zyxwq" in str(c.value).lower()]  # never in an export
    (protected,) = [r for r in sheet.iter_rows(values_only=True) if "Tố cáo cán bộ" in str(r)]
    assert "012345678901" not in protected and "Bản Nà Phát, xã Mường Kim" not in protected


def test_reception_log_runs_the_same_queries_for_two_or_six_visits(
    client: Client, officer: User
) -> None:
    login(client, officer)
    with at(2025, 4, 21):
        session = held(officer, dt.date(2025, 4, 10))
        url = reverse("reception:session", args=[session.pk])

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(RECEPTION_LOG).status_code == 200
            return len(queries)

        for _ in range(2):
            client.post(url, visit_form(outcome="petition", handling=""))
        two = count()
        for _ in range(4):
            client.post(url, visit_form(outcome="petition", handling=""))
        six = count()
    assert Visit.objects.count() == 6 and two == six


# --- compliance --------------------------------------------------------------------------------


def test_compliance_shows_the_missed_week(client: Client, officer: User) -> None:
    # January 2026: five ISO weeks by their Thursday (W01 holds 30/12/2025); the commune exists
    # only from 1/7/2025, so no earlier month has its row.
    with at(2026, 2, 10):
        for day in (dt.date(2025, 12, 30), dt.date(2026, 1, 6), dt.date(2026, 1, 14)):
            held(officer, day)
        held(officer, dt.date(2026, 1, 21), presider_type=PresiderType.DEPUTY)  # not in person
        held(officer, dt.date(2026, 1, 27))
        client = login(client, staff_of(MK, Role.LEADER))
        page = client.get(COMPLIANCE, {"month": 1, "year": 2026})
        csv = client.get(COMPLIANCE, {"month": 1, "year": 2026, "format": "csv"})
        xlsx = client.get(COMPLIANCE, {"month": 1, "year": 2026, "format": "xlsx"})
    body = page.content.decode()
    assert page.status_code == 200
    assert Agency.objects.get(code=MK).name in body
    assert '<span class="missed-period">week 4 (19/01–25/01)</span>' in body
    assert "week 1 (29/12" not in body and "week 3 (12/01" not in body
    assert 'class="compliance-no"' in body and "1 day per week" in body
    assert "Luật Tiếp công dân 42/2013/QH13 Art. 15(2)(d)" in body
    text = csv.content.decode("utf-8-sig")
    assert "week 4 (19/01–25/01)" in text and ",5,4,1," in text
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=8).value == "week 4 (19/01–25/01)"


def test_compliance_of_the_current_month_does_not_count_weeks_to_come(
    client: Client, officer: User
) -> None:
    with at(2026, 1, 7, 16):
        held(officer, dt.date(2025, 12, 30))
        held(officer, dt.date(2026, 1, 6))
        body = login(client, officer).get(COMPLIANCE).content.decode()
    assert 'class="compliance-open"' in body and "So far yes" in body
    assert 'class="missed-period"' not in body


def test_an_administrator_is_told_the_calendar_forms_are_for_those_who_receive(
    client: Client,
) -> None:
    login(client, staff_of(MK, Role.ADMINISTRATOR))
    refused = client.get(reverse("reception:schedule_add"))
    assert refused.status_code == 403
    assert "This page is for those who receive citizens" in refused.content.decode()


def test_handlers_do_not_see_the_compliance_report(client: Client) -> None:
    login(client, staff_of(MK, Role.HANDLER))
    refused = client.get(COMPLIANCE)
    assert refused.status_code == 403  # the page exists; it is another role's (issue 18)
    assert "This page is for leaders and the reception office." in refused.content.decode()
    assert reverse("reception:compliance") not in client.get(SESSIONS).content.decode()
