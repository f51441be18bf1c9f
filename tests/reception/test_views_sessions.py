"""Citizen reception through HTTP: logging sessions and the visits received in them."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from complaints.models import Channel, Petition
from gov.legal import representatives_error
from gov.models import Notification, User
from reception.models import ReceptionSession, Visit
from tests.gov.factories import staff_of
from tests.reception.views_helpers import (
    LOG_SESSION,
    MK,
    SECRET_NAME,
    SESSIONS,
    Role,
    at,
    held,
    login,
    plan,
    visit_form,
)

pytestmark = pytest.mark.django_db


# --- sessions ----------------------------------------------------------------------------------


def test_log_a_session_from_a_calendar_entry(client: Client, officer: User) -> None:
    colleague = staff_of(MK, Role.HANDLER, first_name="Quàng", last_name="Văn Cường")
    login(client, officer)
    with at(2025, 4, 23, 15):
        entry = plan(officer, dt.date(2025, 4, 23), host="Ông Lò Văn Kim", place="Hội trường xã")
        assert f"?lich={entry.pk}" in client.get(SESSIONS).content.decode()
        form = client.get(LOG_SESSION, {"lich": entry.pk}).content.decode()
        assert 'value="Ông Lò Văn Kim"' in form and 'value="Hội trường xã"' in form
        assert 'value="23/04/2025"' in form and "Quàng Văn Cường" in form
        response = client.post(
            LOG_SESSION,
            {
                "schedule": entry.pk,
                "kind": "periodic",
                "date": "23/04/2025",
                "presider_type": "head",
                "presider_name": "Ông Lò Văn Kim",
                "officers": [colleague.pk],
                "place": "",
            },
        )
        assert response.status_code == 302
        session = ReceptionSession.objects.get(schedule=entry)
        assert response.url == reverse("reception:session", args=[session.pk])
        listing = client.get(SESSIONS).content.decode()
        again = client.get(LOG_SESSION, {"lich": entry.pk})
    assert session.place == "Hội trường xã" and list(session.officers.all()) == [colleague]
    assert not session.delegation_warning
    assert reverse("reception:session", args=[session.pk]) in listing and "Held" in listing
    assert again.status_code == 302 and again.url == response.url


@pytest.mark.parametrize(
    ("day", "warned"), [(dt.date(2026, 7, 8), True), (dt.date(2026, 6, 30), False)]
)
def test_delegated_periodic_session_after_1_july_2026_is_warned(
    client: Client, officer: User, day: dt.date, warned: bool
) -> None:
    login(client, officer)
    with at(day.year, day.month, day.day, 16):
        response = client.post(
            LOG_SESSION,
            {
                "kind": "periodic",
                "date": day.strftime("%d/%m/%Y"),
                "presider_type": "deputy",
                "presider_name": "Bà Lò Thị Phó, Phó Chủ tịch UBND xã",
                "place": "Trụ sở UBND xã",
            },
            follow=True,
        )
    assert response.status_code == 200
    session = ReceptionSession.objects.get(agency__code=MK)
    warning = html.escape(session.delegation_warning)
    assert bool(session.delegation_warning) is warned
    if warned:
        assert "01/07/2026" in session.delegation_warning
        assert 'class="message message-warning"' in response.content.decode()
        assert warning in response.content.decode()  # the session page, after the redirect
        page = client.get(reverse("reception:session", args=[session.pk])).content.decode()
        assert warning in page and "flag-alert" in page
    else:
        assert "message-warning" not in response.content.decode()


# --- visits ------------------------------------------------------------------------------------

OUTCOMES = {
    "guided": {"handling": "Hướng dẫn gửi đơn đến Tòa án nhân dân khu vực."},
    "answered": {"handling": "Đã giải thích chính sách tại chỗ."},
    "refused": {"refusal_ground": "threats", "handling": ""},
    "petition": {"kind": "complaint", "handling": ""},
}


@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_visit_recorded_with_each_outcome(client: Client, officer: User, outcome: str) -> None:
    login(client, officer)
    with at(2025, 4, 23):
        session = held(officer, dt.date(2025, 4, 22))
        url = reverse("reception:session", args=[session.pk])
        response = client.post(url, visit_form(outcome=outcome, **OUTCOMES[outcome]))
        assert response.status_code == 302
        page = client.get(url).content.decode()
    visit = Visit.objects.get(session=session)
    assert visit.outcome == outcome and visit.serial == 1
    with translation.override("en"):
        label = str(visit.get_outcome_display())
    assert "Lò Thị Mai" in page and label in page
    assert "Visit no. 1/2025 recorded." in page
    if outcome == "refused":
        assert "Threats, insults or disorder" in page
    if outcome == "petition":
        petition = Petition.objects.get(visit=visit)
        assert petition.channel == Channel.RECEPTION_SESSION
        assert petition.received_on == dt.date(2025, 4, 22)  # the session's date, not today
        first = petition.items.order_by("number").first()
        assert reverse("complaints:case", args=[first.pk]) in page and petition.code in page
    else:
        assert not Petition.objects.exists()


def test_refusal_without_a_ground_is_a_form_error(client: Client, officer: User) -> None:
    login(client, officer)
    with at(2025, 4, 23):
        session = held(officer, dt.date(2025, 4, 22))
        response = client.post(
            reverse("reception:session", args=[session.pk]),
            visit_form(outcome="refused", handling=""),
        )
    assert response.status_code == 400
    assert "Choose the legal ground for refusing" in response.content.decode()
    assert not Visit.objects.exists()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_group_of_12_with_6_representatives_is_refused_and_nothing_is_lost(
    client: Client, officer: User, language: str
) -> None:
    login(client, officer, language)
    others = ["Vàng A Páo", "Lò Văn Sơn", "Tòng Thị Hoa", "Lường Văn Ún", "Giàng Thị Dợ"]
    with at(2025, 4, 23):
        session = held(officer, dt.date(2025, 4, 22))
        response = client.post(
            reverse("reception:session", args=[session.pk]),
            visit_form(
                full_name="Vàng A Lử",
                group_size=12,
                representatives="\n".join(others),
                content="Tập thể 12 hộ đề nghị bồi thường đất bị thu hồi làm đường.",
            ),
        )
    page = response.content.decode()
    with translation.override(language):
        message = representatives_error(12, 6)
    assert response.status_code == 400
    assert message and html.escape(message) in page
    assert 'value="Vàng A Lử"' in page and 'value="12"' in page
    assert all(name in page for name in others)
    assert "Tập thể 12 hộ đề nghị bồi thường" in page
    assert not Visit.objects.exists()


def test_group_of_six_is_flagged_and_the_leaders_told(
    client: Client, officer: User, django_capture_on_commit_callbacks: object
) -> None:
    leader = staff_of(MK, Role.LEADER)
    login(client, officer)
    with at(2025, 4, 23):
        session = held(officer, dt.date(2025, 4, 22))
        url = reverse("reception:session", args=[session.pk])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, visit_form(group_size=6, representatives="Lò Văn Sơn", outcome="answered")
            )
        page = client.get(url).content.decode()
    assert response.status_code == 302
    assert 'class="group-visit"' in page and "A group of 6 people" in page
    note = Notification.objects.get(recipient=leader, kind="group_visit")
    assert note.url == url


def test_protected_visitor_is_masked_for_the_reception_officer(
    client: Client, officer: User
) -> None:
    with at(2025, 4, 23):
        session = held(officer, dt.date(2025, 4, 22))
        login(client, officer).post(
            reverse("reception:session", args=[session.pk]),
            visit_form(
                full_name=SECRET_NAME,
                kind="denunciation",
                denounced="Ông Cán Bộ Địa Chính",
                outcome="petition",
                handling="",
            ),
        )
        url = reverse("reception:session", args=[session.pk])
        for_officer = client.get(url).content.decode()
        for_leader = login(Client(), staff_of(MK, Role.LEADER)).get(url).content.decode()
    assert Visit.objects.get().identity_protected
    assert "Zyxwq" not in for_officer and "Identity protected by law" in for_officer
    assert "Bản Nà Phát" not in for_officer  # nor the address that would identify them
    assert SECRET_NAME in for_leader
