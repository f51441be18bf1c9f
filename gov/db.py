"""Inserting new rows for the one path that runs at every citizen's submission.

``QuerySet.bulk_create`` builds an ``InsertQuery`` and compiles it at every call, field by field,
with the generality it needs (conflict handling, batching, expressions as values, parents of
multi-table inheritance). A submission writes five tables, one or a few rows each; on the bench,
that compilation cost more processor than the five INSERTs themselves. ``insert_rows`` keeps
the SQL of each model and row count, and prepares the values as Django does
(``Field.pre_save`` then ``get_db_prep_save``), except text, numbers, booleans and keys, which
the driver takes as they are. Like ``bulk_create``, it sends no signals.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TypeVar

from django.db import connection, models
from django.utils.functional import Promise

M = TypeVar("M", bound=models.Model)


# Fields whose Python value is what the database driver takes (a str, an int, a bool, a key):
# Django's preparation of them returns the value unchanged, or a lazy text as text.
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
            if f.is_relation or (isinstance(f, PLAIN) and type(f).pre_save is models.Field.pre_save)
            else f,
        )
        for f in _fields(model)
    )


def _value(obj: models.Model, attname: str, field: models.Field | None) -> object:
    if field is not None:
        return field.get_db_prep_save(field.pre_save(obj, True), connection)
    value = getattr(obj, attname)
    return str(value) if isinstance(value, Promise) else value


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
    columns = _plain(model)
    params: list[object] = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert_rows")
        params.extend(_value(obj, attname, field) for attname, field in columns)
    with connection.cursor() as cursor:
        cursor.execute(_sql(model, len(objs), connection.vendor), params)
        keys = cursor.fetchall()
    for obj, (pk,) in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
