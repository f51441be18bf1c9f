"""complaints.fast: each statement written for speed gives what its plain ORM twin gives, on the
same rows (PostgreSQL, where the statements run; the twins run there too with the switch off)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import transaction
from django.test import override_settings

from complaints import detection, fast
from complaints.models import Hotspot, Petition, PetitionItem
from tests.complaints.test_detection import (
    BOUNDARY,
    BOUNDARY_ASCII,
    _about_the_boundary,
    _about_the_mine,
    _same_person,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

T = TypeVar("T")
S = TypeVar("S")


class _Undo(Exception):
    pass


def _both(run: Callable[[], T], state: Callable[[], S]) -> list[tuple[T, S]]:
    """``run`` on the fast path and on the plain one, each from the same rows (the first run's
    writes undone): what each returned, and ``state`` read after it."""
    results: list[tuple[T, S]] = []
    for on in (True, False):
        with override_settings(PORTAL_FAST_PATHS=on):
            try:
                with transaction.atomic():
                    result = run()
                    results.append((result, state()))
                    raise _Undo
            except _Undo:
                pass
    return results


def _items_state() -> list[tuple]:
    return list(
        PetitionItem.objects.order_by("pk").values_list("pk", "is_mass", "petition__is_mass")
    )


def _hotspots_state() -> list[tuple]:
    return [
        (
            h.unit_id,
            h.sector_id,
            h.size,
            h.first_received_on,
            h.last_received_on,
            h.unverified,
            sorted(h.items.values_list("pk", flat=True)),
        )
        for h in Hotspot.objects.order_by("pk")
    ]


def _reads(item: PetitionItem) -> tuple[tuple[list, list], tuple[list, list]]:
    item = PetitionItem.objects.select_related("petition").get(pk=item.pk)
    params = (detection._duplicate_params(item), detection._cluster_params(item))
    reads = []
    for on in (True, False):
        with override_settings(PORTAL_FAST_PATHS=on):
            reads.append(fast.candidates(*params))
    return reads[0], reads[1]


def test_the_candidate_reads_give_what_the_orm_gives() -> None:
    for n in range(4):
        _about_the_mine(n)
    for content in (BOUNDARY_ASCII, f"{BOUNDARY} gấp"):
        _about_the_boundary(content, submitters=[_same_person()])
    latest = _about_the_boundary(submitters=[_same_person()])
    mine = _about_the_mine(4)
    (fast_near, fast_similar), (plain_near, plain_similar) = _reads(latest)
    assert fast_near == plain_near
    assert len(plain_near) == 2  # the same person's two earlier petitions of the kind
    assert sorted(fast_similar) == sorted(plain_similar)
    (fast_near, fast_similar), (plain_near, plain_similar) = _reads(mine)
    assert fast_near == plain_near
    assert sorted(fast_similar) == sorted(plain_similar)
    assert len(plain_similar) == 4  # the mine's four earlier items


def test_flagging_a_mass_complaint_writes_what_the_orm_writes() -> None:
    items = [_about_the_mine(n) for n in range(3)]
    Petition.objects.filter(pk=items[0].petition_id).update(is_mass=True)
    PetitionItem.objects.filter(pk=items[0].pk).update(is_mass=True)
    pks = [i.pk for i in items]
    (fast_flagged, fast_state), (plain_flagged, plain_state) = _both(
        lambda: sorted(fast.flag_mass(pks)), _items_state
    )
    assert fast_flagged == plain_flagged
    assert [row[0] for row in plain_flagged] == pks[1:]  # the flagged one is left
    assert fast_state == plain_state
    assert all(is_mass and petition_mass for _pk, is_mass, petition_mass in plain_state)


def test_growing_a_hotspot_writes_what_the_orm_writes(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            _about_the_mine(n)
    hotspot = Hotspot.objects.get()
    known = list(hotspot.items.order_by("pk"))
    sixth = _about_the_boundary()  # not in the hotspot yet
    pks = [sixth.pk, known[0].pk]  # one new, one in it already
    dates = [sixth.received_on, known[0].received_on]
    where = {"unit_id": hotspot.unit_id, "sector_id": hotspot.sector_id}

    def in_steps() -> tuple[object, int]:
        row = fast.open_hotspot_locked(**where)
        assert row is not None
        pk, first, last = row
        added = fast.hotspot_grow(
            pk, item_pks=pks, first=min(first, *dates), last=max(last, *dates), unverified=2
        )
        return row, added

    (fast_steps, fast_state), (plain_steps, plain_state) = _both(in_steps, _hotspots_state)
    assert fast_steps == plain_steps
    assert fast_steps[1] == 1
    assert fast_state == plain_state
    assert fast_state[0][2] == hotspot.size + 1

    def at_once() -> bool:
        if fast.join_open_hotspot(**where, item_pks=pks, dates=dates, unverified=2):
            return True
        in_steps()
        return False

    (joined, joined_state), (stepped, stepped_state) = _both(at_once, _hotspots_state)
    assert (joined, stepped) == (True, False)  # one statement on the fast path only
    assert joined_state == stepped_state == plain_state
