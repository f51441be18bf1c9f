"""Reference rows kept by each process for a few seconds.

A submission reads the same rule rows as the one before it: the routing table, the agency of
each unit, the legal time limits. Each process keeps what it read for ``SECONDS`` instead of
asking the database again; saving or deleting such a row (``gov.signals``) forgets everything in
the process that saved it, and the others see the change within ``SECONDS``. Only small,
rarely edited reference tables belong here, never a petition or a person.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

SECONDS = 10.0
MAX_ENTRIES = 20_000  # a bound on memory: past it, start again

_store: dict[Hashable, tuple[float, object]] = {}


def remembered(key: Hashable, load: Callable[[], T]) -> T:
    """``load()``, or what it returned for ``key`` less than ``SECONDS`` ago in this process."""
    now = time.monotonic()
    hit = _store.get(key)
    if hit is not None and now - hit[0] < SECONDS:
        return hit[1]  # type: ignore[return-value]
    value = load()
    if len(_store) >= MAX_ENTRIES:
        _store.clear()
    _store[key] = (now, value)
    return value


def forget(key: Hashable) -> None:
    _store.pop(key, None)


def forget_all() -> None:
    _store.clear()
