"""Every record with states has a lifecycle table (gov.lifecycle), and nothing moves a state
past it (issue 19).

- Each table is walked: every move it lists is allowed, every other pair of states is
  refused with the table's message, in Vietnamese; every state is reachable from the first,
  and the states with no way out are the ends the law and the portal mean.
- The services never assign a state field themselves: an ``ast`` scan of every non-test
  module finds no ``<x>.status = …`` (or ``state``, ``outcome``) outside ``gov/lifecycle.py``;
  a derived state (a calendar entry's) is checked with ``check_move`` before its fields change.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from complaints.models import PetitionItem, Status
from complaints.models.items import PETITION_LIFECYCLE
from dialogues import lifecycles
from gov.lifecycle import Lifecycle
from reception.models import SCHEDULE_LIFECYCLE, Schedule

ROOT = Path(__file__).resolve().parent.parent
S = Status

# Each table, its first state, and the states it ends in (no move out).
TABLES: dict[str, tuple[Lifecycle, str, set[str]]] = {
    "petition": (
        PETITION_LIFECYCLE,
        S.RECEIVED,
        {S.CLOSED, S.TRANSFERRED, S.GUIDED, S.FILED, S.WITHDRAWN},
    ),
    "dialogue": (lifecycles.DIALOGUE, "planned", {"held", "cancelled"}),
    "mediation": (lifecycles.MEDIATION, "pending", {"successful", "unsuccessful", "ended"}),
    "question": (
        lifecycles.QUESTION,
        "asked",
        {"answered_in_session", "answered_in_writing"},
    ),
    "voter_recommendation": (lifecycles.VOTER_RECOMMENDATION, "assigned", {"replied"}),
    "commitment": (lifecycles.COMMITMENT, "open", {"kept", "not_kept"}),
    "reception_calendar": (SCHEDULE_LIFECYCLE, Schedule.State.PLANNED, {"held", "cancelled"}),
}

PAIRS = [
    pytest.param(name, before, to, id=f"{name}:{before}->{to}")
    for name, (table, _first, _ends) in TABLES.items()
    for before in table.states.values
    for to in table.states.values
]


@pytest.mark.parametrize(("name", "before", "to"), PAIRS)
def test_each_move_is_allowed_exactly_when_the_table_lists_it(
    name: str, before: str, to: str
) -> None:
    table = TABLES[name][0]
    if to in table.moves[before]:
        table.check_move(before, to, refused=ValidationError)
        return
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        table.check_move(before, to, refused=ValidationError)
    message = refused.value.messages[0]
    assert "cannot become" not in message  # said in Vietnamese
    assert table.label(before) in message and table.label(to) in message


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_state_is_reachable_and_the_ends_are_the_meant_ones(name: str) -> None:
    table, first, ends = TABLES[name]
    seen, todo = {first}, [first]
    while todo:
        for nxt in table.moves[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(table.states.values)
    assert {s for s, tos in table.moves.items() if not tos} == ends


def test_a_move_sets_the_field_and_says_what_it_was() -> None:
    item = PetitionItem(status=S.RECEIVED)
    assert PETITION_LIFECYCLE.move(item, S.ACCEPTED, field_name="status", refused=ValueError) == (
        S.RECEIVED
    )
    assert item.status == S.ACCEPTED
    with pytest.raises(ValueError):
        PETITION_LIFECYCLE.move(item, S.RECEIVED, field_name="status", refused=ValueError)
    assert item.status == S.ACCEPTED


STATE_FIELDS = {"status", "state", "outcome"}
APPS = ["gov", "complaints", "reception", "dialogues", "reminders", "dashboard", "privacy"]


def state_assignments() -> list[str]:
    """``<x>.status = …`` and the like in the apps' code (demo data and migrations aside)."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == ROOT / "gov" / "lifecycle.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [node.target]
                    if isinstance(node, ast.AnnAssign | ast.AugAssign)
                    else []
                )
                for target in targets:
                    for t in target.elts if isinstance(target, ast.Tuple) else [target]:
                        if isinstance(t, ast.Attribute) and t.attr in STATE_FIELDS:
                            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_code_sets_a_state_past_its_table() -> None:
    assert state_assignments() == []


def test_the_time_limit_rules_name_the_petition_kinds_as_the_one_enum_does() -> None:
    """TimeLimitRule.Kind also names the council's, mediation's and dialogues' limits; for
    petitions its values and labels are PetitionKind's."""
    from gov.models import PetitionKind, TimeLimitRule

    rules = dict(TimeLimitRule.Kind.choices)
    assert {k: str(rules[k]) for k in PetitionKind.values} == {
        k: str(label) for k, label in PetitionKind.choices
    }
    assert PetitionItem.Kind is PetitionKind
