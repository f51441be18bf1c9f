"""Fixtures of the reception tests: ``mk``, the reception staff of Mường Kim, and ``officer``,
its reception officer (a module may define its own)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from gov.models import User
from tests.gov.factories import staff_of
from tests.reception.factories import (
    MUONG_KIM,
    reception_staff,
)
from tests.reception.views_helpers import MK, Role


@pytest.fixture
def mk() -> SimpleNamespace:
    return reception_staff(MUONG_KIM)


@pytest.fixture
def officer() -> User:
    return staff_of(MK, Role.RECEPTION_OFFICER)
