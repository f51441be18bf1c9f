"""The leaders' overview: the number of queries it runs, and the monthly roll-up it reads."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Petition, PetitionItem
from dashboard import selectors
from gov.models import Agency, Sector, User
from tests.complaints.factories import on, submit_item, unit
from tests.dashboard.dashboard_helpers import INBOX, URL, _client, _inbox_count, _numbers
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db


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
