"""Read replicas and a pooler in the settings (laichau_portal.databases), and what the router
and the read-your-writes middleware do without a replica: nothing. The routing itself is
proved against a real streaming replica by tests/gov/test_replica.py."""

from __future__ import annotations

import environ
import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.test import Client
from django.urls import reverse

from gov.replicas import PIN_COOKIE, ReplicaRouter, read_alias, replica_reads
from laichau_portal.databases import database_settings, replica_aliases
from reception.models import Schedule

SQLITE = "sqlite:////tmp/unused.sqlite3"
VARIABLES = (
    "DATABASE_URL",
    "DATABASE_REPLICA_URLS",
    "PORTAL_DB_POOLER",
    "DB_CONN_MAX_AGE",
    "DB_WORK_MEM",
    "DB_PREPARE_THRESHOLD",
    "DB_SERVER_SIDE_BINDING",
)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://portal@db.internal:5432/portal")
    return monkeypatch


def test_without_replicas_or_pooler_there_is_one_database_as_before(environment) -> None:
    databases = database_settings(environ.Env(), default_url=SQLITE)
    assert list(databases) == ["default"] and replica_aliases(databases) == []
    db = databases["default"]
    assert db["ENGINE"] == "gov.backends.postgresql" and db["CONN_MAX_AGE"] == 60
    assert db["OPTIONS"] == {
        "options": "-c work_mem=32MB",
        "server_side_binding": True,
        "prepare_threshold": 5,
    }
    assert "DISABLE_SERVER_SIDE_CURSORS" not in db


def test_the_embedded_default_is_sqlite(environment) -> None:
    environment.delenv("DATABASE_URL")
    assert database_settings(environ.Env(), default_url=SQLITE) == {
        "default": environ.Env.db_url_config(SQLITE) | {"ATOMIC_REQUESTS": False}
    }


def test_each_replica_url_is_an_alias_that_mirrors_the_primary_under_test(environment) -> None:
    environment.setenv(
        "DATABASE_REPLICA_URLS",
        "postgres://reader@replica-a.internal:5432/portal, postgres://reader@replica-b.internal/portal",
    )
    databases = database_settings(environ.Env(), default_url=SQLITE)
    assert replica_aliases(databases) == ["replica_0", "replica_1"]
    assert [databases[a]["HOST"] for a in ("replica_0", "replica_1")] == [
        "replica-a.internal",
        "replica-b.internal",
    ]
    for alias in ("replica_0", "replica_1"):
        assert databases[alias]["ENGINE"] == "gov.backends.postgresql"
        assert databases[alias]["TEST"] == {"MIRROR": "default"}
        assert databases[alias]["OPTIONS"]["prepare_threshold"] == 5


def test_pgbouncer_turns_off_what_transaction_pooling_cannot_carry(environment) -> None:
    environment.setenv("PORTAL_DB_POOLER", "pgbouncer")
    db = database_settings(environ.Env(), default_url=SQLITE)["default"]
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert db["CONN_MAX_AGE"] == 0
    # No startup option (PgBouncer refuses it), no named prepared statements (before 1.21).
    assert db["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": None}


def test_pgbouncer_1_21_may_keep_prepared_statements(environment) -> None:
    environment.setenv("PORTAL_DB_POOLER", "pgbouncer")
    environment.setenv("DB_PREPARE_THRESHOLD", "5")
    db = database_settings(environ.Env(), default_url=SQLITE)["default"]
    assert db["OPTIONS"]["prepare_threshold"] == 5


def test_an_empty_prepare_threshold_never_prepares(environment) -> None:
    environment.setenv("DB_PREPARE_THRESHOLD", "")
    db = database_settings(environ.Env(), default_url=SQLITE)["default"]
    assert db["OPTIONS"]["prepare_threshold"] is None  # psycopg's own default would be 5


def test_an_unknown_pooler_is_refused(environment) -> None:
    environment.setenv("PORTAL_DB_POOLER", "pgpool")
    with pytest.raises(environ.ImproperlyConfigured, match="PORTAL_DB_POOLER"):
        database_settings(environ.Env(), default_url=SQLITE)


def test_the_router_writes_to_the_primary_and_migrates_it_only() -> None:
    router = ReplicaRouter()
    assert router.db_for_write(Schedule) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Schedule) == DEFAULT_DB_ALIAS  # outside replica_reads()
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "reception") is True
    assert router.allow_migrate("replica_0", "reception") is False


def test_without_replicas_routed_reads_read_the_primary() -> None:
    assert settings.PORTAL_DB_REPLICAS == [] and not settings.DATABASE_ROUTERS
    with replica_reads() as alias:
        assert alias is None and read_alias() == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_without_replicas_a_write_sets_no_cookie(client: Client) -> None:
    response = client.post(reverse("complaints:status"), {"code": "X", "secret": "Y"})
    assert PIN_COOKIE not in response.cookies
