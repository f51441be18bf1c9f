"""Run by tests/gov/test_replica.py against a real streaming replica (``DATABASE_REPLICA_URLS``):
the routed pages read from the replica, writes never reach it, and a browser that has just
written reads its own write from the primary. Not collected by the suite's own run (its name
is not test_*.py): without a replica it has nothing to prove.

The replica is made to lag on purpose: WAL replay is paused on it (``pg_wal_replay_pause``),
so a row written on the primary afterwards is on the primary only, and a page that shows it
read the primary, a page that does not read the replica.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gov.models import AuditRecord, User
from gov.replicas import PIN_COOKIE, replica_reads
from gov.workdays import get_calendar
from reception import services
from reception.models import Schedule
from tests.complaints.factories import submit_item
from tests.gov.factories import staff_of

REPLICA = "replica_0"
CALENDAR = reverse("reception:calendar")

pytestmark = [
    pytest.mark.skipif(
        REPLICA not in settings.DATABASES, reason="DATABASE_REPLICA_URLS is not set"
    ),
    pytest.mark.django_db(transaction=True, databases="__all__"),
    pytest.mark.usefixtures("reference_data"),
]


def _one(alias: str, sql: str, params: list[Any] | None = None) -> object:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params or [])
        row = cursor.fetchone()
    assert row is not None
    return row[0]


def replayed() -> None:
    """Wait until the replica has replayed everything the primary has committed."""
    lsn = _one("default", "SELECT pg_current_wal_insert_lsn()::text")
    deadline = time.monotonic() + 30
    while not _one(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]):
        assert time.monotonic() < deadline, "the replica did not catch up in 30 s"
        time.sleep(0.05)


@contextmanager
def replay_paused() -> Iterator[None]:
    replayed()
    _one(REPLICA, "SELECT pg_wal_replay_pause()::text")
    deadline = time.monotonic() + 30
    while _one(REPLICA, "SELECT pg_get_wal_replay_pause_state()") != "paused":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    try:
        yield
    finally:
        _one(REPLICA, "SELECT pg_wal_replay_resume()::text")
    replayed()


@contextmanager
def captured() -> Iterator[tuple[CaptureQueriesContext, CaptureQueriesContext]]:
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        yield primary, replica


def _sql(capture: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in capture.captured_queries]


def _day() -> dt.date:
    return get_calendar().next_working_day(timezone.localdate() + dt.timedelta(days=1))


def _plan(officer: User, host: str) -> Schedule:
    assert officer.agency is not None
    return services.schedule_add(
        agency=officer.agency,
        by=officer,
        date=_day(),
        start_time=dt.time(7, 30),
        end_time=dt.time(11, 0),
        host=host,
        place="Hội trường UBND xã",
    )


@pytest.fixture
def officer() -> User:
    return staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER)


def test_the_replica_is_a_streaming_replica_that_refuses_writes() -> None:
    assert _one(REPLICA, "SELECT pg_is_in_recovery()") is True
    assert _one("default", "SELECT pg_is_in_recovery()") is False
    assert _one(REPLICA, "SELECT current_database()") == _one(
        "default", "SELECT current_database()"
    )
    assert settings.DATABASE_ROUTERS == ["gov.replicas.ReplicaRouter"]
    with (
        pytest.raises(DatabaseError, match="read-only transaction"),
        connections[REPLICA].cursor() as cursor,
    ):
        cursor.execute("CREATE TABLE written_on_a_replica (id int)")


def test_the_public_calendar_reads_the_replica(officer: User) -> None:
    _plan(officer, "Chủ tịch Lò Văn Một")
    with replay_paused():
        _plan(officer, "Chủ tịch Lò Văn Hai")  # on the primary only
        with captured() as (primary, replica):
            page = Client().get(CALENDAR).content.decode()
    assert "Lò Văn Một" in page and "Lò Văn Hai" not in page
    assert any(Schedule._meta.db_table in sql for sql in _sql(replica))
    assert not any(Schedule._meta.db_table in sql for sql in _sql(primary))
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in _sql(replica))
    page = Client().get(CALENDAR).content.decode()  # replayed: the replica has both
    assert "Lò Văn Một" in page and "Lò Văn Hai" in page


def test_the_writer_reads_its_own_write_from_the_primary_for_a_while(officer: User) -> None:
    writer, someone = Client(), Client()
    writer.force_login(officer)
    with replay_paused():
        response = writer.post(
            reverse("reception:schedule_add"),
            {
                "kind": "periodic",
                "date": _day().strftime("%d/%m/%Y"),
                "start_time": "13:30",
                "end_time": "17:00",
                "host": "Chủ tịch Lò Văn Ba",
                "place": "Hội trường UBND xã",
                "is_published": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response.cookies[PIN_COOKIE]["max-age"] == settings.PORTAL_REPLICA_PIN_SECONDS
        with captured() as (primary, replica):
            assert "Lò Văn Ba" in writer.get(CALENDAR).content.decode()
        assert any(Schedule._meta.db_table in sql for sql in _sql(primary))
        assert _sql(replica) == []
        assert "Lò Văn Ba" not in someone.get(CALENDAR).content.decode()  # the replica lags
        later = time.time() + settings.PORTAL_REPLICA_PIN_SECONDS + 1
        with time_machine.travel(later, tick=True):
            # The pin is over: the writer reads the replica again, which still lags.
            assert "Lò Văn Ba" not in writer.get(CALENDAR).content.decode()
    assert "Lò Văn Ba" in someone.get(CALENDAR).content.decode()


def test_the_overview_and_its_export_read_the_replica_and_audit_on_the_primary() -> None:
    submit_item()
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    client = Client()
    client.force_login(leader)
    replayed()
    with captured() as (primary, replica):
        page = client.get(reverse("dashboard:overview"))
        export = client.get(reverse("dashboard:overview"), {"format": "csv"})
    assert page.status_code == 200 and export.status_code == 200
    assert any("complaints_petitionitem" in sql for sql in _sql(replica))
    assert not any("complaints_petitionitem" in sql for sql in _sql(primary))
    # Who is asking is read from the primary; the export's audit record is written there.
    assert not any("django_session" in sql or "gov_user" in sql for sql in _sql(replica))
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in _sql(replica))
    assert AuditRecord.objects.filter(kind=AuditRecord.Kind.EXPORT, actor=leader).count() == 1


def test_a_write_and_the_reads_of_its_transaction_stay_on_the_primary(officer: User) -> None:
    first = _plan(officer, "Chủ tịch Lò Văn Bốn")
    with replay_paused(), replica_reads() as alias:
        assert alias == REPLICA
        with transaction.atomic():
            second = _plan(officer, "Chủ tịch Lò Văn Năm")
            assert Schedule.objects.filter(pk=second.pk).exists()  # its own transaction
        assert not Schedule.objects.filter(pk=second.pk).exists()  # the replica lags
        read = Schedule.objects.get(pk=first.pk)  # from the replica
        assert read._state.db == REPLICA
        read.host = "Chủ tịch Lò Văn Sáu"
        read.save(update_fields=["host"])  # to the primary, never the replica
    with replica_reads():
        assert Schedule.objects.get(pk=first.pk).host == "Chủ tịch Lò Văn Sáu"
