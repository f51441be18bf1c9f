"""Writes belong to the owning agency (issue 13, item 2): the transition tables keep a cancelled dialogue cancelled, through the services and the pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from dialogues import lifecycles, services
from dialogues.models import (
    Dialogue,
    FollowUpEvent,
)
from gov.errors import Refused
from gov.lifecycle import Lifecycle
from reception.models import (
    SCHEDULE_LIFECYCLE,
)
from tests.security.owning_agency_matrix import (
    TODAY,
    WRITES,
    Accounts,
    _everything,
    _planned,
    staff_client,
)

pytestmark = pytest.mark.django_db


# --- transition tables ------------------------------------------------------------------------


def test_a_cancelled_dialogue_cannot_be_announced_again(who: Accounts) -> None:
    leader = who("mk_leader")
    planned = _planned(who)
    services.dialogue_cancel(dialogue=planned, by=leader, reason="Mưa lũ.")
    for _ in range(5):
        with pytest.raises(Refused):
            services.dialogue_announce(dialogue=planned, by=leader, announced_on=TODAY)
    planned.refresh_from_db()
    assert (planned.state, planned.announced_on) == (Dialogue.State.CANCELLED, None)
    assert not planned.events.filter(kind=FollowUpEvent.Kind.ANNOUNCED).exists()


def test_re_announcing_a_cancelled_dialogue_on_its_page_is_a_form_error(who: Accounts) -> None:
    leader = who("mk_leader")
    planned = _planned(who)
    services.dialogue_cancel(dialogue=planned, by=leader, reason="Mưa lũ.")
    url = reverse("dialogues:dialogue_action", args=[planned.pk, "announce"])
    response = staff_client(leader).post(url, {"announce-announced_on": "01/06/2026"})
    assert response.status_code == 400
    assert "không thể thực hiện bước này" in response.content.decode()
    planned.refresh_from_db()
    assert planned.announced_on is None


@pytest.mark.parametrize(
    ("write", "again"),
    [
        ("dialogue_cancel", "dialogue_cancel"),
        ("dialogue_record", "dialogue_cancel"),
        ("mediation_conclude", "mediation_start"),
        ("question_answer", "question_answer"),
        ("voter_recommendation_reply", "voter_recommendation_reply"),
        ("commitment_close", "commitment_note_progress"),
        ("commitment_close", "commitment_close"),
        ("schedule_cancel", "schedule_cancel"),
    ],
)
def test_a_service_refuses_a_move_its_table_does_not_list(
    who: Accounts, write: str, again: str
) -> None:
    """Done once by the owner, the write (or the next one) is refused by the table: the state
    it left does not allow it."""
    spec = WRITES[write]
    act = spec.prepare(who)
    leader = who("mk_leader")
    done = act(leader)
    follow = {
        "dialogue_cancel": lambda: services.dialogue_cancel(dialogue=done, by=leader, reason="x"),
        "mediation_start": lambda: services.mediation_start(case=done, by=leader, started_on=TODAY),
        "question_answer": lambda: act(leader),
        "voter_recommendation_reply": lambda: act(leader),
        "commitment_note_progress": lambda: services.commitment_note_progress(
            commitment=done, by=leader, note="Thêm."
        ),
        "commitment_close": lambda: act(leader),
        "schedule_cancel": lambda: act(leader),
    }[again]
    before = _everything()
    with translation.override("en"), pytest.raises(spec.refused, match="A record that is"):
        follow()
    assert _everything() == before


TABLES: dict[str, Lifecycle] = {
    "dialogue": lifecycles.DIALOGUE,
    "mediation": lifecycles.MEDIATION,
    "question": lifecycles.QUESTION,
    "voter_recommendation": lifecycles.VOTER_RECOMMENDATION,
    "commitment": lifecycles.COMMITMENT,
    "reception_calendar": SCHEDULE_LIFECYCLE,
}


def _unlisted_moves() -> list[tuple[str, str, str]]:
    return [
        (name, state, to)
        for name, table in TABLES.items()
        for state in table.states.values
        for to in table.states.values
        if to not in table.moves[state]
    ]


@pytest.mark.parametrize(("table", "state", "to"), _unlisted_moves())
def test_each_table_refuses_a_move_it_does_not_list(table: str, state: str, to: str) -> None:
    with pytest.raises(ValidationError):
        TABLES[table].check_move(state, to, refused=ValidationError)


def test_a_terminal_state_allows_no_step() -> None:
    table = lifecycles.DIALOGUE
    with pytest.raises(ValidationError):
        table.allow(Dialogue.State.CANCELLED, FollowUpEvent.Kind.ANNOUNCED, refused=ValidationError)
    with pytest.raises(ValidationError):
        table.allow(
            Dialogue.State.PLANNED, FollowUpEvent.Kind.RESULTS_PUBLISHED, refused=ValidationError
        )
    table.allow(Dialogue.State.PLANNED, FollowUpEvent.Kind.ANNOUNCED, refused=ValidationError)
