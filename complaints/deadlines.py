"""The deadlines of petition items, from the rules table and the working calendar.

Stages (shared/domain.md):
- on receipt: processing (xử lý đơn, 10 working days; a denunciation 7, or 10 when complex);
  for a complaint also acceptance (thụ lý): the earlier of the two applies;
- from acceptance: resolution (first or second complaint, denunciation, recommendation,
  feedback), in its normal, complex, remote or remote-complex variant;
- extensions: a denunciation may be extended once (complex) or twice (especially complex) by
  30 days (Luật Tố cáo Art. 30); a complaint has no extension, but becoming complex moves it to
  the longer limit (Luật Khiếu nại Art. 28, 37).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from gov.models import PetitionKind, TimeLimitRule
from gov.selectors import Deadline, deadline_for
from gov.workdays import get_calendar

from .models import ItemDeadline, PetitionItem, Status

if TYPE_CHECKING:
    from gov.models import User

Stage = TimeLimitRule.Stage
Variant = TimeLimitRule.Variant


class DeadlineError(ValueError):
    """A deadline change the law does not allow; the message is for the user."""


def intake_deadline(item: PetitionItem, *, received_on: dt.date) -> tuple[str, Deadline]:
    """The first deadline of a received item: processing, or for a complaint the earlier of
    processing and acceptance."""
    variant = (
        Variant.COMPLEX
        if item.kind == PetitionKind.DENUNCIATION and item.is_complex
        else Variant.NORMAL
    )
    options = [
        (
            Stage.PROCESSING,
            deadline_for(
                kind=item.kind, stage=Stage.PROCESSING, start=received_on, variant=variant
            ),
        )
    ]
    if item.kind == PetitionKind.COMPLAINT:
        options.append(
            (
                Stage.ACCEPTANCE,
                deadline_for(
                    kind=PetitionKind.COMPLAINT, stage=Stage.ACCEPTANCE, start=received_on
                ),
            )
        )
    return min(options, key=lambda o: o[1].due)


def resolution_stage(item: PetitionItem) -> str:
    if item.kind == PetitionKind.COMPLAINT and item.complaint_round >= 2:
        return Stage.SECOND_RESOLUTION
    return Stage.RESOLUTION


def resolution_deadline(item: PetitionItem, *, accepted_on: dt.date) -> Deadline:
    variant = item.variant if item.kind == PetitionKind.COMPLAINT else Variant.NORMAL
    return deadline_for(
        kind=item.kind, stage=resolution_stage(item), start=accepted_on, variant=variant
    )


def deadline_set(
    item: PetitionItem,
    *,
    stage: str,
    start_on: dt.date,
    deadline: Deadline,
    reason: str,
    by: User | None,
    note: str = "",
) -> ItemDeadline:
    """Make ``deadline`` the item's current one, keeping the previous ones as history."""
    item.deadlines.filter(is_current=True).update(is_current=False)
    item.due_stage, item.due_on, item.due_rule = stage, deadline.due, deadline.rule
    return ItemDeadline.objects.create(
        item=item,
        stage=stage,
        start_on=start_on,
        due_on=deadline.due,
        rule=deadline.rule,
        reason=reason,
        note=note,
        created_by=by,
    )


def extension_deadline(item: PetitionItem, *, especially_complex: bool) -> tuple[Deadline, int]:
    """The extended deadline of an item being resolved, or ``DeadlineError`` with the legal
    reason. The days are counted from acceptance, the roll past a day off applied only to the
    final end, so an extension never exceeds its legal length."""
    if item.status not in {Status.ACCEPTED, Status.VERIFYING} or item.accepted_on is None:
        raise DeadlineError(_("Only an accepted petition being resolved can be extended."))
    cal = get_calendar()
    if item.kind == PetitionKind.DENUNCIATION:
        variant = Variant.ESPECIALLY_COMPLEX if especially_complex else Variant.COMPLEX
        rule = deadline_for(
            kind=PetitionKind.DENUNCIATION,
            stage=Stage.EXTENSION,
            start=item.accepted_on,
            variant=variant,
        ).rule
        if item.extensions_used >= (rule.max_times or 0):
            raise DeadlineError(
                _("The law allows at most %(n)s extension(s) for this case (%(source)s).")
                % {"n": rule.max_times, "source": rule.source}
            )
        base = deadline_for(
            kind=PetitionKind.DENUNCIATION, stage=resolution_stage(item), start=item.accepted_on
        ).rule
        used = item.extensions_used + 1
        due = cal.add_calendar_days(item.accepted_on, base.days + rule.days * used)
        return Deadline(due=due, rule=rule), used
    if item.kind == PetitionKind.COMPLAINT:
        if item.is_complex:
            raise DeadlineError(
                _(
                    "A complaint has no extension beyond the limit for complex cases (Luật Khiếu nại Art. 28, 37)."
                )
            )
        variant = Variant.REMOTE_COMPLEX if item.is_remote else Variant.COMPLEX
        deadline = deadline_for(
            kind=PetitionKind.COMPLAINT,
            stage=resolution_stage(item),
            start=item.accepted_on,
            variant=variant,
        )
        return deadline, item.extensions_used + 1
    raise DeadlineError(_("The law sets no extension for recommendations and feedback."))
