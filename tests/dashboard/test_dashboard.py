"""The leaders' overview: who may see it, what it counts, where its numbers lead, its charts,
its export and the number of queries it runs."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from complaints.models import Petition, PetitionItem
from complaints.services import item_accept, item_conclude
from dashboard import selectors
from dashboard.views import inbox_url
from gov import charts
from gov.exports import FORMULA_STARTS
from gov.models import AdministrativeUnit, Agency, Sector, User
from tests.complaints.factories import agency, muong_kim_staff, on, submit_item, unit
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:overview")
INBOX = reverse("complaints:inbox")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _numbers(page: str) -> dict[str, int]:
    """Every linked number on the page: its URL (unescaped) → the number shown."""
    return {
        html.unescape(url): int(n)
        for url, n in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(?:<strong[^>]*>)?(\d+)<', page)
    }


def _inbox_count(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


@pytest.fixture
def mk() -> SimpleNamespace:
    return muong_kim_staff()


@pytest.fixture
def march_2025(time_machine) -> SimpleNamespace:
    """Items of Mường Kim, submitted so that on Tuesday 25/3/2025 one is due within 3 working
    days, one is not due yet, and four are overdue, one in each aging band; and one overdue
    item of Bản Bo. The first processing period is 10 working days."""
    submitted = {}
    for day in [(2025, 2, 3), (2025, 2, 17), (2025, 3, 3), (2025, 3, 10), (2025, 3, 13)]:
        time_machine.move_to(on(*day), tick=False)
        submitted[day] = submit_item()
    time_machine.move_to(on(2025, 3, 20), tick=False)
    not_due = submit_item()
    time_machine.move_to(on(2025, 3, 3), tick=False)
    ban_bo = submit_item(receiving_agency=agency("ubnd-xa-ban-bo"), location_unit=unit("xa-ban-bo"))
    time_machine.move_to(on(2025, 3, 25), tick=False)
    due = {d: item.due_on for d, item in submitted.items()}
    # The deadlines the bands below are counted from (calendar days overdue on 25/3).
    assert due == {
        (2025, 2, 3): dt.date(2025, 2, 17),  # 36 days: over 30
        (2025, 2, 17): dt.date(2025, 3, 3),  # 22 days: 11-30
        (2025, 3, 3): dt.date(2025, 3, 17),  # 8 days: 6-10
        (2025, 3, 10): dt.date(2025, 3, 24),  # 1 day: 1-5
        (2025, 3, 13): dt.date(2025, 3, 27),  # due within 3 working days
    }
    assert not_due.due_on == dt.date(2025, 4, 3) and ban_bo.due_on == dt.date(2025, 3, 17)
    return SimpleNamespace(items=submitted, ban_bo=ban_bo)


# --- access --------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and reverse("gov:login") in response.url


@pytest.mark.parametrize("role", [User.Role.HANDLER, User.Role.RECEPTION_OFFICER])
def test_staff_other_than_leaders_are_told_the_page_is_for_leaders(role: str) -> None:
    """Issue 18, item 7: a page that exists for another role says so (403), not "not found"."""
    response = _client(staff_of("ubnd-xa-muong-kim", role)).get(URL)
    assert response.status_code == 403
    assert "Trang này dành cho lãnh đạo." in response.content.decode()


def test_leaders_administrators_and_superusers_see_the_page(mk: SimpleNamespace) -> None:
    admin = staff_of("ubnd-tinh", User.Role.ADMINISTRATOR)
    superuser = User.objects.create_superuser("root", password="secret-pass-123")
    for user in (mk.leader, admin, superuser):
        assert _client(user).get(URL).status_code == 200


def test_commune_leader_sees_only_their_commune(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    board = selectors.deadline_board(mk.leader)
    assert (board.total.overdue, board.total.due_soon) == (4, 1)
    assert [row.obj.code for row in board.units] == ["xa-muong-kim"]
    assert [row.obj.code for row in board.agencies] == ["ubnd-xa-muong-kim"]
    response = _client(mk.leader).get(URL)
    assert response.status_code == 200 and "Mường Kim" in response.content.decode()
    assert "Bản Bo" not in response.content.decode()


def test_provincial_leader_sees_every_commune(march_2025: SimpleNamespace) -> None:
    board = selectors.deadline_board(staff_of("ubnd-tinh", User.Role.LEADER))
    assert (board.total.overdue, board.total.due_soon) == (5, 1)
    by_unit = {row.obj.code: row.counts.overdue for row in board.units}
    assert by_unit == {"xa-muong-kim": 4, "xa-ban-bo": 1}


# --- counts --------------------------------------------------------------------------------


def test_overdue_items_fall_in_their_aging_bands(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    board = selectors.deadline_board(staff_of("ubnd-tinh", User.Role.LEADER))
    assert board.today == dt.date(2025, 3, 25) and board.until == dt.date(2025, 3, 28)
    assert board.total.aging == {"1-5": 1, "6-10": 2, "11-30": 1, "31+": 1}
    muong_kim = next(r for r in board.agencies if r.obj.code == "ubnd-xa-muong-kim")
    assert muong_kim.counts.aging == {"1-5": 1, "6-10": 1, "11-30": 1, "31+": 1}
    assert muong_kim.counts.due_soon == 1


def test_handler_rows_count_assigned_and_unassigned_items(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    item = march_2025.items[(2025, 3, 10)]
    item_accept(item=item, by=mk.leader, handler=mk.handler, accepted_on=dt.date(2025, 3, 11))
    board = selectors.deadline_board(mk.leader)
    rows = {row.obj: row.counts for row in board.handlers}
    # Accepted on 11/3, the item has a new resolution deadline, not yet due.
    assert mk.handler not in rows
    assert rows[None].overdue == 3


def test_concluded_and_closed_items_are_not_overdue(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    item = march_2025.items[(2025, 2, 3)]
    PetitionItem.objects.filter(pk=item.pk).update(status="filed")
    assert selectors.deadline_board(mk.leader).total.aging["31+"] == 0


def test_alerts_count_open_skip_level_and_mass_items(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    items = march_2025.items
    PetitionItem.objects.filter(pk=items[(2025, 3, 3)].pk).update(is_skip_level=True)
    PetitionItem.objects.filter(pk__in=[items[(2025, 3, 10)].pk, march_2025.ban_bo.pk]).update(
        is_mass=True
    )
    alerts = selectors.alerts(mk.leader)
    assert (alerts.skip_level, alerts.mass, alerts.hotspots) == (1, 1, 0)


# --- links ---------------------------------------------------------------------------------


def test_unit_numbers_lead_to_the_inbox_showing_as_many_items(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    client = _client(mk.leader)
    numbers = _numbers(client.get(URL).content.decode())
    muong_kim = AdministrativeUnit.objects.get(code="xa-muong-kim").pk
    overdue = f"{INBOX}?overdue=true&unit={muong_kim}"
    due_soon = f"{INBOX}?due_within=3&unit={muong_kim}"
    assert numbers[overdue] == 4 and numbers[due_soon] == 1
    assert numbers[f"{INBOX}?overdue=true"] == 4
    for url, n in numbers.items():
        if url.startswith(INBOX):
            assert _inbox_count(client, url) == n, url


def test_a_petition_placed_in_a_village_counts_in_its_commune_and_its_link_shows_it(
    mk: SimpleNamespace, march_2025: SimpleNamespace, time_machine
) -> None:
    from tests.gov.factories import UnitFactory

    muong_kim = unit("xa-muong-kim")
    village = UnitFactory(
        parent=muong_kim, path=f"{muong_kim.path}ban-thu/", level=AdministrativeUnit.Level.VILLAGE
    )
    time_machine.move_to(on(2025, 3, 3), tick=False)
    submit_item(location_unit=village)
    time_machine.move_to(on(2025, 3, 25), tick=False)
    client = _client(mk.leader)
    numbers = _numbers(client.get(URL).content.decode())
    overdue = f"{INBOX}?overdue=true&unit={muong_kim.pk}"
    assert numbers[overdue] == 5  # the four of the commune and the village's
    assert _inbox_count(client, overdue) == 5


def test_skip_level_and_mass_numbers_lead_to_the_inbox(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    item = march_2025.items[(2025, 3, 3)]
    PetitionItem.objects.filter(pk=item.pk).update(is_skip_level=True, is_mass=True)
    client = _client(mk.leader)
    numbers = _numbers(client.get(URL).content.decode())
    for url in (f"{INBOX}?skip_level=true", f"{INBOX}?mass=true"):
        assert numbers[url] == 1 == _inbox_count(client, url)


def test_numbers_are_linked_only_through_filters_the_inbox_has() -> None:
    # A filter the inbox does not have leaves the number unlinked rather than open a wider
    # list that looks like its own.
    assert inbox_url(overdue="true", unit=1) == f"{INBOX}?overdue=true&unit=1"
    assert inbox_url(overdue="true", agency=1) == f"{INBOX}?overdue=true&agency=1"
    assert inbox_url(handler=1) == f"{INBOX}?handler=1"
    assert inbox_url(due_on_before="2025-03-24") == f"{INBOX}?due_on_before=2025-03-24"
    assert inbox_url(overdue="true", place="Bản Bo") == ""


def test_agency_and_handler_numbers_lead_to_the_inbox_showing_as_many_items(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    overdue_item = march_2025.items[(2025, 3, 3)]
    PetitionItem.objects.filter(pk=overdue_item.pk).update(handler=mk.handler)  # kept overdue
    client = _client(staff_of("ubnd-tinh", User.Role.LEADER))
    numbers = _numbers(client.get(URL).content.decode())
    by_agency = f"{INBOX}?overdue=true&agency={agency('ubnd-xa-muong-kim').pk}"
    assert numbers[by_agency] == 4
    by_handler = [url for url in numbers if f"handler={mk.handler.pk}" in url]
    assert numbers[f"{INBOX}?overdue=true&handler={mk.handler.pk}"] == 1
    for url in [by_agency, *by_handler]:
        assert _inbox_count(client, url) == numbers[url], url


def test_the_inbox_offers_only_the_agencies_and_handlers_in_scope(mk: SimpleNamespace) -> None:
    client = _client(mk.leader)
    ban_bo = agency("ubnd-xa-ban-bo")
    outsider = staff_of("ubnd-xa-ban-bo", User.Role.HANDLER)
    page = client.get(INBOX).content.decode()
    assert mk.handler.display_name in page and outsider.display_name not in page
    assert ban_bo.name not in page
    response = client.get(INBOX, {"handler": outsider.pk})
    assert response.status_code == 200
    assert "handler" in response.context["filter"].form.errors  # refused, not widened
    assert response.context["page"].paginator.count == 0  # nothing listed, not everything
    assert "sửa lại để xem danh sách" in response.content.decode()
    for bad in ({"due_on_after": "abc"}, {"agency": "xyz"}):
        refused = client.get(INBOX, bad)
        assert refused.status_code == 200 and refused.context["page"].paginator.count == 0
    plain = client.get(INBOX, {"handler": mk.handler.pk})
    assert plain.context["refused"] is False  # a value in scope is used, not refused
    assert "sửa lại để xem danh sách" not in plain.content.decode()


def test_commitment_and_compliance_numbers_link_to_their_pages(
    mk: SimpleNamespace, time_machine
) -> None:
    time_machine.move_to(on(2025, 3, 25), tick=False)
    numbers = _numbers(_client(mk.leader).get(URL).content.decode())
    commitments = reverse("dialogues:commitments")
    assert {f"{commitments}?status={s}" for s in ("kept", "overdue")} <= set(numbers)
    assert f"{reverse('reception:compliance')}?year=2025&month=3" in numbers
    assert reverse("dialogues:grassroots") in numbers


def test_answers_replies_and_results_owed_past_their_day_lead_to_their_lists(
    time_machine,
) -> None:
    """A question asked at a session closing 2/3/2026 is answered in writing by 20 days, a
    voters' recommendation assigned on 2/3 within 30, dialogue results within 10 (the rules
    table); on 15/4 all three are overdue. Each number opens the list of what it counts."""
    from dialogues import services
    from tests.dialogues import factories as f

    time_machine.move_to(on(2026, 3, 2), tick=False)
    province = staff_of("ubnd-tinh", User.Role.LEADER)
    clerk = staff_of("hdnd-tinh", User.Role.HANDLER)  # the council's staff record its work
    session = f.council_session(by=clerk, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2))
    f.question(by=clerk, session=session)
    answered = f.question(by=clerk, session=session)
    services.question_answer(
        question=answered,
        by=province,
        answer="Đã trả lời.",
        in_session=True,
        answered_on=dt.date(2026, 3, 2),
    )
    late = services.voter_recommendation_add(
        meeting=f.voter_meeting(by=clerk, date=dt.date(2026, 3, 2)),
        by=clerk,
        content="Đề nghị sửa cầu treo bản Nà Phát.",
        sector=Sector.objects.get(code="nong-nghiep"),
        assigned_agency=Agency.objects.get(code="so-nong-nghiep-moi-truong"),
        assigned_on=dt.date(2026, 3, 2),
    )
    replied = services.voter_recommendation_add(
        meeting=late.meeting,
        by=clerk,
        content="Đề nghị làm đường vào bản.",
        sector=Sector.objects.get(code="nong-nghiep"),
        assigned_agency=late.assigned_agency,
        assigned_on=dt.date(2026, 3, 2),
    )
    services.voter_recommendation_reply(
        recommendation=replied, by=province, reply="Đã bố trí vốn.", replied_on=dt.date(2026, 3, 2)
    )
    held = f.held_dialogue(by=province, date=dt.date(2026, 3, 2), agency=agency("ubnd-tinh"))
    published = f.held_dialogue(by=province, date=dt.date(2026, 3, 2), agency=agency("ubnd-tinh"))
    services.dialogue_publish_results(dialogue=published, by=province, results="Kết quả.")
    time_machine.move_to(on(2026, 4, 15), tick=False)
    client = _client(province)
    numbers = _numbers(client.get(URL).content.decode())
    voters = f"{reverse('dialogues:voters')}?overdue=1"
    dialogues = f"{reverse('dialogues:dialogues')}?results=overdue"
    council = f"{reverse('dialogues:council')}#overdue-title"
    assert (numbers[council], numbers[voters], numbers[dialogues]) == (1, 1, 1)
    listed = client.get(voters).context["page"].object_list
    assert list(listed) == [late]
    assert list(client.get(dialogues).context["page"].object_list) == [held]
    assert len(client.get(council).context["overdue_questions"]) == 1


# --- trends and charts ----------------------------------------------------------------------


def test_on_time_rate_counts_conclusions_on_or_before_the_due_date(
    mk: SimpleNamespace, time_machine
) -> None:
    time_machine.move_to(on(2025, 2, 3), tick=False)
    late = submit_item()
    item_accept(item=late, by=mk.leader, handler=mk.handler)
    time_machine.move_to(on(2025, 3, 3), tick=False)
    on_time = submit_item()
    item_accept(item=on_time, by=mk.leader, handler=mk.handler)
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert (late.due_on, on_time.due_on) == (dt.date(2025, 2, 24), dt.date(2025, 3, 24))
    time_machine.move_to(on(2025, 3, 24), tick=False)
    item_conclude(item=late, by=mk.handler, conclusion="Trả lời công dân.")
    item_conclude(item=on_time, by=mk.handler, conclusion="Trả lời công dân.")  # on the day
    time_machine.move_to(on(2025, 4, 2), tick=False)

    months = {m.label: m for m in selectors.monthly_trends(mk.leader).months}
    assert list(months)[0] == "05/2024" and list(months)[-1] == "04/2025"
    march = months["03/2025"]
    assert (march.concluded, march.on_time, march.on_time_rate) == (2, 1, 0.5)
    assert months["04/2025"].on_time_rate is None
    assert (months["02/2025"].received, months["03/2025"].received) == (1, 1)
    page = _client(mk.leader).get(URL).content.decode()
    assert "03/2025: 50%" in page  # the on-time chart's description


def test_page_draws_svg_charts_with_month_labels_and_no_script(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    page = _client(mk.leader).get(URL).content.decode()
    assert page.count("<svg") >= 2 and 'role="img"' in page
    for month in ["04/2024", "12/2024", "03/2025"]:
        assert f">{month}</text>" in page
    assert "02/2025: 2; 03/2025: 4." in page  # the received chart's description
    assert "<script" not in page.lower()


def test_charts_escape_their_text_and_leave_gaps_for_missing_values() -> None:
    svg = charts.line_chart(
        chart_id="c1",
        title='<b onload="x">',
        desc="Rate & more",
        labels=["01/2025", "02/2025", "03/2025"],
        values=[1.0, None, 0.25],
        x_label="Month",
        y_label="Share",
        empty_text="none",
    )
    assert "<b onload" not in svg and "&lt;b onload=&quot;x&quot;&gt;" in svg
    assert "Rate &amp; more 01/2025: 100%; 02/2025: none; 03/2025: 25%." in svg
    assert "<polyline" not in svg  # two points separated by a gap make no line
    assert svg.count("<circle") == 2
    bars = charts.bar_chart(
        chart_id="c2",
        title="Received",
        desc="",
        labels=["01/2025", "02/2025"],
        values=[0, 7],
        x_label="Month",
        y_label="Items",
    )
    assert bars.count("<rect") == 2 and "<title>02/2025: 7</title>" in bars
    assert charts.nice_max(7) == 8 and charts.nice_max(0) == 4 and charts.nice_max(41) == 80


# --- export --------------------------------------------------------------------------------


def test_xlsx_export_opens_and_neutralises_formulas(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    Agency.objects.filter(code="ubnd-xa-muong-kim").update(name='=HYPERLINK("http://x","y")')
    AdministrativeUnit.objects.filter(code="xa-muong-kim").update(name="=1+2")
    User.objects.filter(pk=mk.handler.pk).update(first_name="@SUM(A1)", last_name="")
    item = march_2025.items[(2025, 3, 10)]
    PetitionItem.objects.filter(pk=item.pk).update(handler=mk.handler)
    response = _client(mk.leader).get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x","y")' in cells and "'@SUM(A1)" in cells
    assert not any(isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in cells)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][2:] == [4, 1, 1, 1, 1, 1]  # the total: overdue, due soon, the four bands


def test_csv_export_lists_the_same_rows(mk: SimpleNamespace, march_2025: SimpleNamespace) -> None:
    Agency.objects.filter(code="ubnd-xa-muong-kim").update(name="-2+3")
    response = _client(mk.leader).get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert "'-2+3" in names and len(rows) == 1 + 1 + 3  # headers, total, one row each table


# --- queries -------------------------------------------------------------------------------


def _bulk_items(n: int, *, today: dt.date) -> None:
    """``n`` open items spread over three communes and their handlers, due from 40 days ago
    to 5 days ahead, so every table and every band has rows."""
    sector = Sector.objects.get(code="dat-dai")
    places = []
    for code in ("muong-kim", "ban-bo", "binh-lu"):
        agency_ = Agency.objects.get(code=f"ubnd-xa-{code}")
        places.append((agency_, staff_of(agency_.code, User.Role.HANDLER)))
    start = Petition.objects.count()
    petitions = Petition.objects.bulk_create(
        Petition(
            code=f"LCDB-{start + i:06d}",
            secret_hash="x",
            channel="online",
            received_on=today - dt.timedelta(days=i % 300),
            receiving_agency=places[i % 3][0],
            content="Nội dung",
            location_unit=places[i % 3][0].unit,
            unit=places[i % 3][0].unit,
            submitter_display=f"Người {i}",
        )
        for i in range(n)
    )
    PetitionItem.objects.bulk_create(
        PetitionItem(
            petition=p,
            kind="feedback",
            sector=sector,
            summary="Phản ánh đường hỏng",
            agency=places[i % 3][0],
            scope_path=places[i % 3][0].unit.path,
            handler=places[i % 3][1] if i % 2 else None,
            started_on=p.received_on,
            received_on=p.received_on,
            place_commune=p.unit,
            due_on=today - dt.timedelta(days=40 - i % 46),
            status="concluded" if i % 5 == 0 else "accepted",
            concluded_on=today - dt.timedelta(days=i % 200) if i % 5 == 0 else None,
        )
        for i, p in enumerate(petitions)
    )


def test_query_count_does_not_depend_on_the_number_of_items(time_machine) -> None:
    time_machine.move_to(on(2025, 3, 25), tick=False)
    client = _client(staff_of("ubnd-tinh", User.Role.LEADER))
    _bulk_items(5, today=dt.date(2025, 3, 25))
    client.get(URL)  # the working-day calendar's corrections are read once, then cached
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    _bulk_items(45, today=dt.date(2025, 3, 25))
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
    assert response.status_code == 200
    assert selectors.deadline_board(response.wsgi_request.user).total.overdue > 20
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    with CaptureQueriesContext(connection) as export:
        client.get(URL, {"format": "xlsx"})
    assert len(export) < len(large)


# --- the monthly roll-up ------------------------------------------------------------------


def _trends(user: User) -> list[tuple[str, int, int, int]]:
    return [
        (m.label, m.received, m.concluded, m.on_time) for m in selectors.monthly_trends(user).months
    ]


def test_rolled_up_months_show_the_figures_counted_live(time_machine) -> None:
    """Once every month is rolled up the overview reads the roll-up, with the same figures as
    counting the items, within each leader's scope, and says as of when."""
    from dashboard import services
    from dashboard.models import FiguresMonth, MonthlyFigures

    time_machine.move_to(on(2025, 3, 25), tick=False)
    _bulk_items(90, today=dt.date(2025, 3, 25))
    leaders = [staff_of(code, User.Role.LEADER) for code in ("ubnd-tinh", "ubnd-xa-muong-kim")]
    live = [_trends(leader) for leader in leaders]
    assert all(selectors.monthly_trends(u).as_of is None for u in leaders)
    assert sum(m[1] for m in live[0]) > sum(m[1] for m in live[1]) > 0
    for first in selectors.month_starts(dt.date(2025, 3, 25), 12):
        services.figures_refresh_month(first)
    rows = set(MonthlyFigures.objects.values_list("month", "scope_path", "received"))
    services.figures_refresh(months=12)  # again: the same rows, none twice
    assert set(MonthlyFigures.objects.values_list("month", "scope_path", "received")) == rows
    assert FiguresMonth.objects.count() == 12
    assert [_trends(leader) for leader in leaders] == live
    trends = selectors.monthly_trends(leaders[0])
    assert trends.as_of is not None
    page = _client(leaders[0]).get(URL).content.decode()
    assert "Số liệu theo tháng tính đến" in page


