"""The audit log's CSV export is sent as it is read (a server-side cursor, a streaming
response), capped at ``AUDIT_EXPORT_CAP`` rows, and recorded before its first byte with the
number of rows it holds (docs/performance-audit.md)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from gov import views
from gov.audit import audit_record
from gov.db import custom_plans
from gov.models import AuditRecord, User
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db


def _export(user: User, username: str) -> tuple[Any, list[list[str]]]:
    client = Client()
    client.force_login(user)
    params = {"format": "csv", "kind": "login", "username": username}
    response: Any = client.get(reverse("gov:audit_log"), params)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return response, list(csv.reader(io.StringIO(text)))


def test_the_csv_export_streams_every_row_and_is_recorded_with_their_number() -> None:
    inspector = staff_of("thanh-tra-tinh", User.Role.LEADER)
    handler = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)
    for _ in range(3):
        audit_record(kind=AuditRecord.Kind.LOGIN, actor=handler)
    response, rows = _export(inspector, handler.username)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="nhat-ky-')
    assert rows[0][0] == "Thời gian" and len(rows) == 4
    assert {row[2] for row in rows[1:]} == {handler.username}
    record = AuditRecord.objects.get(kind=AuditRecord.Kind.EXPORT)
    assert (record.actor, record.data["rows"]) == (inspector, 3)


def test_the_csv_export_stops_at_its_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "AUDIT_EXPORT_CAP", 2)
    inspector = staff_of("thanh-tra-tinh", User.Role.LEADER)
    handler = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)
    for _ in range(5):
        audit_record(kind=AuditRecord.Kind.LOGIN, actor=handler)
    _response, rows = _export(inspector, handler.username)
    assert len(rows) == 3  # the header and two rows, the newest
    assert AuditRecord.objects.get(kind=AuditRecord.Kind.EXPORT).data["rows"] == 2


def _plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_custom_plans_hold_inside_their_block_only() -> None:
    """The audit page plans its statements for their values (a generic plan of a prepared
    statement took 5 s for a rare kind at 3M records); other statements keep theirs."""
    before = _plan_cache_mode()
    with custom_plans():
        assert _plan_cache_mode() == "force_custom_plan"
    assert _plan_cache_mode() == before != "force_custom_plan"
