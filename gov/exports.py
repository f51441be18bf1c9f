"""Spreadsheet exports (xlsx with openpyxl, and CSV), with formula injection neutralised: a
cell that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return) is written
as text with a leading apostrophe, so a petition's content can never run in a leader's Excel.

Every export a staff member downloads is written to the audit log: the views pass their
``request`` and ``xlsx_response``/``csv_response`` record who took which file and how many rows
(``tests/security/test_audit_trail.py`` downloads every export of the portal and checks it)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, cast

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: object) -> object:
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_bytes(
    *, title: StrOrPromise, headers: Sequence[StrOrPromise], rows: Iterable[Sequence[object]]
) -> bytes:
    book = Workbook(write_only=False)
    sheet = cast("Worksheet", book.active)  # a new workbook opens on its one worksheet
    sheet.title = str(title)[:31]
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for number, column in enumerate(sheet.columns, start=1):
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(number)].width = min(max(width + 2, 8), 60)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class _Counted:
    """The rows, counted as they are written (an export may stream a generator)."""

    def __init__(self, rows: Iterable[Sequence[object]]) -> None:
        self.rows = rows
        self.n = 0

    def __iter__(self) -> Iterator[Sequence[object]]:
        for row in self.rows:
            self.n += 1
            yield row


def _audit(request: HttpRequest | None, *, filename: str, fmt: str, rows: int) -> None:
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return
    from gov.audit import audit_record
    from gov.models import AuditRecord

    audit_record(
        kind=AuditRecord.Kind.EXPORT,
        request=request,
        subject=("export", filename),
        data={"file": f"{filename}.{fmt}", "rows": rows, "path": request.path[:200]},
    )


def xlsx_response(
    *,
    filename: str,
    title: StrOrPromise,
    headers: Sequence[StrOrPromise],
    rows: Iterable[Sequence[object]],
    request: HttpRequest | None = None,
) -> HttpResponse:
    counted = _Counted(rows)
    response = HttpResponse(
        xlsx_bytes(title=title, headers=headers, rows=counted), content_type=XLSX_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    _audit(request, filename=filename, fmt="xlsx", rows=counted.n)
    return response


def csv_response(
    *,
    filename: str,
    headers: Sequence[StrOrPromise],
    rows: Iterable[Sequence[object]],
    request: HttpRequest | None = None,
) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 Vietnamese correctly only with a BOM
    writer = csv.writer(out)
    writer.writerow([str(h) for h in headers])
    counted = _Counted(rows)
    for row in counted:
        writer.writerow(
            [safe_cell(v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v) for v in row]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    _audit(request, filename=filename, fmt="csv", rows=counted.n)
    return response


class _Line:
    """A file-like object that hands back what the csv writer writes, one row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_streaming_response(
    *,
    filename: str,
    headers: Sequence[StrOrPromise],
    rows: Iterable[Sequence[object]],
    total: int,
    request: HttpRequest | None = None,
) -> StreamingHttpResponse:
    """A CSV sent as it is read (``rows`` may be a database cursor): memory and the time to the
    first byte do not grow with the rows. The export is audited before the first byte, with the
    ``total`` rows it will hold: a download cut short is still recorded."""
    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([str(h) for h in headers])
        for row in rows:
            yield writer.writerow(
                [safe_cell(v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v) for v in row]
            )

    _audit(request, filename=filename, fmt="csv", rows=total)
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
