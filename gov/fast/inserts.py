"""New rows written on the one path that runs at every citizen's submission.

``insert_rows(objs)`` writes new rows of one model; ``insert_together(objs)`` writes new rows of
several models that refer to one another (a petition, its submitters, its items, their
deadlines and events). Both set the primary keys and, like ``bulk_create``, send no signals.

Plain path (``PORTAL_FAST_PATHS=false``, or a database other than PostgreSQL): Django's
``bulk_create``, one per run of rows of a model, inside a transaction for ``insert_together``.

Fast path, on PostgreSQL:

- Why: ``QuerySet.bulk_create`` builds an ``InsertQuery`` and compiles it at every call, field
  by field, with the generality it needs (conflict handling, batching, expressions as values,
  parents of multi-table inheritance). A submission writes five tables, one or a few rows each;
  that compilation cost more processor than the five INSERTs themselves. ``insert_rows`` keeps
  the SQL of each model and row count, and prepares the values as Django does
  (``Field.pre_save`` then ``get_db_prep_save``), except text, numbers, booleans and keys,
  which the driver takes as they are. ``insert_together`` writes all of a submission's rows in
  one statement: their keys are drawn from the tables' sequences in the statement itself, so
  no row waits for another's key to come back; one statement is one round trip, atomic by
  itself, so a submission needs neither BEGIN nor COMMIT around it.
- What it buys (docs/performance.md): "A submission is two statements: the duplicate and
  mass-complaint read ..., then the write"; submissions at a million items, "p95 36 ms",
  "308 per second" (8 clients, 2 cores), against the target of "≤ 60" ms and "≥ 200" per
  second. The fence's own comparison is in "What the fence buys".
- Private API used: ``Model._prepare_related_fields_for_save`` (the check ``save()`` and
  ``bulk_create`` make of unsaved related objects) and ``Model._state.fields_cache`` (which
  related objects were assigned). Both are tested against ``bulk_create`` here and in
  tests/gov/test_db.py.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import connection, models, transaction
from django.utils.functional import Promise

from gov.fast import enabled_for

M = TypeVar("M", bound=models.Model)


def insert_rows(objs: Sequence[M]) -> Sequence[M]:
    """INSERT ``objs``, new rows of one model with an automatic primary key, in one statement,
    and set their primary keys. Foreign keys to rows saved since they were assigned are
    resolved as ``save()`` does."""
    if not objs:
        return objs
    model = type(objs[0])
    if not enabled_for(connection):
        return model._default_manager.bulk_create(list(objs))
    plan = _plan(model)
    params: list[object] = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert_rows")
        params.extend(_row(obj, plan))
    with connection.cursor() as cursor:
        cursor.execute(_sql(model, len(objs)), params)
        keys = cursor.fetchall()
    for obj, (pk,) in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def inserts_are_one_statement() -> bool:
    """Whether ``insert_together`` writes in one statement (atomic without a transaction)."""
    return enabled_for(connection)


def insert_together(objs: Sequence[models.Model]) -> None:
    """INSERT ``objs``, new rows of models with automatic primary keys, each foreign key to
    another of ``objs`` given as the unsaved object itself, the objects referred to before
    those that refer to them; set every primary key.

    Fast, in one statement: the keys are drawn first (``nextval`` of each table's sequence, in
    a common table expression) and each row takes the keys it refers to from there. The
    statement is kept per shape (which models, in which order, which column refers to which
    row), so a submission like the one before reuses it, prepared. Plain: one ``bulk_create``
    per run of rows of one model, in a transaction."""
    if not objs:
        return
    if not inserts_are_one_statement():
        with transaction.atomic(savepoint=False):
            for model, run in itertools.groupby(objs, key=type):
                model._default_manager.bulk_create(list(run))
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


# --- how a row is read off an object and written ---------------------------------------------

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


@functools.cache
def _sql(model: type[models.Model], rows: int) -> str:
    """``insert_rows``' statement for ``rows`` rows of ``model``, kept."""
    quote = connection.ops.quote_name
    fields = _fields(model)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
        f" VALUES {', '.join([row] * rows)} RETURNING {quote(model._meta.pk.column)}"
    )


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
