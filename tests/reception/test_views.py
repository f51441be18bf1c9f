"""Citizen reception through HTTP: the public calendar, planning, logging sessions and visits,
the reception log and its export, compliance with the legal frequency, and scope."""

from __future__ import annotations

import datetime as dt
import html
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from complaints.models import Channel, Petition
from gov.legal import representatives_error
from gov.models import AdministrativeUnit, Agency, Notification, Sector, User
from reception import services
from reception.models import PresiderType, ReceptionSession, Schedule, SessionKind, Visit
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Role = User.Role
MK = "ubnd-xa-muong-kim"
TP = "ubnd-phuong-tan-phong"
CALENDAR = reverse("reception:calendar")
SESSIONS = reverse("reception:sessions")
LOG_SESSION = reverse("reception:session_log")
RECEPTION_LOG = reverse("reception:log")
COMPLIANCE = reverse("reception:compliance")
SECRET_NAME = "Zyxwq Bí Mật"


def at(year: int, month: int, day: int, hour: int = 9) -> time_machine.travel:
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=VN), tick=False)


def login(client: Client, user: User, language: str = "en") -> Client:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def plan(user: User, day: dt.date, host: str = "Chủ tịch UBND", **kwargs: object) -> Schedule:
    return services.schedule_add(
        agency=user.agency,
        by=user,
        date=day,
        start_time=dt.time(7, 30),
        end_time=dt.time(11, 0),
        host=host,
        place=kwargs.pop("place", "Trụ sở UBND"),
        **kwargs,
    )


def held(
    user: User, day: dt.date, presider_type: str = PresiderType.HEAD, **kwargs: object
) -> ReceptionSession:
    return services.session_log(
        agency=user.agency,
        by=user,
        kind=kwargs.pop("kind", SessionKind.PERIODIC),
        date=day,
        presider_type=presider_type,
        presider_name="Lò Văn Kim, Chủ tịch UBND xã",
        **kwargs,
    )


def visit_form(**overrides: object) -> dict:
    data = {
        "full_name": "Lò Thị Mai",
        "id_number": "012345678901",
        "address": "Bản Nà Phát, xã Mường Kim",
        "phone": "0912 345 678",
        "kind": "recommendation",
        "sector": Sector.objects.get(code="dat-dai").pk,
        "location_unit": AdministrativeUnit.objects.get(code="xa-muong-kim").pk,
        "content": "Đề nghị xem xét cấp giấy chứng nhận quyền sử dụng đất cho gia đình.",
        "prior_handling": "",
        "request": "Cấp giấy chứng nhận",
        "group_size": 1,
        "representatives": "",
        "outcome": "guided",
        "handling": "Hướng dẫn nộp hồ sơ tại bộ phận một cửa.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def officer() -> User:
    return staff_of(MK, Role.RECEPTION_OFFICER)


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
