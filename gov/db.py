"""Database helpers of the plain kind: indexes of keys that are set (``index_when_set``) and
Vietnamese alphabetical order (``in_vietnamese_order``). The fast paths (raw SQL, private APIs)
are fenced in ``gov.fast``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.functions import Collate

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

# PostgreSQL's ICU collation for Vietnamese; on SQLite a collation of the same name is
# registered on every connection (``register_vietnamese_collation``), from gov.text.
VIETNAMESE_COLLATION = "vi-x-icu"


_HAS_VIETNAMESE: dict[tuple[str, str], bool] = {}  # per database server, asked once


def _has_vietnamese_collation(db: BaseDatabaseWrapper) -> bool:
    key = (db.vendor, str(db.settings_dict.get("HOST", "")))
    if key not in _HAS_VIETNAMESE:
        if db.vendor == "postgresql":
            with db.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM pg_collation WHERE collname = %s", [VIETNAMESE_COLLATION]
                )
                _HAS_VIETNAMESE[key] = cursor.fetchone() is not None
        else:
            _HAS_VIETNAMESE[key] = db.vendor == "sqlite"  # registered on every connection
    return _HAS_VIETNAMESE[key]


# Named as a function: it is written where field names go, order_by(in_vietnamese_order("name")).
class in_vietnamese_order(Collate):
    """``field`` for ``order_by``, in Vietnamese alphabetical order ("Bản Bo" before "Bình Lư",
    "Dào San" before "Đoàn Kết": ``gov.text.vietnamese_sort_key``); in the server's own order
    where it has no such collation (a PostgreSQL built without ICU). Decided when the query is
    compiled, so querysets built at import time stay lazy."""

    def __init__(self, field: str) -> None:
        super().__init__(F(field), VIETNAMESE_COLLATION)

    def as_sql(  # type: ignore[override]  # Func's own takes more named parameters
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Sequence[Any]]:
        if _has_vietnamese_collation(connection):
            return super().as_sql(compiler, connection, **extra)
        return compiler.compile(self.get_source_expressions()[0])


def register_vietnamese_collation(
    sender: type[BaseDatabaseWrapper], connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """``connection_created`` receiver: SQLite learns the collation PostgreSQL has from ICU."""
    if connection.vendor == "sqlite":
        from gov.text import compare_vietnamese

        connection.connection.create_collation(VIETNAMESE_COLLATION, compare_vietnamese)


def index_when_set(field: str, name: str) -> models.Index:
    """An index of the rows where the nullable ``field`` is set, for a foreign key that is
    empty when a row is written (a handler, a denounced agency, a first complaint): a row
    written without it costs the index nothing. Lookups by value (``field=x``, ``field__in``,
    the checks before a referenced row is deleted) still use it: equality implies not null."""
    return models.Index(
        fields=[field], condition=models.Q(**{f"{field}__isnull": False}), name=name
    )


@contextmanager
def custom_plans() -> Iterator[None]:
    """Plan each statement for its own values, in a transaction of its own.

    A statement run ``DB_PREPARE_THRESHOLD`` times on a connection is prepared, and after five
    runs PostgreSQL may keep one generic plan for it, blind to the values. Where the values
    change the best plan by orders of magnitude (the audit log: a rare kind of record, of one
    agency, among millions), that plan read the whole index on the time: 5 s instead of 50 ms
    (docs/performance-audit.md). ``SET LOCAL`` ends with the transaction: other statements on
    the connection keep their generic plans.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield
