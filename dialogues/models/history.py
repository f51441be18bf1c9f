from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gov.db import index_when_set
from gov.models.events import Event

from .council import Question, VoterRecommendation
from .dialogues import Dialogue
from .mediation import MediationCase

# The records whose history ``FollowUpEvent`` keeps: one foreign key each, exactly one set.
SUBJECTS = {
    Dialogue: "dialogue",
    MediationCase: "mediation_case",
    Question: "question",
    VoterRecommendation: "voter_recommendation",
}


def _one_of(fields: Iterable[str]) -> models.Q:
    """Exactly one of ``fields`` is set."""
    fields = list(fields)
    return functools.reduce(
        operator.or_,
        (models.Q(**{f"{other}__isnull": other != field for other in fields}) for field in fields),
    )


class FollowUpEvent(Event):
    """Every change to a dialogue, a mediation case, a council question or a voters'
    recommendation, for the record: who did what, when, with what note. The pages' histories
    are built from these (commitments keep theirs in ``CommitmentEvent``)."""

    class Kind(models.TextChoices):
        # dialogues
        PLANNED = "planned", _("Dialogue planned")
        ANNOUNCED = "announced", _("Dialogue announced")
        HELD = "held", _("Dialogue held: minutes recorded")
        RESULTS_PUBLISHED = "results_published", _("Results published")
        CANCELLED = "cancelled", _("Dialogue cancelled")
        # grassroots mediation
        OPENED = "opened", _("Mediation case opened")
        STARTED = "started", _("Mediation started")
        CONCLUDED = "concluded", _("Outcome recorded")
        FOLLOWED_UP = "followed_up", _("Agreement followed up")
        ANONYMISED = "anonymised", _("Parties' names erased: retention period ended")
        # the People's Council
        ASKED = "asked", _("Question asked")
        ANSWERED = "answered", _("Question answered")
        ASSIGNED = "assigned", _("Recommendation assigned")
        REPLIED = "replied", _("Recommendation answered")

    dialogue = models.ForeignKey(
        Dialogue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,
    )
    mediation_case = models.ForeignKey(
        MediationCase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,
    )
    voter_recommendation = models.ForeignKey(
        VoterRecommendation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("follow-up event")
        verbose_name_plural = _("follow-up events")
        # Each subject's key is set on its own events only: four small indexes, not four of
        # every event.
        indexes = [index_when_set(field, f"followup_{field}"[:30]) for field in SUBJECTS.values()]
        constraints = [
            models.CheckConstraint(
                condition=_one_of(SUBJECTS.values()), name="followup_one_subject"
            )
        ]

    @property
    def stated_day(self) -> dt.date | None:
        """The day the step was taken, as the user gave it (``data["on"]``), when it is not
        the day it was recorded: a result published on the 15th and entered on the 20th."""
        on = self.data.get("on")
        if not on or self.at is None:
            return None
        day = dt.date.fromisoformat(on)
        return None if day == timezone.localdate(self.at) else day
