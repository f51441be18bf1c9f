"""Writes belong to the owning agency (issue 13, item 2): every write service of the dialogues and reception apps, tried as every kind of account (``owning_agency_matrix``); exactly the owner's staff may, and a refused write changes nothing."""

from __future__ import annotations

import pytest
from django.utils import translation

from dialogues import services
from reception import services as reception
from tests.complaints.factories import agency
from tests.security.owning_agency_matrix import ACTORS, WRITES, Accounts, _everything
from tests.writes import write_services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("write", list(WRITES))
def test_only_the_owning_agency_writes(who: Accounts, write: str, actor: str) -> None:
    spec = WRITES[write]
    act = spec.prepare(who)
    by = who(actor)
    if actor in spec.allowed:
        act(by)
        return
    before = _everything()
    with translation.override("vi"), pytest.raises(spec.refused) as refused:
        act(by)
    assert agency(spec.owner).name in refused.value.messages[0]
    assert "mới được thực hiện" in refused.value.messages[0]  # the Vietnamese message
    assert _everything() == before


def test_every_write_service_is_in_the_matrix() -> None:
    """A new write service of these apps must join the matrix above."""
    assert write_services(services, reception) == set(WRITES)
