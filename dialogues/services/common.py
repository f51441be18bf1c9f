"""What the accountability services share: the refusal, the owner's check (gov.authority), the
legal time limits with a missing rule made a message, and the date checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import FollowUpEvent
from gov import authority
from gov.errors import Refused
from gov.models import Agency, User
from gov.selectors import Deadline, NoTimeLimitRule
from gov.selectors import deadline_for as _deadline_for


def deadline_for(*, kind: str, stage: str, start: dt.date) -> Deadline:
    """``gov.selectors.deadline_for``, with a missing rule turned into a message for the user."""
    try:
        return _deadline_for(kind=kind, stage=stage, start=start)
    except NoTimeLimitRule as exc:
        raise Refused(
            _("No legal time limit is recorded for this date; ask an administrator to add one.")
        ) from exc


def _check_actor(by: User, act: str, agency: Agency) -> None:
    """The write acts for ``agency``, the record's owner (``gov.authority`` says who may)."""
    authority.require(by, act, agency, refused=Refused)


Record = TypeVar("Record", bound=models.Model)


def _locked_for(
    record: Record,
    by: User,
    act: str,
    *,
    owner: str | Callable[[Record], Agency],
    related: tuple[str, ...] = (),
) -> Record:
    """``record`` as it is now (another request may have moved it), its row locked, once
    ``by`` may do ``act`` for its owner: the agency in the field ``owner``, or that
    ``owner(record)`` names. Every write to an existing record starts here."""
    joins = (f"{owner}__parent",) if isinstance(owner, str) else ()
    locked = (
        type(record)
        ._default_manager.select_for_update(of=("self",))
        .select_related(*joins, *related)
        .get(pk=record.pk)
    )
    _check_actor(by, act, getattr(locked, owner) if isinstance(owner, str) else owner(locked))
    return locked


Kind = FollowUpEvent.Kind


def _not_future(day: dt.date, what: str) -> None:
    if day > timezone.localdate():
        raise Refused(_("%(what)s cannot be in the future.") % {"what": what})