def test_a_rolled_up_month_waits_for_its_next_roll_up_and_the_others_are_counted_live(
    time_machine,
) -> None:
    """Months rolled up are read as of their roll-up; from the first month without one, the
    items are counted, so a fresh install (or a stopped beat) still shows everything."""
    from dashboard import services

    time_machine.move_to(on(2025, 3, 25), tick=False)
    leader = staff_of("ubnd-tinh", User.Role.LEADER)
    _bulk_items(20, today=dt.date(2025, 3, 25))
    for first in selectors.month_starts(dt.date(2025, 2, 1), 11):  # 04/2024 to 02/2025
        services.figures_refresh_month(first)
    before = {m[0]: m[1] for m in _trends(leader)}
    _bulk_items(40, today=dt.date(2025, 3, 25))  # received from mid-February on
    after = {m[0]: m[1] for m in _trends(leader)}
    assert after["03/2025"] > before["03/2025"]  # not rolled up: counted from the items
    assert after["02/2025"] == before["02/2025"]  # rolled up: as of its roll-up
    services.figures_refresh(months=2)
    rolled = {m[0]: m[1] for m in _trends(leader)}
    assert rolled["02/2025"] > before["02/2025"] and rolled["03/2025"] == after["03/2025"]


@pytest.mark.usefixtures("reference_data")
@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_keep_one_row_per_month_and_scope() -> None:
    """The month's marker is locked: parallel refreshes take turns (PostgreSQL)."""
    import threading

    from django.db import close_old_connections

    from dashboard import services
    from dashboard.models import MonthlyFigures

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    _bulk_items(30, today=dt.date.today())
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            services.figures_refresh(months=12)
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    pairs = list(MonthlyFigures.objects.values_list("month", "scope_path"))
    assert pairs and len(pairs) == len(set(pairs))


