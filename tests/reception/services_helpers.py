"""What the tests of the reception services (``test_services_*.py``) share: refusals read in
English and the day they run on (autouse fixtures, imported by each module), dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import translation
from time_machine import TimeMachineFixture

from reception.models import (
    ReceptionEvent,
)
from tests.complaints.factories import on

D = dt.date
EventKind = ReceptionEvent.Kind


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Refusals are matched on their English source text, which says which rule refused;
    what an officer reads is its Vietnamese translation, kept in ``locale/``."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _today(time_machine: TimeMachineFixture) -> None:
    """Monday 20 October 2025, after the commune reform of 1 July 2025."""
    time_machine.move_to(on(2025, 10, 20), tick=False)
