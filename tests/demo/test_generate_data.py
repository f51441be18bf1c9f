"""``manage.py generate_data``: bulk rows that look like what the services write."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from complaints import deadlines, selectors
from complaints.models import ItemDeadline, ItemEvent, PetitionItem
from complaints.models.items import OPEN_STATUSES
from demo.generate.rows import generated_items
from gov.models import User
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db

CLEARED = {"transferred", "guided", "filed", "withdrawn"}


def _generate(items: int = 200) -> None:
    call_command(
        "generate_data",
        items=items,
        seed=7,
        batch=120,
        allow_production_settings=True,
        stdout=StringIO(),
    )


@pytest.fixture
def items() -> list[PetitionItem]:
    _generate()
    return list(generated_items().select_related("agency__unit", "petition", "due_rule"))


def test_generates_the_number_of_items_asked_and_no_more_when_run_again(
    items: list[PetitionItem],
) -> None:
    _generate()
    assert len(items) == 200
    assert generated_items().count() == 200


def test_scope_path_is_the_responsible_agency_unit_path(items: list[PetitionItem]) -> None:
    assert all(item.scope_path == item.agency.unit.path for item in items)


def test_due_dates_follow_the_rules_and_the_deadline_history(items: list[PetitionItem]) -> None:
    current = {d.item_id: d for d in ItemDeadline.objects.filter(is_current=True)}
    for item in items:
        deadline = current[item.pk]
        assert (item.due_stage, item.due_rule_id) == (deadline.stage, deadline.rule_id)
        if item.status in CLEARED:
            assert item.due_on is None
            continue
        assert item.due_on == deadline.due_on
        if item.accepted_on is None:
            _, intake = deadlines.intake_deadline(item, received_on=item.started_on)
            assert item.due_on == intake.due
        else:
            assert (
                item.due_on == deadlines.resolution_deadline(item, accepted_on=item.accepted_on).due
            )
    assert any(item.status in OPEN_STATUSES for item in items)


def test_every_item_has_its_received_event(items: list[PetitionItem]) -> None:
    first = {"received", "transferred_in"}
    with_event = set(ItemEvent.objects.filter(kind__in=first).values_list("item_id", flat=True))
    assert {item.pk for item in items} <= with_event


def test_every_item_appears_for_a_provincial_leader(items: list[PetitionItem]) -> None:
    leader = staff_of("ubnd-tinh", role=User.Role.LEADER)
    visible = set(selectors.items_for(leader).values_list("pk", flat=True))
    assert {item.pk for item in items} <= visible


def test_a_transfer_names_both_ends_as_the_service_does(items: list[PetitionItem]) -> None:
    """Need-to-know (gov.scoping): the agency that transferred an item reads what it became,
    and the one it went to reads what it received, in generated rows too."""
    by_pk = {item.pk: item for item in items}
    moved = [item for item in items if item.transferred_from_id]
    assert moved
    for item in moved:
        source = by_pk[item.transferred_from_id]
        assert item.referred_by_id == source.agency_id
        assert source.referred_to_id == item.agency_id
    assert all(i.referred_to_id is None for i in items if i.status != "transferred")