def test_refresh_figures_command_rolls_up_every_month_since_the_first_item(time_machine) -> None:
    from django.core.management import call_command

    from dashboard.models import FiguresMonth

    time_machine.move_to(on(2025, 3, 25), tick=False)
    _bulk_items(40, today=dt.date(2025, 3, 25))  # received from 14/2/2025 on
    out = io.StringIO()
    call_command("refresh_figures", all=True, stdout=out)
    assert list(FiguresMonth.objects.order_by("month").values_list("month", flat=True)) == [
        dt.date(2025, 2, 1),
        dt.date(2025, 3, 1),
    ]
    assert "Rolled up 2 months" in out.getvalue()


def test_figures_are_kept_a_minute_per_scope_and_the_inbox_stays_live(
    mk: SimpleNamespace, march_2025: SimpleNamespace, settings, time_machine
) -> None:
    """Leaders of one commune share the figures for a minute; other scopes have their own;
    the inbox behind a number is live; a minute later the overview counts again."""
    settings.PORTAL_OVERVIEW_CACHE_SECONDS = 60
    other_leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    province = staff_of("ubnd-tinh", User.Role.LEADER)
    first = selectors.overview_figures(mk.leader)
    assert first.board.total.overdue == 4
    with CaptureQueriesContext(connection) as kept:
        again = selectors.overview_figures(other_leader)
    assert again.as_of == first.as_of and again.board.total.overdue == 4
    assert not any("complaints_petitionitem" in q["sql"] for q in kept.captured_queries)
    assert selectors.overview_figures(province).board.total.overdue == 5  # Bản Bo's too
    handler_rows = [r.obj for r in first.board.handlers if r.obj is not None]
    assert all("password" not in obj.__dict__ for obj in handler_rows)  # never cached

    time_machine.move_to(on(2025, 3, 10), tick=False)
    submit_item()  # due 24/3: overdue on 25/3
    time_machine.move_to(on(2025, 3, 25), tick=False)
    client = _client(mk.leader)
    page = client.get(URL).content.decode()
    assert "Số liệu tính đến" in page
    overdue = f"{INBOX}?overdue=true&unit={unit('xa-muong-kim').pk}"
    assert _numbers(page)[overdue] == 4  # as of the first count
    assert _inbox_count(client, overdue) == 5  # the list is live
    time_machine.shift(61)
    assert _numbers(client.get(URL).content.decode())[overdue] == 5


