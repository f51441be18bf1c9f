"""The demo petitions: every status and showcase case, created once however often seeded."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from complaints.confidentiality import MASK, masked_display
from complaints.models import (
    Hotspot,
    ItemDeadline,
    ItemEvent,
    Letter,
    Petition,
    PetitionItem,
    Status,
    Submitter,
)
from complaints.selectors import overdue
from demo.accounts import demo_seed as gov_demo_seed
from demo.common import DEMO_MARK
from demo.petitions import demo_seed as complaints_demo_seed
from gov.models import Notification
from tests.complaints.factories import on

pytestmark = pytest.mark.django_db

COUNTED = [Petition, PetitionItem, Submitter, ItemEvent, ItemDeadline, Letter, Hotspot]


def _counts() -> dict[str, int]:
    counts = {m.__name__: m.objects.count() for m in COUNTED}
    counts["Notification"] = Notification.objects.count()
    return counts


@pytest.fixture
def seeded(django_capture_on_commit_callbacks) -> SimpleNamespace:
    """The demo, seeded on the real date like ``make run`` does."""
    gov_demo_seed()
    with django_capture_on_commit_callbacks(execute=True):
        created = complaints_demo_seed()
    return SimpleNamespace(created=created, counts=_counts())


def test_demo_seed_twice_creates_nothing_new(
    seeded: SimpleNamespace, django_capture_on_commit_callbacks
) -> None:
    assert 25 <= len(seeded.created) == seeded.counts["Petition"]
    with django_capture_on_commit_callbacks(execute=True):
        assert complaints_demo_seed() == []
    assert _counts() == seeded.counts


def test_demo_seeded_just_after_tet_still_shows_every_status_and_overdue_items(
    time_machine, django_capture_on_commit_callbacks
) -> None:
    time_machine.move_to(on(2027, 2, 15), tick=False)  # Monday after the Tết 2027 days off
    gov_demo_seed()
    with django_capture_on_commit_callbacks(execute=True):
        complaints_demo_seed()
    assert set(PetitionItem.objects.values_list("status", flat=True)) == set(Status.values)
    assert overdue(PetitionItem.objects.all()).count() >= 3
    assert Hotspot.objects.get().size == 5


def test_demo_petitions_carry_the_demo_mark(seeded: SimpleNamespace) -> None:
    assert not Petition.objects.exclude(location_address__startswith=DEMO_MARK).exists()


def test_demo_shows_every_status(seeded: SimpleNamespace) -> None:
    statuses = set(PetitionItem.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)


def test_demo_has_overdue_petitions_recorded_at_the_counter(seeded: SimpleNamespace) -> None:
    late = list(overdue(PetitionItem.objects.all()))
    assert len(late) >= 3
    assert all(item.petition.is_backdated for item in late)
    assert all(item.petition.recorded_by.username for item in late)


def test_demo_has_skip_level_petitions(seeded: SimpleNamespace) -> None:
    assert PetitionItem.objects.filter(is_skip_level=True).count() >= 2


def test_demo_denunciation_keeps_its_denouncer_secret(seeded: SimpleNamespace) -> None:
    denunciations = Petition.objects.filter(items__kind=PetitionItem.Kind.DENUNCIATION).distinct()
    [petition] = denunciations
    assert petition.identity_protected
    assert masked_display(petition) == str(MASK)
    assert Letter.objects.filter(petition=petition, kind=Letter.Kind.TRANSFER).exists()


def test_demo_group_of_seven_names_two_representatives(seeded: SimpleNamespace) -> None:
    [group] = Petition.objects.filter(submitter_type=Petition.SubmitterType.GROUP)
    assert group.group_size == 7
    assert group.submitters.filter(is_representative=True).count() == 2
    assert group.is_mass


def test_demo_land_cluster_in_muong_kim_raises_one_hotspot(seeded: SimpleNamespace) -> None:
    [hotspot] = Hotspot.objects.all()
    assert (hotspot.unit.code, hotspot.sector.code, hotspot.size) == ("xa-muong-kim", "dat-dai", 5)
    assert list(
        Notification.objects.filter(kind="hotspot").values_list("recipient__username", flat=True)
    ) == ["lanhdao.muongkim"]


def test_demo_second_complaint_goes_to_the_province(seeded: SimpleNamespace) -> None:
    [second] = PetitionItem.objects.filter(complaint_round=2)
    assert second.proposed_agency.code == "ubnd-tinh"
    assert second.first_round_item.status == Status.CLOSED
    assert not second.is_skip_level


def test_demo_names_the_former_commune_ta_mung(seeded: SimpleNamespace) -> None:
    [petition] = Petition.objects.filter(location_unit__code="ta-mung-03638")
    assert petition.unit.code == "xa-muong-kim"
    assert petition.items.get().proposed_agency.code == "ubnd-xa-muong-kim"
