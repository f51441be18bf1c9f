"""gov.db.insert_rows writes what bulk_create writes."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from complaints.models import ItemEvent
from gov.db import insert_rows
from tests.complaints.factories import submit_item

pytestmark = pytest.mark.django_db

SKIP = {"id", "at"}


def _events(item: object, note: str) -> list[ItemEvent]:
    return [
        ItemEvent(
            petition_id=item.petition_id,
            item=item,
            kind=ItemEvent.Kind.FLAGGED,
            to_status=item.status,
            note=f"{note} {n}",
            data={"flag": "mass", "n": n, "words": ["đất", "nương"]},
        )
        for n in range(3)
    ]


def test_insert_rows_writes_the_rows_bulk_create_writes_and_sets_their_keys() -> None:
    item = submit_item()
    ours = insert_rows(_events(item, "ours"))
    django = ItemEvent.objects.bulk_create(_events(item, "django"))
    assert all(e.pk and not e._state.adding for e in ours)
    saved = {e.pk: e for e in ItemEvent.objects.filter(pk__in=[e.pk for e in ours + django])}
    for mine, theirs in zip(ours, django, strict=True):
        a, b = model_to_dict(saved[mine.pk]), model_to_dict(saved[theirs.pk])
        assert a.pop("note").replace("ours", "") == b.pop("note").replace("django", "")
        assert {k: v for k, v in a.items() if k not in SKIP} == {
            k: v for k, v in b.items() if k not in SKIP
        }
        assert saved[mine.pk].at is not None  # auto_now_add, as save() sets it
    assert [saved[e.pk].note for e in ours] == ["ours 0", "ours 1", "ours 2"]


def test_insert_rows_resolves_a_foreign_key_saved_after_it_was_assigned() -> None:
    petition = submit_item().petition
    petition.pk, petition.code = None, "LC26-ZZZZZZ"  # a new, unsaved petition
    event = ItemEvent(petition=petition, kind=ItemEvent.Kind.FLAGGED, data={})
    petition.save()
    insert_rows([event])
    assert ItemEvent.objects.get(pk=event.pk).petition.code == "LC26-ZZZZZZ"
    assert insert_rows([]) == []


def test_insert_rows_refuses_a_foreign_key_never_saved() -> None:
    petition = submit_item().petition
    petition.pk = None
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_rows([ItemEvent(petition=petition, kind=ItemEvent.Kind.FLAGGED, data={})])
