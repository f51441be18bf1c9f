"""Fixtures of the security tests (a module may define its own of the same name):

- ``who``: the accounts of the owning-agency matrix on 1 June 2026 (``test_owning_agency_*.py``);
- ``ward``: a dialogue and a promise of Tân Phong, and the province's accounts that read them
  (``test_owning_agency_pages.py``, ``test_access_refused.py``);
- ``case``: a petition of Mường Kim with a file, its item and Mường Kim's staff
  (``test_uploads_*.py``)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from tests.complaints.factories import agency, on, unit
from tests.dialogues import factories as f
from tests.gov.factories import staff_of
from tests.security.owning_agency_matrix import LATER, TODAY, TP, Accounts, Role
from tests.security.uploads_helpers import _with_file


@pytest.fixture
def who(time_machine) -> Accounts:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    return Accounts()


@pytest.fixture
def ward(time_machine) -> SimpleNamespace:
    """A dialogue planned and a promise made by the ward of Tân Phong, and accounts of the
    province that read them: a department's handler, the administrator, the leaders."""
    time_machine.move_to(on(2026, 6, 1), tick=False)
    leader = staff_of(TP, Role.LEADER)
    planned = f.dialogue(
        by=leader,
        date=TODAY + dt.timedelta(days=14),
        agency=agency(TP),
        unit=unit("phuong-tan-phong"),
        topic="Chỉnh trang vỉa hè tổ 5",
    )
    promise = f.commitment(
        by=leader,
        made_on=TODAY,
        deadline=LATER,
        owner_agency=agency(TP),
        source_object=f.held_dialogue(
            by=leader, date=TODAY, agency=agency(TP), unit=unit("phuong-tan-phong")
        ),
        content="Lát lại vỉa hè tổ 5 trước mùa mưa",
    )
    return SimpleNamespace(
        leader=leader,
        dialogue=planned,
        promise=promise,
        department=staff_of("so-nong-nghiep-moi-truong", Role.HANDLER),
        administrator=staff_of("van-phong-ubnd-tinh", Role.ADMINISTRATOR),
        province=staff_of("ubnd-tinh", Role.LEADER),
    )


@pytest.fixture
def case() -> Any:
    from tests.complaints.factories import muong_kim_staff

    petition = _with_file()
    return SimpleNamespace(
        petition=petition,
        item=petition.items.get(),
        attachment=petition.attachments.get(),
        mk=muong_kim_staff(),
    )
