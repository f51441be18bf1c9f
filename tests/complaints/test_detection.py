"""Duplicates, mass complaints and hotspots caught at intake."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.models import Channel, Hotspot, ItemEvent, Petition, PetitionItem
from gov.models import Notification, User
from tests.complaints.factories import (
    ItemDataFactory,
    SubmitterDataFactory,
    group_of,
    on,
    sector,
    submit_item,
    unit,
)
from tests.gov.factories import UnitFactory, staff_of

pytestmark = pytest.mark.django_db

BOUNDARY = (
    "Tranh chấp ranh giới đất nương giữa hộ tôi và hộ ông Lò Văn Khăm tại bản Nà Phát, "
    "đề nghị xã đo đạc lại và cắm mốc"
)
BOUNDARY_ASCII = (
    "Tranh chap ranh gioi dat nuong giua ho toi va ho ong Lo Van Kham tai ban Na Phat, "
    "de nghi xa do dac lai va cam moc"
)
MINE = [
    "Mỏ đá bản Nà Phát nổ mìn làm nứt nhà, bụi phủ ruộng lúa của các hộ dân",
    "Mỏ đá ở bản Nà Phát nổ mìn gây nứt tường nhà, bụi bám ruộng lúa",
    "Nổ mìn tại mỏ đá bản Nà Phát làm nứt nhà và bụi phủ kín ruộng lúa",
    "Mỏ đá Nà Phát nổ mìn làm nứt nhà dân, bụi làm hỏng ruộng lúa",
    "Đề nghị xử lý mỏ đá bản Nà Phát nổ mìn làm nứt nhà, bụi phủ ruộng lúa",
    "Mỏ đá bản Nà Phát tiếp tục nổ mìn làm nứt nhà, bụi phủ lên ruộng lúa",
]


def _same_person(phone: str = "0912 345 678", **fields: object) -> SubmitterDataFactory:
    return SubmitterDataFactory(full_name="Lò Thị Ánh", phone=phone, **fields)


def _officer() -> User:
    return User.objects.filter(username="tiepdan.detection").first() or staff_of(
        "ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER, username="tiepdan.detection"
    )


def _recorded(**fields: object) -> dict[str, object]:
    """Received at the counter by an officer: the sender is known, so the petition counts
    towards mass complaints (online petitions count once their senders confirm a contact:
    tests/security/test_forged_volume.py)."""
    return {"by": _officer(), "channel": Channel.COUNTER, **fields}


def _about_the_boundary(content: str = BOUNDARY, **fields: object) -> PetitionItem:
    return submit_item(
        **_recorded(
            content=content, items=[ItemDataFactory(summary="Tranh chấp ranh giới đất")], **fields
        )
    )


def _about_the_mine(n: int, **fields: object) -> PetitionItem:
    return submit_item(
        **_recorded(
            content=MINE[n],
            items=[ItemDataFactory(sector=sector("moi-truong"), summary="Ô nhiễm do mỏ đá")],
            **fields,
        )
    )


@pytest.fixture
def leader() -> User:
    return staff_of("ubnd-xa-muong-kim", User.Role.LEADER)


def test_same_submitter_with_similar_content_is_suggested_as_a_duplicate() -> None:
    first = _about_the_boundary(submitters=[_same_person()])
    second = _about_the_boundary(submitters=[_same_person("+84 912345678")])
    assert second.suspected_duplicate_of == first
    flag = second.events.get(kind=ItemEvent.Kind.FLAGGED)
    assert flag.data["flag"] == "duplicate"
    assert flag.data["other"] == first.pk
    assert str(first) in flag.note


def test_content_typed_without_diacritics_is_still_a_duplicate() -> None:
    first = _about_the_boundary(submitters=[_same_person()])
    second = _about_the_boundary(BOUNDARY_ASCII, submitters=[_same_person()])
    assert second.suspected_duplicate_of == first


def test_similar_content_from_another_submitter_is_not_a_duplicate() -> None:
    _about_the_boundary(submitters=[_same_person()])
    other = _about_the_boundary(submitters=[_same_person("0987 000 111")])
    assert other.suspected_duplicate_of is None


def test_same_submitter_on_another_matter_is_not_a_duplicate() -> None:
    _about_the_boundary(submitters=[_same_person()])
    other = submit_item(
        **_recorded(
            content="Đề nghị xét trợ cấp cho mẹ tôi 82 tuổi sống một mình",
            items=[ItemDataFactory(summary="Trợ cấp người cao tuổi")],
            submitters=[_same_person()],
        )
    )
    assert other.suspected_duplicate_of is None


def test_group_of_five_people_is_a_mass_complaint() -> None:
    item = submit_item(**_recorded(**group_of(5, 1)))
    assert item.is_mass
    assert Petition.objects.get(pk=item.petition_id).is_mass
    assert item.events.get(kind=ItemEvent.Kind.FLAGGED).data["flag"] == "mass"


def test_group_of_four_people_is_not_a_mass_complaint() -> None:
    item = submit_item(**_recorded(**group_of(4, 1)))
    assert not item.is_mass
    assert not Petition.objects.get(pk=item.petition_id).is_mass


def test_four_similar_petitions_about_one_commune_raise_no_hotspot() -> None:
    items = [_about_the_mine(n) for n in range(4)]
    assert not any(PetitionItem.objects.get(pk=i.pk).is_mass for i in items)
    assert not Hotspot.objects.exists()


def test_five_similar_petitions_within_30_days_form_a_hotspot_and_alert_the_leader(
    leader: User, time_machine, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        items = []
        for n, day in enumerate([1, 5, 12, 20, 28]):
            time_machine.move_to(on(2025, 8, day), tick=False)
            items.append(_about_the_mine(n))
    hotspot = Hotspot.objects.get()
    assert (hotspot.unit.code, hotspot.sector.code, hotspot.size) == (
        "xa-muong-kim",
        "moi-truong",
        5,
    )
    assert set(hotspot.items.all()) == set(items)
    assert (hotspot.first_received_on, hotspot.last_received_on) == (
        dt.date(2025, 8, 1),
        dt.date(2025, 8, 28),
    )
    assert all(PetitionItem.objects.get(pk=i.pk).is_mass for i in items)
    assert Petition.objects.filter(is_mass=True).count() == 5
    flags = ItemEvent.objects.filter(kind=ItemEvent.Kind.FLAGGED, data__flag="mass")
    assert sorted(flags.values_list("item_id", flat=True)) == sorted(i.pk for i in items)
    assert len(set(flags.values_list("note", flat=True))) == 1  # one cluster, one note
    notification = Notification.objects.get(recipient=leader)
    assert notification.kind == "hotspot"
    assert "Mường Kim" in notification.title


def test_sixth_similar_petition_joins_the_hotspot_without_a_second_alert(
    leader: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            _about_the_mine(n)
    with django_capture_on_commit_callbacks(execute=True):
        sixth = _about_the_mine(5)
    hotspot = Hotspot.objects.get()
    assert hotspot.size == 6
    assert sixth in hotspot.items.all()
    assert PetitionItem.objects.get(pk=sixth.pk).is_mass
    assert Notification.objects.filter(recipient=leader).count() == 1


def test_similar_petitions_more_than_30_days_apart_form_no_hotspot(time_machine) -> None:
    for n, day in enumerate(
        [dt.date(2025, 6, 2), dt.date(2025, 7, 7), dt.date(2025, 8, 11), dt.date(2025, 9, 15)]
        + [dt.date(2025, 10, 20)]
    ):
        time_machine.move_to(on(day.year, day.month, day.day), tick=False)
        _about_the_mine(n)
    assert not Hotspot.objects.exists()


def test_similar_petitions_about_different_communes_form_no_hotspot() -> None:
    for n in range(5):
        commune = "xa-muong-kim" if n % 2 else "phuong-tan-phong"
        _about_the_mine(n, location_unit=unit(commune))
    assert not Hotspot.objects.exists()


def test_leader_of_another_commune_is_not_alerted(
    leader: User, django_capture_on_commit_callbacks
) -> None:
    tan_phong = staff_of("ubnd-phuong-tan-phong", User.Role.LEADER)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            _about_the_mine(n)
    assert Notification.objects.filter(recipient=leader).count() == 1
    assert not Notification.objects.filter(recipient=tan_phong).exists()


def test_hotspot_about_a_village_alerts_the_communes_leaders(
    leader: User, django_capture_on_commit_callbacks
) -> None:
    village = UnitFactory(
        code="xa-muong-kim-ban-na-phat", name="Bản Nà Phát", parent=unit("xa-muong-kim")
    )
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            _about_the_mine(n, location_unit=village)
    assert Hotspot.objects.get().size == 5
    assert Notification.objects.filter(recipient=leader, kind="hotspot").count() == 1


def test_one_person_repeating_a_petition_five_times_is_not_a_mass_complaint() -> None:
    items = [_about_the_boundary(submitters=[_same_person()]) for _ in range(5)]
    assert [i.suspected_duplicate_of_id is not None for i in items] == [False] + [True] * 4
    assert not PetitionItem.objects.filter(is_mass=True).exists()
    assert not Hotspot.objects.exists()


def test_items_keep_their_words_and_place_commune_for_detection() -> None:
    village = UnitFactory(
        code="xa-muong-kim-ban-na-phat", name="Bản Nà Phát", parent=unit("xa-muong-kim")
    )
    item = PetitionItem.objects.get(pk=_about_the_mine(0, location_unit=village).pk)
    assert item.place_commune == unit("xa-muong-kim")
    assert item.words.split() == sorted(item.words.split())
    assert {"mo", "da", "nut", "nha"} <= set(item.words.split())
    assert item.word_count == len(item.words.split())
    assert item.submitter_key == item.petition.submitter_key != ""


def test_items_stored_before_word_sets_existed_are_still_compared() -> None:
    """Rows written before the ``words`` column (empty) are compared on their text."""
    earlier = [_about_the_mine(n) for n in range(4)]
    PetitionItem.objects.filter(pk__in=[i.pk for i in earlier]).update(words="", word_count=0)
    fifth = _about_the_mine(4)
    assert Hotspot.objects.get().size == 5
    assert PetitionItem.objects.filter(pk__in=[i.pk for i in earlier], is_mass=True).count() == 4
    assert PetitionItem.objects.get(pk=fifth.pk).is_mass
    again = _about_the_boundary(submitters=[_same_person()])
    PetitionItem.objects.filter(pk=again.pk).update(words="", word_count=0)
    assert _about_the_boundary(submitters=[_same_person()]).suspected_duplicate_of_id == again.pk


@pytest.mark.postgres
@pytest.mark.fast_paths
@pytest.mark.direct_connection  # PgBouncer 1.18 in transaction mode: nothing is prepared
def test_detection_reads_are_planned_once_per_connection() -> None:
    """The reads of every submission are prepared on the server after five runs."""
    from django.db import connection

    for n in range(6):
        _about_the_mine(n % len(MINE), submitters=[_same_person(f"0912 000 00{n}")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("place_commune_id" in sql for sql in prepared)
    assert any("submitter_key" in sql and "kind" in sql for sql in prepared)


@pytest.mark.django_db(transaction=True)
def test_a_cluster_completed_outside_any_transaction_is_written_with_its_petition(
    reference_data: None,
) -> None:
    """As in a running portal, where no test transaction wraps the submission: the petition
    completing a cluster is written, with the earlier items flagged and the hotspot raised,
    all or nothing (in a transaction of its own)."""
    staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    items = [_about_the_mine(n) for n in range(5)]
    hotspot = Hotspot.objects.get()
    assert hotspot.size == 5
    assert set(hotspot.items.all()) == set(items)
    assert PetitionItem.objects.filter(is_mass=True).count() == 5
    assert Notification.objects.filter(kind="hotspot").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_petitions_joining_a_hotspot_at_once_are_each_counted_once(reference_data: None) -> None:
    """Six similar petitions sent at the same moment to an open hotspot: the hotspot's row is
    locked while each adds its items, so its size is the number of its items."""
    import threading

    from django.db import connection

    for n in range(5):
        _about_the_mine(n)
    start = threading.Barrier(6)
    failures: list[BaseException] = []

    def send(n: int) -> None:
        try:
            start.wait()
            _about_the_mine(n)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    hotspot = Hotspot.objects.get()
    assert hotspot.items.count() == 11
    assert hotspot.size == 11
