"""Which agency is competent for an item, and when a petition skipped a level."""

from __future__ import annotations

import pytest

from complaints.models import ItemEvent, PetitionItem
from complaints.services import item_accept, item_conclude
from gov.models import User
from tests.complaints.factories import ItemDataFactory, Kind, agency, sector, submit_item, unit
from tests.gov.factories import UnitFactory, staff_of

pytestmark = pytest.mark.django_db


def _land_complaint(**fields: object) -> ItemDataFactory:
    return ItemDataFactory(
        kind=Kind.COMPLAINT,
        contested_decision="Quyết định số 27/QĐ-UBND về thu hồi đất nương",
        issuer_agency=agency("ubnd-xa-muong-kim"),
        **fields,
    )


def _decided_first_complaint() -> PetitionItem:
    first = submit_item(items=[_land_complaint()])
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    item_accept(item=first, by=leader, handler=leader)
    return item_conclude(
        item=first, by=leader, conclusion="Giữ nguyên quyết định.", decision_number="5/QĐ-UBND"
    )


def test_petition_naming_a_former_commune_goes_to_its_successor() -> None:
    item = submit_item(
        location_unit=unit("ta-mung-03638"), receiving_agency=agency("ubnd-xa-muong-kim")
    )
    petition = item.petition
    assert petition.location_unit.name == "Tà Mung"  # as the citizen named it
    assert petition.unit.code == "xa-muong-kim"
    assert item.proposed_agency.code == "ubnd-xa-muong-kim"
    assert not item.is_skip_level


def test_petition_about_a_village_is_routed_to_its_commune() -> None:
    village = UnitFactory(
        code="xa-muong-kim-test-ban", name="Bản Nà Phát", parent=unit("xa-muong-kim")
    )
    item = submit_item(location_unit=village)
    assert item.proposed_agency.code == "ubnd-xa-muong-kim"


def test_land_recommendation_sent_to_the_province_board_is_skip_level() -> None:
    item = submit_item(receiving_agency=agency("ban-tiep-cong-dan-tinh"))
    assert item.proposed_agency.code == "ubnd-xa-muong-kim"
    assert item.is_skip_level
    assert "Ủy ban nhân dân xã Mường Kim" in item.skip_level_reason
    flag = item.events.get(kind=ItemEvent.Kind.FLAGGED)
    assert (flag.data["flag"], flag.note) == ("skip_level", item.skip_level_reason)


def test_land_recommendation_sent_to_the_commune_is_not_skip_level() -> None:
    item = submit_item(receiving_agency=agency("ubnd-xa-muong-kim"))
    assert item.proposed_agency.code == "ubnd-xa-muong-kim"
    assert (item.is_skip_level, item.skip_level_reason) == (False, "")
    assert not item.events.filter(kind=ItemEvent.Kind.FLAGGED).exists()


def test_first_complaint_against_a_commune_decision_goes_to_the_commune() -> None:
    item = submit_item(items=[_land_complaint()])
    assert item.complaint_round == 1
    assert item.proposed_agency.code == "ubnd-xa-muong-kim"


def test_second_complaint_against_a_commune_decision_goes_to_the_province() -> None:
    first = _decided_first_complaint()
    second = submit_item(
        receiving_agency=agency("ubnd-tinh"), items=[_land_complaint(first_round_item=first)]
    )
    assert second.complaint_round == 2
    assert second.proposed_agency.code == "ubnd-tinh"
    assert not second.is_skip_level
    assert second.events.filter(kind=ItemEvent.Kind.SECOND_COMPLAINT).exists()


def test_second_complaint_lodged_while_the_first_is_open_is_skip_level() -> None:
    first = submit_item(items=[_land_complaint()])
    second = submit_item(
        receiving_agency=agency("ubnd-tinh"), items=[_land_complaint(first_round_item=first)]
    )
    assert second.proposed_agency.code == "ubnd-tinh"
    assert second.is_skip_level
    assert second.skip_level_reason


def test_complaint_against_an_abolished_district_goes_to_its_successor() -> None:
    item = submit_item(
        items=[ItemDataFactory(kind=Kind.COMPLAINT, issuer_agency=agency("ubnd-huyen-than-uyen"))]
    )
    assert item.proposed_agency.code == "ubnd-tinh"


def test_denunciation_of_a_department_head_goes_to_the_provincial_committee() -> None:
    item = submit_item(
        receiving_agency=agency("ban-tiep-cong-dan-tinh"),
        items=[
            ItemDataFactory(
                kind=Kind.DENUNCIATION,
                sector=sector("can-bo-cong-chuc"),
                denounced_person="Giám đốc Sở Nông nghiệp và Môi trường",
                denounced_agency=agency("so-nong-nghiep-moi-truong"),
                denounced_is_head=True,
            )
        ],
    )
    assert item.proposed_agency.code == "ubnd-tinh"


def test_denunciation_of_a_department_officer_goes_to_the_department() -> None:
    item = submit_item(
        receiving_agency=agency("ban-tiep-cong-dan-tinh"),
        items=[
            ItemDataFactory(
                kind=Kind.DENUNCIATION,
                sector=sector("can-bo-cong-chuc"),
                denounced_person="Chuyên viên phòng Đất đai",
                denounced_agency=agency("so-nong-nghiep-moi-truong"),
            )
        ],
    )
    assert item.proposed_agency.code == "so-nong-nghiep-moi-truong"


def test_judicial_activity_is_guided_to_the_courts_not_routed() -> None:
    item = submit_item(
        items=[ItemDataFactory(kind=Kind.COMPLAINT, sector=sector("tu-phap-to-tung"))]
    )
    assert item.proposed_agency is None
    assert not item.is_skip_level
