"""Legal numbers that are not time limits, with their source (shared/domain.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _

# Luật Tiếp công dân 42/2013/QH13 Art. 29 [T]: a group of 5–10 people names 1–2
# representatives; more than 10 people, up to 5.
GROUP_MIN_PEOPLE = 5
REPRESENTATIVES_UP_TO_10 = (1, 2)
REPRESENTATIVES_OVER_10 = (1, 5)
GROUP_SOURCE = "Luật Tiếp công dân 42/2013/QH13, Art. 29"


def representatives_allowed(group_size: int) -> tuple[int, int] | None:
    """(min, max) representatives a group of ``group_size`` names; None below a group."""
    if group_size < GROUP_MIN_PEOPLE:
        return None
    return REPRESENTATIVES_UP_TO_10 if group_size <= 10 else REPRESENTATIVES_OVER_10


def representatives_error(group_size: int, representatives: int) -> str:
    """A message when the number of representatives breaks the rule, else ""."""
    allowed = representatives_allowed(group_size)
    if allowed is None:
        return ""
    low, high = allowed
    if low <= representatives <= high:
        return ""
    return _(
        "A group of %(size)s people names %(low)s to %(high)s representatives (%(source)s); "
        "%(n)s were named."
    ) % {"size": group_size, "low": low, "high": high, "source": GROUP_SOURCE, "n": representatives}
