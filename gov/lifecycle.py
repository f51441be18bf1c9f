"""The lifecycle of a record with states: an explicit table of the moves it may make, as
petitions (``complaints.models.items.PETITION_LIFECYCLE``) and every other record with
states have it, and of the steps each state allows
without changing it (announcing a planned dialogue, noting progress on an open promise).
Services move a record only through ``Lifecycle.move`` and take a step only after
``Lifecycle.allow``: anything the table does not list is refused with a message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Lifecycle:
    states: type[models.TextChoices]
    moves: Mapping[str, frozenset[str]]
    steps: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The refusal of a move, with %(from)s and %(to)s (lazy: translated when refused).
    refused_move: str = gettext_lazy("A record that is “%(from)s” cannot become “%(to)s”.")

    def __post_init__(self) -> None:
        # Every state is in the table, and every move leads to a state: a typo is an error at
        # import, not a record stuck later.
        assert set(self.moves) == set(self.states.values), self.states
        assert all(to in self.states.values for tos in self.moves.values() for to in tos)

    def allows(self, state: str, to: str) -> bool:
        return to in self.moves[state]

    def label(self, state: str) -> str:
        return str(self.states(state).label)

    def check_move(self, state: str, to: str, *, refused: type[ValidationError]) -> None:
        if to not in self.moves[state]:
            raise refused(
                str(self.refused_move) % {"from": self.label(state), "to": self.label(to)}
            )

    def move(
        self, obj: models.Model, to: str, *, field_name: str, refused: type[ValidationError]
    ) -> str:
        """Set ``obj.<field_name>`` to ``to`` if the table allows it; returns the state before."""
        before = getattr(obj, field_name)
        self.check_move(before, to, refused=refused)
        setattr(obj, field_name, to)
        return before

    def allow(
        self, state: str, step: models.TextChoices, *, refused: type[ValidationError]
    ) -> None:
        """Refuse ``step`` (named by the event it records) unless ``state`` allows it."""
        if step not in self.steps.get(state, frozenset()):
            raise refused(
                _("A record that is “%(state)s” does not allow this step: %(step)s.")
                % {"state": self.label(state), "step": str(step.label).lower()}
            )
