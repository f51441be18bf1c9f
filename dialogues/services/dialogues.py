"""Dialogues between the heads of People's Committees and citizens (Law 72/2025/QH15 Art. 43):
planned, announced at least 7 days ahead, held, their results published; or cancelled."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.events import official
from complaints.models import Petition
from dialogues import events, lifecycles
from dialogues.models import Dialogue
from dialogues.services.common import (
    Kind,
    _check_actor,
    _locked_for,
    _not_future,
    deadline_for,
)
from gov.authority import Act
from gov.errors import Refused
from gov.models import AdministrativeUnit, Agency, TimeLimitRule, User


def announcement_warning(*, date: dt.date, announced_on: dt.date | None) -> str:
    """A dialogue is announced at least 7 days ahead (Law 72/2025/QH15 Art. 43, in the rules table)."""
    rule = deadline_for(
        kind=TimeLimitRule.Kind.DIALOGUE, stage=TimeLimitRule.Stage.ANNOUNCEMENT, start=date
    ).rule
    latest = date - dt.timedelta(days=rule.days)
    if announced_on is not None and announced_on <= latest:
        return ""
    return official(
        gettext_lazy(
            "A dialogue is announced at least %(days)s days ahead, by %(day)s (%(source)s)."
        ),
        days=rule.days,
        day=latest.strftime("%d/%m/%Y"),
        source=rule.source,
    )


@transaction.atomic
def dialogue_plan(
    *,
    agency: Agency,
    unit: AdministrativeUnit,
    leader_name: str,
    topic: str,
    date: dt.date,
    place: str,
    by: User,
    start_time: dt.time | None = None,
    participants: str = "",
    expected_participants: int = 0,
    announced_on: dt.date | None = None,
    related_petitions: list[Petition] | None = None,
    agencies_taking_part: list[Agency] | None = None,
    leader: User | None = None,
) -> Dialogue:
    _check_actor(by, Act.DIALOGUE_PREPARE, agency)
    if announced_on and announced_on > date:
        raise Refused(_("A dialogue cannot be announced after it is held."))
    dialogue = Dialogue.objects.create(
        agency=agency,
        unit=unit,
        leader_name=leader_name,
        leader=leader,
        topic=topic,
        date=date,
        start_time=start_time,
        place=place,
        participants=participants,
        expected_participants=expected_participants,
        announced_on=announced_on,
        announcement_warning=announcement_warning(date=date, announced_on=announced_on),
        created_by=by,
    )
    if related_petitions:
        dialogue.related_petitions.set(related_petitions)
    taking_part = sorted(set(agencies_taking_part or []), key=lambda a: a.code)
    if taking_part:
        # Each agency taking part reads the dialogue (``Dialogue.need_to_know``).
        dialogue.agencies_taking_part.set(taking_part)
    events.dialogue_planned(dialogue, actor=by, taking_part=taking_part)
    return dialogue


def _locked_dialogue(dialogue: Dialogue, by: User, act: str) -> Dialogue:
    """The dialogue as it is now (another request may have cancelled it), checked for ``by``."""
    return _locked_for(dialogue, by, act, owner="agency")


@transaction.atomic
def dialogue_announce(*, dialogue: Dialogue, by: User, announced_on: dt.date) -> Dialogue:
    dialogue = _locked_dialogue(dialogue, by, Act.DIALOGUE_PREPARE)
    lifecycles.DIALOGUE.allow(dialogue.state, Kind.ANNOUNCED, refused=Refused)
    _not_future(announced_on, _("The announcement date"))
    if announced_on > dialogue.date:
        raise Refused(_("A dialogue cannot be announced after it is held."))
    dialogue.announced_on = announced_on
    dialogue.announcement_warning = announcement_warning(
        date=dialogue.date, announced_on=announced_on
    )
    dialogue.save(update_fields=["announced_on", "announcement_warning"])
    events.dialogue_announced(dialogue, actor=by)
    return dialogue


@transaction.atomic
def dialogue_record(
    *, dialogue: Dialogue, by: User, minutes: str, issues_raised: str, attendance: int | None = None
) -> Dialogue:
    """Record the dialogue as held; its results are then due within 10 days (rules table)."""
    dialogue = _locked_dialogue(dialogue, by, Act.DIALOGUE_PREPARE)
    lifecycles.DIALOGUE.check_move(dialogue.state, Dialogue.State.HELD, refused=Refused)
    _not_future(dialogue.date, _("A dialogue held"))
    if not minutes.strip():
        raise Refused(_("Write the minutes of the dialogue."))
    due = deadline_for(
        kind=TimeLimitRule.Kind.DIALOGUE, stage=TimeLimitRule.Stage.RESULTS, start=dialogue.date
    ).due
    lifecycles.DIALOGUE.move(dialogue, Dialogue.State.HELD, field_name="state", refused=Refused)
    dialogue.minutes, dialogue.issues_raised = minutes, issues_raised
    dialogue.attendance, dialogue.results_due_on = attendance, due
    dialogue.save(
        update_fields=["state", "minutes", "issues_raised", "attendance", "results_due_on"]
    )
    events.dialogue_held(dialogue, actor=by)
    return dialogue


@transaction.atomic
def dialogue_publish_results(
    *, dialogue: Dialogue, by: User, results: str, published_on: dt.date | None = None
) -> Dialogue:
    dialogue = _locked_dialogue(dialogue, by, Act.DIALOGUE_PREPARE)
    lifecycles.DIALOGUE.allow(dialogue.state, Kind.RESULTS_PUBLISHED, refused=Refused)
    if not results.strip():
        raise Refused(_("Write the results to publish."))
    published_on = published_on or timezone.localdate()
    _not_future(published_on, _("The publication date"))
    if published_on < dialogue.date:
        raise Refused(_("Results cannot be published before the dialogue."))
    dialogue.results, dialogue.results_published_on = results, published_on
    dialogue.save(update_fields=["results", "results_published_on"])
    events.dialogue_results_published(dialogue, actor=by)
    return dialogue


@transaction.atomic
def dialogue_cancel(*, dialogue: Dialogue, by: User, reason: str) -> Dialogue:
    dialogue = _locked_dialogue(dialogue, by, Act.DIALOGUE_CANCEL)
    lifecycles.DIALOGUE.check_move(dialogue.state, Dialogue.State.CANCELLED, refused=Refused)
    if not reason.strip():
        raise Refused(_("Give the reason for cancelling."))
    lifecycles.DIALOGUE.move(
        dialogue, Dialogue.State.CANCELLED, field_name="state", refused=Refused
    )
    dialogue.minutes = reason
    dialogue.save(update_fields=["state", "minutes"])
    events.dialogue_cancelled(dialogue, actor=by, reason=reason)
    return dialogue
