"""Database helpers: inserting new rows for the one path that runs at every citizen's
submission; indexes of keys that are set (``index_when_set``); Vietnamese alphabetical order
(``in_vietnamese_order``).

``QuerySet.bulk_create`` builds an ``InsertQuery`` and compiles it at every call, field by field,
with the generality it needs (conflict handling, batching, expressions as values, parents of
multi-table inheritance). A submission writes five tables, one or a few rows each; on the bench,
that compilation cost more processor than the five INSERTs themselves. ``insert_rows`` keeps
the SQL of each model and row count, and prepares the values as Django does
(``Field.pre_save`` then ``get_db_prep_save``), except text, numbers, booleans and keys, which
the driver takes as they are. Like ``bulk_create``, it sends no signals.

``insert_together`` writes new rows of several tables that refer to one another (a petition,
its submitters, its items, their deadlines and events) in one statement on PostgreSQL: their
keys are drawn from the tables' sequences in the statement itself, so no row waits for
another's key to come back. One statement is one round trip, atomic by itself: a submission
needs neither BEGIN nor COMMIT around it.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import connection, models
from django.db.models import F
from django.db.models.functions import Collate
from django.utils.functional import Promise

M = TypeVar("M", bound=models.Model)


# PostgreSQL's ICU collation for Vietnamese; on SQLite a collation of the same name is
# registered on every connection (``register_vietnamese_collation``), from gov.text.
VIETNAMESE_COLLATION = "vi-x-icu"


_HAS_VIETNAMESE: dict[tuple[str, str], bool] = {}  # per database server, asked once


def _has_vietnamese_collation(db: object) -> bool:
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

    def as_sql(self, compiler: object, connection: object, **extra: object) -> tuple:
        if _has_vietnamese_collation(connection):
            return super().as_sql(compiler, connection, **extra)
        return compiler.compile(self.get_source_expressions()[0])


def register_vietnamese_collation(sender: object, connection: object, **kwargs: object) -> None:
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


# Fields whose Python value is what the database driver takes (a str, an int, a bool, a key):
# Django's preparation of them returns the value unchanged, or a lazy text as text. A subclass
# that prepares its value itself (an encrypted field: gov.crypto) is prepared as Django does.
PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


@functools.cache
def _fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    """The columns written: every concrete field but the automatic primary key."""
    meta = model._meta
    return tuple(
        f
        for f in meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
        and not getattr(f, "generated", False)
    )


@functools.cache
def _plain(model: type[models.Model]) -> tuple[tuple[str, models.Field | None], ...]:
    """Each column's attribute, with its field where Django must prepare the value."""
    return tuple(
        (
            f.attname,
            None
            if f.is_relation
            or (
                isinstance(f, PLAIN)
                and type(f).pre_save is models.Field.pre_save
                and type(f).get_db_prep_save is models.Field.get_db_prep_save
            )
            else f,
        )
        for f in _fields(model)
    )


@functools.cache
def _sql(model: type[models.Model], rows: int, vendor: str) -> str:
    quote = connection.ops.quote_name
    fields = _fields(model)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
        f" VALUES {', '.join([row] * rows)} RETURNING {quote(model._meta.pk.column)}"
    )


def insert_rows(objs: Sequence[M]) -> Sequence[M]:
    """INSERT ``objs``, new rows of one model with an automatic primary key, in one statement,
    and set their primary keys. Foreign keys to rows saved since they were assigned are
    resolved as ``save()`` does."""
    if not objs:
        return objs
    model = type(objs[0])
    if not connection.features.can_return_rows_from_bulk_insert:
        return model.objects.bulk_create(objs)
    plan = _plan(model)
    params: list[object] = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert_rows")
        params.extend(_row(obj, plan))
    with connection.cursor() as cursor:
        cursor.execute(_sql(model, len(objs), connection.vendor), params)
        keys = cursor.fetchall()
    for obj, (pk,) in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


# psycopg parses a statement's placeholders once and keeps the result, but only for statements
# of up to 50 parameters (``psycopg._queries.MAX_CACHED_STATEMENT_PARAMS``: bulk inserts of
# varying sizes would only churn its cache). A submission's one statement has about a
# hundred, and is the same statement at every submission: parsing it again cost 0.3 ms each.
STATEMENT_PARAMS_CACHED = 250


def cache_statements_with_many_parameters() -> None:
    """Let psycopg keep the parsing of statements of up to ``STATEMENT_PARAMS_CACHED``
    parameters (its cache stays bounded: the 128 most recent statements)."""
    try:
        from psycopg import _queries
    except ImportError:  # another driver
        return
    if getattr(_queries, "MAX_CACHED_STATEMENT_PARAMS", STATEMENT_PARAMS_CACHED) < (
        STATEMENT_PARAMS_CACHED
    ):
        _queries.MAX_CACHED_STATEMENT_PARAMS = STATEMENT_PARAMS_CACHED


@dataclass(frozen=True)
class _RowPlan:
    """How a model's row is read off an object: every column's attribute at once, then the few
    columns Django must prepare, the text columns that may hold a lazy translation, and the
    foreign keys (whose related object ``insert_together`` may write with it)."""

    values: Callable[[models.Model], tuple]
    prepared: tuple[tuple[int, models.Field], ...]
    texts: tuple[int, ...]
    relations: tuple[tuple[int, str, str], ...]  # position, cache name, attribute


