"""Data migrations carry existing rows along."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from complaints.models import Petition, PetitionItem
from tests.complaints.factories import submit_item
from tests.migrations import migrate_to_latest

# Each migrates the schema back and forth (about 20 to 80 s each).
pytestmark = pytest.mark.slow


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


@pytest.mark.django_db(transaction=True)
def test_items_already_transferred_second_or_recorded_elsewhere_name_who_referred_them(
    reference_data: None,
) -> None:
    """Need-to-know (0015): a transfer's both ends, a second complaint's first decider and
    the agency that recorded a petition for another are filled in from what the rows hold."""
    from complaints.services import item_transfer, second_complaint_lodge
    from tests.complaints.factories import agency
    from tests.gov.factories import staff_of

    source = submit_item()
    handler = staff_of("ubnd-xa-muong-kim")
    moved = item_transfer(item=source, by=handler, target=agency("so-xay-dung"))
    first = submit_item(items=[_complaint()])
    PetitionItem.objects.filter(pk=first.pk).update(status="concluded")
    second = second_complaint_lodge(first=first, summary="Tôi không đồng ý với quyết định lần đầu.")
    recorded = submit_item(by=staff_of("so-nong-nghiep-moi-truong", "reception_officer"))
    expected = {
        source.pk: (None, agency("so-xay-dung").pk),
        moved.pk: (agency("ubnd-xa-muong-kim").pk, None),
        first.pk: (None, second.agency_id),
        second.pk: (first.agency_id, None),
        recorded.pk: (agency("so-nong-nghiep-moi-truong").pk, None),
    }
    assert _referrals(expected) == expected
    PetitionItem.objects.update(referred_by=None, referred_to=None)
    try:
        MigrationExecutor(connection).migrate([("complaints", "0014_identities_at_rest")])
    finally:
        migrate_to_latest()
    assert _referrals(expected) == expected


def _complaint() -> object:
    from tests.complaints.factories import ItemDataFactory

    return ItemDataFactory(kind=PetitionItem.Kind.COMPLAINT)


def _referrals(expected: dict) -> dict:
    rows = PetitionItem.objects.filter(pk__in=expected).values_list(
        "pk", "referred_by", "referred_to"
    )
    return {pk: (by, to) for pk, by, to in rows}


@pytest.mark.django_db(transaction=True)
def test_items_recorded_by_officers_count_towards_mass_complaints_after_the_migration(
    reference_data: None,
) -> None:
    """0016: items of petitions an officer recorded are known senders; online ones are not."""
    from complaints.models import Channel
    from gov.models import User
    from tests.gov.factories import staff_of

    officer = staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER)
    counter = submit_item(by=officer, channel=Channel.COUNTER)
    online = submit_item()
    executor = MigrationExecutor(connection)
    executor.migrate([("complaints", "0015_need_to_know")])
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("complaints", "0016_sender_known")])
        known = dict(PetitionItem.objects.values_list("pk", "sender_known"))
        assert (known[counter.pk], known[online.pk]) == (True, False)
    finally:
        migrate_to_latest()
