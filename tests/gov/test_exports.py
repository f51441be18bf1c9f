"""Exports neutralise spreadsheet formulas."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from gov.exports import csv_response, safe_cell, xlsx_bytes


def test_formula_like_cells_become_text() -> None:
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+84 912") == "'+84 912"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("Bản 3") == "Bản 3"
    assert safe_cell(12) == 12


def test_xlsx_keeps_vietnamese_and_dates_and_no_formula() -> None:
    data = xlsx_bytes(
        title="Sổ",
        headers=["Ngày", "Nội dung"],
        rows=[[dt.date(2025, 4, 5), "=1+1"], [dt.date(2025, 4, 6), "Đất đai"]],
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value.date() == dt.date(2025, 4, 5)
    assert sheet["B2"].value == "'=1+1" and sheet["B2"].data_type == "s"
    assert sheet["B3"].value == "Đất đai"


def test_csv_has_bom_day_first_dates_and_no_formula() -> None:
    body = csv_response(
        filename="x", headers=["Ngày", "Nội dung"], rows=[[dt.date(2025, 4, 5), "-2+3"]]
    ).content.decode()
    assert body.startswith("\ufeff")
    assert "05/04/2025,'-2+3" in body
