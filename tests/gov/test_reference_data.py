"""Lai Châu's units and agencies as loaded from gov/data."""

from __future__ import annotations

import datetime as dt

import pytest

from gov.models import AdministrativeUnit, Agency, Sector, TimeLimitRule
from gov.reference_data import reference_data_load

pytestmark = pytest.mark.django_db
Level = AdministrativeUnit.Level


def test_province_has_38_current_communes_and_wards() -> None:
    current = AdministrativeUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True)
    assert current.count() == 38
    assert current.filter(unit_type="ward").count() == 2
    assert set(current.filter(unit_type="ward").values_list("name", flat=True)) == {
        "Tân Phong",
        "Đoàn Kết",
    }
    province = AdministrativeUnit.objects.get(level=Level.PROVINCE)
    assert province.name == "Lai Châu"
    assert all(u.parent_id == province.pk for u in current)
    assert all(u.valid_from == dt.date(2025, 7, 1) for u in current)


def test_eight_former_districts_end_on_30_june_2025() -> None:
    districts = AdministrativeUnit.objects.filter(level=Level.DISTRICT)
    assert districts.count() == 8
    assert set(districts.values_list("valid_to", flat=True)) == {dt.date(2025, 6, 30)}
    assert {d.current().level for d in districts} == {Level.PROVINCE}


def test_former_communes_route_to_their_successor() -> None:
    former = AdministrativeUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=False)
    assert former.count() == 106
    assert not former.filter(successor__isnull=True).exists()
    ta_mung = AdministrativeUnit.objects.get(name="Tà Mung")
    assert ta_mung.parent.name == "Than Uyên"
    assert ta_mung.current().name == "Mường Kim"
    assert ta_mung.is_valid_on(dt.date(2025, 6, 30))
    assert not ta_mung.is_valid_on(dt.date(2025, 7, 1))


def test_the_two_former_units_named_muong_te_are_kept_apart() -> None:
    town = AdministrativeUnit.objects.get(name="Mường Tè", unit_type="town")
    commune = AdministrativeUnit.objects.get(
        name="Mường Tè", unit_type="commune", valid_to__isnull=False
    )
    assert town.current().name == "Bum Tở"
    assert commune.current().name == "Mường Tè"


def test_tree_paths_nest() -> None:
    ta_mung = AdministrativeUnit.objects.get(name="Tà Mung")
    assert [u.name for u in ta_mung.ancestors()] == ["Lai Châu", "Than Uyên"]
    assert AdministrativeUnit.objects.filter(path__startswith=ta_mung.parent.path).count() == 13


def test_every_current_commune_has_a_peoples_committee_and_council() -> None:
    for unit in AdministrativeUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True):
        kinds = set(unit.agencies.values_list("kind", flat=True))
        assert {Agency.Kind.PEOPLES_COMMITTEE, Agency.Kind.PEOPLES_COUNCIL} <= kinds, unit
    ubnd = Agency.objects.get(code="ubnd-xa-muong-kim")
    assert ubnd.name == "Ủy ban nhân dân xã Mường Kim"
    assert ubnd.parent.code == "ubnd-tinh"
    assert ubnd.sectors.count() == Sector.objects.count()


def test_provincial_agencies_and_their_competence() -> None:
    for code in [
        "thanh-tra-tinh",
        "ban-tiep-cong-dan-tinh",
        "hdnd-tinh",
        "so-y-te",
        "so-tu-phap",
        "so-noi-vu",
        "so-giao-duc-dao-tao",
        "so-xay-dung",
        "so-nong-nghiep-moi-truong",
    ]:
        assert Agency.objects.filter(code=code, valid_to__isnull=True).exists(), code
    tnmt = Agency.objects.get(code="so-tai-nguyen-moi-truong")
    assert tnmt.valid_to == dt.date(2025, 2, 28)
    assert tnmt.successor.code == "so-nong-nghiep-moi-truong"
    assert set(tnmt.sectors.values_list("code", flat=True)) >= {"dat-dai", "moi-truong"}
    assert Agency.objects.get(code="ubnd-huyen-tam-duong").valid_to == dt.date(2025, 6, 30)


def test_loading_twice_duplicates_nothing() -> None:
    counts = (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        Sector.objects.count(),
        TimeLimitRule.objects.count(),
    )
    reference_data_load()
    assert counts == (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        Sector.objects.count(),
        TimeLimitRule.objects.count(),
    )


def test_reload_keeps_an_administrators_correction_of_a_rule() -> None:
    rule = TimeLimitRule.objects.get(kind="recommendation", stage="resolution", variant="normal")
    rule.days = 20
    rule.save(update_fields=["days"])
    reference_data_load()
    rule.refresh_from_db()
    assert rule.days == 20


def test_reload_keeps_an_administrators_remote_area_flag() -> None:
    unit = AdministrativeUnit.objects.get(code="xa-muong-kim")
    unit.is_remote = True  # an administrator's flag survives a reload
    unit.save(update_fields=["is_remote"])
    reference_data_load()
    unit.refresh_from_db()
    assert unit.is_remote is True
