"""Data migrations carry existing rows along."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from complaints.models import Petition, PetitionItem
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
    assert item.petition.submitter_key
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        # Going back through 0014 put the key back to what the code of 0009 computed.
        # (Only the key is read: later columns are not there at 0009.)
        key = Petition.objects.values_list("submitter_key", flat=True).get(pk=item.petition_id)
        assert key
        assert PetitionItem.objects.values_list("submitter_key", flat=True).get(pk=item.pk) == key
    finally:
        migrate_to_latest()
