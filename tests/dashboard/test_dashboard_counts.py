"""The leaders' overview: who may see it and what it counts."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import PetitionItem
from complaints.services import item_accept
from dashboard import selectors
from gov.models import User
from tests.dashboard.dashboard_helpers import URL, _client
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db


# --- access --------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and reverse("gov:login") in response.url


@pytest.mark.parametrize("role", [User.Role.HANDLER, User.Role.RECEPTION_OFFICER])
def test_staff_other_than_leaders_are_told_the_page_is_for_leaders(role: str) -> None:
    """Issue 18, item 7: a page that exists for another role says so (403), not "not found"."""
    response = _client(staff_of("ubnd-xa-muong-kim", role)).get(URL)
    assert response.status_code == 403
    assert "Trang này dành cho lãnh đạo." in response.content.decode()


def test_leaders_administrators_and_superusers_see_the_page(mk: SimpleNamespace) -> None:
    admin = staff_of("ubnd-tinh", User.Role.ADMINISTRATOR)
    superuser = User.objects.create_superuser("root", password="secret-pass-123")
    for user in (mk.leader, admin, superuser):
        assert _client(user).get(URL).status_code == 200


def test_commune_leader_sees_only_their_commune(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    board = selectors.deadline_board(mk.leader)
    assert (board.total.overdue, board.total.due_soon) == (4, 1)
    assert [row.obj.code for row in board.units] == ["xa-muong-kim"]
    assert [row.obj.code for row in board.agencies] == ["ubnd-xa-muong-kim"]
    response = _client(mk.leader).get(URL)
    assert response.status_code == 200 and "Mường Kim" in response.content.decode()
    assert "Bản Bo" not in response.content.decode()


def test_provincial_leader_sees_every_commune(march_2025: SimpleNamespace) -> None:
    board = selectors.deadline_board(staff_of("ubnd-tinh", User.Role.LEADER))
    assert (board.total.overdue, board.total.due_soon) == (5, 1)
    by_unit = {row.obj.code: row.counts.overdue for row in board.units}
    assert by_unit == {"xa-muong-kim": 4, "xa-ban-bo": 1}


# --- counts --------------------------------------------------------------------------------


def test_overdue_items_fall_in_their_aging_bands(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    board = selectors.deadline_board(staff_of("ubnd-tinh", User.Role.LEADER))
    assert board.today == dt.date(2025, 3, 25) and board.until == dt.date(2025, 3, 28)
    assert board.total.aging == {"1-5": 1, "6-10": 2, "11-30": 1, "31+": 1}
    muong_kim = next(r for r in board.agencies if r.obj.code == "ubnd-xa-muong-kim")
    assert muong_kim.counts.aging == {"1-5": 1, "6-10": 1, "11-30": 1, "31+": 1}
    assert muong_kim.counts.due_soon == 1


def test_handler_rows_count_assigned_and_unassigned_items(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    item = march_2025.items[(2025, 3, 10)]
    item_accept(item=item, by=mk.leader, handler=mk.handler, accepted_on=dt.date(2025, 3, 11))
    board = selectors.deadline_board(mk.leader)
    rows = {row.obj: row.counts for row in board.handlers}
    # Accepted on 11/3, the item has a new resolution deadline, not yet due.
    assert mk.handler not in rows
    assert rows[None].overdue == 3


def test_concluded_and_closed_items_are_not_overdue(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    item = march_2025.items[(2025, 2, 3)]
    PetitionItem.objects.filter(pk=item.pk).update(status="filed")
    assert selectors.deadline_board(mk.leader).total.aging["31+"] == 0


def test_alerts_count_open_skip_level_and_mass_items(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    items = march_2025.items
    PetitionItem.objects.filter(pk=items[(2025, 3, 3)].pk).update(is_skip_level=True)
    PetitionItem.objects.filter(pk__in=[items[(2025, 3, 10)].pk, march_2025.ban_bo.pk]).update(
        is_mass=True
    )
    alerts = selectors.alerts(mk.leader)
    assert (alerts.skip_level, alerts.mass, alerts.hotspots) == (1, 1, 0)