@functools.cache
def _plan(model: type[models.Model]) -> _RowPlan:
    columns = _plain(model)
    getter = operator.attrgetter(*(attname for attname, _field in columns))
    fields = _fields(model)
    return _RowPlan(
        values=getter if len(columns) > 1 else lambda obj: (getter(obj),),
        prepared=tuple((n, field) for n, (_a, field) in enumerate(columns) if field is not None),
        texts=tuple(
            n
            for n, f in enumerate(fields)
            if isinstance(f, models.CharField | models.TextField) and columns[n][1] is None
        ),
        relations=tuple(
            (n, f.cache_name, f.attname) for n, f in enumerate(fields) if f.is_relation
        ),
    )


def _row(obj: models.Model, plan: _RowPlan) -> list[object]:
    """The values of ``obj``'s columns, prepared as Django prepares them for an INSERT."""
    row = list(plan.values(obj))
    for n, field in plan.prepared:
        row[n] = field.get_db_prep_save(field.pre_save(obj, True), connection)
    for n in plan.texts:
        if isinstance(row[n], Promise):
            row[n] = str(row[n])
    return row


def inserts_are_one_statement() -> bool:
    """Whether ``insert_together`` writes in one statement (atomic without a transaction)."""
    return connection.vendor == "postgresql"


def insert_together(objs: Sequence[models.Model]) -> None:
    """INSERT ``objs``, new rows of models with automatic primary keys, each foreign key to
    another of ``objs`` given as the unsaved object itself; set every primary key.

    On PostgreSQL, in one statement: the keys are drawn first (``nextval`` of each table's
    sequence, in a common table expression) and each row takes the keys it refers to from
    there. The statement is kept per shape (which models, in which order, which column refers
    to which row), so a submission like the one before reuses it, prepared. Elsewhere, one
    ``insert_rows`` per run of rows of one model: there, call it inside a transaction, with
    the objects referred to before those that refer to them."""
    if not objs:
        return
    if not inserts_are_one_statement():
        for _model, run in itertools.groupby(objs, key=type):
            insert_rows(list(run))
        return
    position = {id(obj): n for n, obj in enumerate(objs)}
    shape: list[tuple[type[models.Model], tuple[tuple[int, int], ...]]] = []
    params: list[object] = []
    for obj in objs:
        model = type(obj)
        plan = _plan(model)
        cached = obj._state.fields_cache
        refs: list[tuple[int, int]] = []
        for n, name, attname in plan.relations:
            related = cached.get(name)
            if related is None:
                continue
            if related.pk is None:
                if id(related) not in position:
                    raise ValueError(
                        f"insert_together() prohibited to prevent data loss due to unsaved "
                        f"related object '{name}'."
                    )
                refs.append((n, position[id(related)]))
            elif getattr(obj, attname) is None:  # saved after it was assigned
                setattr(obj, attname, related.pk)
        row = _row(obj, plan)
        if refs:
            taken = {n for n, _target in refs}
            row = [value for n, value in enumerate(row) if n not in taken]
        params.extend(row)
        shape.append((model, tuple(refs)))
    with connection.cursor() as cursor:
        cursor.execute(_together_sql(tuple(shape)), params)
        keys = cursor.fetchone()
    for obj, pk in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    for obj, (model, refs) in zip(objs, shape, strict=True):
        fields = _fields(model)
        for n, target in refs:
            setattr(obj, fields[n].attname, objs[target].pk)


@functools.lru_cache(maxsize=256)
def _together_sql(shape: tuple[tuple[type[models.Model], tuple[tuple[int, int], ...]], ...]) -> str:
    """The statement of ``insert_together`` for rows of this shape: a CTE ``k`` drawing one
    key per row (columns k0, k1, …), one INSERT per run of rows of a model, the keys back."""
    quote = connection.ops.quote_name
    draws = ", ".join(
        f"nextval(pg_get_serial_sequence('{quote(model._meta.db_table)}', "
        f"'{model._meta.pk.column}')) AS k{n}"
        for n, (model, _refs) in enumerate(shape)
    )
    parts = [f"k AS (SELECT {draws})"]
    n = 0
    for run_number, (model, run) in enumerate(itertools.groupby(shape, key=lambda row: row[0])):
        rows = []
        for _model, refs in run:
            values = ["%s"] * len(_fields(model))
            for column, target in refs:
                values[column] = f"(SELECT k{target} FROM k)"
            rows.append(f"((SELECT k{n} FROM k), {', '.join(values)})")
            n += 1
        columns = ", ".join(quote(f.column) for f in (model._meta.pk, *_fields(model)))
        parts.append(
            f"i{run_number} AS (INSERT INTO {quote(model._meta.db_table)} ({columns}) "
            f"VALUES {', '.join(rows)})"
        )
    keys = ", ".join(f"k{i}" for i in range(len(shape)))
    return f"WITH {', '.join(parts)} SELECT {keys} FROM k"