def test_the_periodic_refresh_fills_the_window_once_then_does_two_months(time_machine) -> None:
    from dashboard import services
    from dashboard.models import FiguresMonth

    time_machine.move_to(on(2025, 3, 25), tick=False)
    _bulk_items(20, today=dt.date(2025, 3, 25))
    services.figures_refresh()  # a fresh install: the whole window is rolled up
    assert FiguresMonth.objects.count() == 12
    assert selectors.monthly_trends(staff_of("ubnd-tinh", User.Role.LEADER)).as_of is not None
    first = dict(FiguresMonth.objects.values_list("month", "computed_at"))
    time_machine.shift(600)
    services.figures_refresh()
    later = dict(FiguresMonth.objects.values_list("month", "computed_at"))
    changed = sorted(month for month in later if later[month] != first[month])
    assert changed == [dt.date(2025, 2, 1), dt.date(2025, 3, 1)]


def test_aging_numbers_lead_to_the_inbox_filtered_by_due_dates(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    client = _client(mk.leader)
    numbers = _numbers(client.get(URL).content.decode())
    # Overdue by 6 to 10 days on 25/3/2025: due between 15/3 and 19/3 (the item due 17/3).
    band = f"{INBOX}?overdue=true&due_on_before=2025-03-19&due_on_after=2025-03-15"
    assert numbers[band] == 1
    assert _inbox_count(client, band) == 1


def test_a_cell_writes_its_number_and_escaped_link() -> None:
    from dashboard.views import Cell

    assert str(Cell(3, '/x/?a=1&b="<2>"')) == '<a href="/x/?a=1&amp;b=&quot;&lt;2&gt;&quot;">3</a>'
    assert str(Cell(7)) == "7"
