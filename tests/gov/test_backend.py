"""The PostgreSQL backend's health check: no round trip for a healthy connection, a new
connection for one the server dropped."""

from __future__ import annotations

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _asked_the_server(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    asked: list[bool] = []
    original = DjangoWrapper.is_usable

    def counted(self: DjangoWrapper) -> bool:
        asked.append(True)
        return original(self)

    monkeypatch.setattr(DjangoWrapper, "is_usable", counted)
    return asked


@pytest.mark.fast_paths
def test_a_healthy_idle_connection_is_kept_without_asking_the_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _asked_the_server(monkeypatch)
    connection.ensure_connection()
    kept = connection.connection
    assert connection.is_usable()
    assert asked == []
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    assert connection.connection is kept


@pytest.mark.direct_connection  # behind PgBouncer the server's connection is the pooler's
def test_a_connection_the_server_dropped_is_replaced_before_the_request_uses_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _asked_the_server(monkeypatch)
    connection.ensure_connection()
    dropped = connection.connection
    pid = dropped.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(
        dbname=params.get("dbname") or settings.DATABASES["default"]["NAME"],
        **{k: v for k, v in params.items() if k in ("host", "port", "user", "password")},
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        other.execute("SELECT pg_sleep(0.2)")  # the termination notice reaches the socket
    assert not connection.is_usable()
    assert asked == [True]  # the socket had something to say: the server was asked
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection is not dropped
