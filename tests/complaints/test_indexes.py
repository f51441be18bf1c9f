"""Foreign keys empty at intake are indexed only where set (``gov.db.index_when_set``): an
intake writes nothing into those indexes, and lookups by value still find them."""

from __future__ import annotations

import pytest
from django.db import connection

from complaints.models import PetitionItem
from tests.complaints.factories import submit_item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _plan(queryset: object) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table would be scanned
        return queryset.explain()  # type: ignore[attr-defined]


def _index_definition(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        row = cursor.fetchone()
    assert row, f"no index {name}"
    return row[0]


def test_the_indexes_hold_only_rows_where_the_key_is_set(reference_data: None) -> None:
    assert "WHERE (handler_id IS NOT NULL)" in _index_definition("item_handler_set")
    assert "WHERE (duplicate_of_id IS NOT NULL)" in _index_definition("item_duplicate_of_set")
    assert "WHERE (actor_id IS NOT NULL)" in _index_definition("event_actor_set")
    item = submit_item()
    assert item.handler_id is None and item.duplicate_of_id is None


def test_lookups_by_value_use_them(reference_data: None) -> None:
    item = submit_item()
    # The inbox's handler filter, and the check made before a user is deleted.
    assert "item_handler_set" in _plan(PetitionItem.objects.filter(handler_id=1))
    # What deleting an item asks of the items that name it (on_delete=SET_NULL).
    assert "item_duplicate_of_set" in _plan(PetitionItem.objects.filter(duplicate_of__in=[item.pk]))
