"""Data migrations carry existing rows along."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from complaints.models import PetitionItem
from tests.complaints.factories import submit_item
from tests.migrations import migrate_to_latest


@pytest.mark.django_db(transaction=True)
def test_items_get_their_petitions_submitter_key_when_the_column_is_added(
    reference_data: None,
) -> None:
    before, after = (
        [("complaints", "0008_item_received_on_index")],
        [("complaints", "0009_item_submitter_key")],
    )
    item = submit_item()
    key = item.petition.submitter_key
    assert key
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        assert PetitionItem.objects.get(pk=item.pk).submitter_key == key
    finally:
        migrate_to_latest()
