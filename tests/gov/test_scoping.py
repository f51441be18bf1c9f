"""One scoping function decides what a staff member may see; anything else is a 404."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from gov.models import AdministrativeUnit, Agency, User
from gov.scoping import get_scoped_or_404, scoped
from tests.gov.factories import StaffFactory, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def muong_kim_officer() -> User:
    return staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_commune_officer_sees_only_the_commune_subtree(muong_kim_officer: User) -> None:
    units = scoped(muong_kim_officer, AdministrativeUnit.objects.all())
    assert set(units.values_list("code", flat=True)) == {"xa-muong-kim"}
    agencies = scoped(muong_kim_officer, Agency.objects.all())
    assert set(agencies.values_list("code", flat=True)) == {
        "ubnd-xa-muong-kim",
        "hdnd-xa-muong-kim",
    }


def test_commune_officer_gets_404_for_another_communes_unit_and_agency(
    muong_kim_officer: User,
) -> None:
    client = _client(muong_kim_officer)
    assert client.get(reverse("gov:staff_unit", args=["xa-muong-kim"])).status_code == 200
    assert client.get(reverse("gov:staff_agency", args=["ubnd-xa-muong-kim"])).status_code == 200
    assert client.get(reverse("gov:staff_unit", args=["phuong-tan-phong"])).status_code == 404
    assert (
        client.get(reverse("gov:staff_agency", args=["ubnd-phuong-tan-phong"])).status_code == 404
    )
    assert client.get(reverse("gov:staff_agency", args=["ubnd-tinh"])).status_code == 404


def test_provincial_leader_sees_the_whole_province() -> None:
    leader = staff_of("ubnd-tinh", User.Role.LEADER)
    assert (
        scoped(leader, AdministrativeUnit.objects.all()).count()
        == AdministrativeUnit.objects.count()
    )
    client = _client(leader)
    assert client.get(reverse("gov:staff_unit", args=["phuong-tan-phong"])).status_code == 200
    assert client.get(reverse("gov:staff_agency", args=["ubnd-xa-muong-kim"])).status_code == 200


def test_staff_of_another_commune_are_out_of_scope(muong_kim_officer: User) -> None:
    other = staff_of("ubnd-phuong-tan-phong")
    assert muong_kim_officer in scoped(muong_kim_officer, User.objects.all())
    assert other not in scoped(muong_kim_officer, User.objects.all())
    with pytest.raises(Http404):
        get_scoped_or_404(muong_kim_officer, User.objects.all(), pk=other.pk)


def test_account_without_agency_sees_nothing() -> None:
    user = StaffFactory(agency=None, role="")
    assert not scoped(user, AdministrativeUnit.objects.all()).exists()
    assert _client(user).get(reverse("gov:staff_unit", args=["xa-muong-kim"])).status_code == 404


def test_inactive_account_sees_nothing(muong_kim_officer: User) -> None:
    muong_kim_officer.is_active = False
    assert not scoped(muong_kim_officer, AdministrativeUnit.objects.all()).exists()


def test_anonymous_visitor_is_sent_to_login() -> None:
    response = Client().get(reverse("gov:staff_unit", args=["xa-muong-kim"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("gov:login"))


def test_staff_home_lists_only_the_scope(muong_kim_officer: User) -> None:
    body = _client(muong_kim_officer).get(reverse("gov:staff_home")).content.decode()
    assert "Ủy ban nhân dân xã Mường Kim" in body
    assert "Tân Phong" not in body


def test_admin_lists_are_scoped_too() -> None:
    commune_admin = staff_of("ubnd-xa-muong-kim", User.Role.ADMINISTRATOR, is_staff=True)
    from gov.services import administrators_group

    commune_admin.groups.add(administrators_group())
    client = _client(commune_admin)
    response = client.get(reverse("admin:gov_agency_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ủy ban nhân dân xã Mường Kim" in body
    assert "Ủy ban nhân dân phường Tân Phong" not in body
    other = Agency.objects.get(code="ubnd-phuong-tan-phong")
    assert client.get(reverse("admin:gov_agency_change", args=[other.pk])).status_code in {302, 404}


def test_the_province_reads_its_own_path_columns_without_a_filter() -> None:
    """The province is the one root: a provincial officer's scope holds every row, so a model
    whose path is its own column is read unfiltered; a path through a link (which may be
    missing) is still filtered, and a second root turns the shortcut off."""
    from complaints.models import PetitionItem
    from gov import memo

    leader = staff_of("ubnd-tinh", User.Role.LEADER)
    officer = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)
    assert "LIKE" not in str(scoped(leader, PetitionItem.objects.all()).query)
    assert "LIKE" in str(scoped(officer, PetitionItem.objects.all()).query)
    assert "LIKE" in str(scoped(leader, User.objects.all()).query)  # agency may be missing
    AdministrativeUnit.objects.create(code="tinh-khac", name="Tỉnh khác", unit_type="province")
    memo.forget_all()
    assert "LIKE" in str(scoped(leader, PetitionItem.objects.all()).query)
