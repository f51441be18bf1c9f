"""The leaders' overview: its trends and charts, and its export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from complaints.models import PetitionItem
from complaints.services import item_accept, item_conclude
from dashboard import selectors
from gov import charts
from gov.exports import FORMULA_STARTS
from gov.models import AdministrativeUnit, Agency, User
from tests.complaints.factories import on, submit_item
from tests.dashboard.dashboard_helpers import URL, _client

pytestmark = pytest.mark.django_db


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
