"""The demo dialogues, mediation and council records: created once however often seeded, and
showing what the accountability pages are for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from complaints.models import ItemEvent, Petition, PetitionItem
from demo.accountability import demo_seed as dialogues_demo_seed
from demo.accounts import demo_seed as gov_demo_seed
from demo.common import DEMO_MARK
from demo.mediation import TEAMS
from demo.petitions import demo_seed as complaints_demo_seed
from dialogues import selectors
from dialogues.models import (
    Commitment,
    CommitmentEvent,
    CouncilResolution,
    CouncilSession,
    Dialogue,
    MediationCase,
    MediationTeam,
    Mediator,
    Question,
    VoterMeeting,
    VoterRecommendation,
)
from tests.complaints.factories import on

try:  # the reception demo is optional: seed it first when the app ships one
    from demo.reception import demo_seed as reception_demo_seed
except ImportError:
    reception_demo_seed: Callable[[], object] | None = None

pytestmark = pytest.mark.django_db

COUNTED = [
    Dialogue,
    Commitment,
    CommitmentEvent,
    MediationTeam,
    Mediator,
    MediationCase,
    CouncilSession,
    Question,
    CouncilResolution,
    VoterMeeting,
    VoterRecommendation,
    Petition,
    PetitionItem,
    ItemEvent,
]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in COUNTED}


def _seed_all(capture: Callable) -> dict[str, int]:
    """The order of ``seed_demo``: accounts and villages, petitions, reception, then ours."""
    gov_demo_seed()
    with capture(execute=True):
        complaints_demo_seed()
        if reception_demo_seed is not None:
            reception_demo_seed()
        return dialogues_demo_seed()


@pytest.fixture
def seeded(django_capture_on_commit_callbacks) -> SimpleNamespace:
    """The demo, seeded on the real date like ``make run`` does."""
    created = _seed_all(django_capture_on_commit_callbacks)
    return SimpleNamespace(created=created, counts=_counts())


def _all_commitment_statuses() -> dict[str, int]:
    return selectors.status_counts(selectors.with_status(Commitment.objects.all()))


def test_demo_seed_twice_creates_nothing_new(
    seeded: SimpleNamespace, django_capture_on_commit_callbacks
) -> None:
    assert seeded.created["dialogues"] == seeded.counts["Dialogue"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert dialogues_demo_seed() == {}
    assert _counts() == seeded.counts


def test_demo_has_overdue_and_kept_promises(seeded: SimpleNamespace) -> None:
    counts = _all_commitment_statuses()
    assert counts["overdue"] >= 1
    assert counts["kept"] >= 1


def test_demo_promises_come_from_every_source(
    seeded: SimpleNamespace,
) -> None:
    sources = set(Commitment.objects.values_list("source", flat=True))
    expected = {"dialogue", "council_question", "council_resolution", "voter_recommendation"}
    if reception_demo_seed is not None:
        expected.add("reception")
    assert sources == expected


def test_demo_upcoming_dialogue_carries_the_announcement_warning(seeded: SimpleNamespace) -> None:
    [upcoming] = Dialogue.objects.filter(state=Dialogue.State.PLANNED)
    assert upcoming.date > timezone.localdate()
    assert "Law 72/2025/QH15" in upcoming.announcement_warning
    assert upcoming in selectors.public_dialogues()["upcoming"]


def test_demo_held_dialogue_has_minutes_results_and_two_promises(seeded: SimpleNamespace) -> None:
    [held] = Dialogue.objects.filter(state=Dialogue.State.HELD)
    assert held.topic.startswith(DEMO_MARK)
    assert held.minutes and held.issues_raised and held.announcement_warning == ""
    assert held.results_published_on <= held.results_due_on
    statuses = {c.status for c in selectors.with_status(held.commitments.all())}
    assert statuses == {"kept", "overdue"}


def test_demo_has_a_mediation_team_in_each_village_and_one_without_a_woman(
    seeded: SimpleNamespace,
) -> None:
    teams = list(MediationTeam.objects.prefetch_related("members").select_related("unit"))
    assert sorted(t.unit.code for t in teams) == sorted(TEAMS)
    assert all(3 <= len(t.members.all()) <= 4 for t in teams)
    with translation.override("en"):
        warnings = [w for t in teams for w in selectors.team_warnings(t)]
    assert warnings == ["No woman among the mediators (Art. 12)."]


def test_demo_mediation_shows_every_outcome(seeded: SimpleNamespace) -> None:
    outcomes = set(MediationCase.objects.values_list("outcome", flat=True))
    assert outcomes == set(MediationCase.Outcome.values)
    assert MediationCase.objects.count() >= 8


def test_demo_civil_dispute_petition_failed_mediation_and_goes_on(
    seeded: SimpleNamespace,
) -> None:
    [case] = MediationCase.objects.filter(source_item__isnull=False)
    assert case.escalated
    assert case.source_item.sector.code == "tranh-chap-dan-su"
    assert case.source_item.is_open
    assert case.source_item.events.filter(kind=ItemEvent.Kind.MEDIATION_FAILED).exists()


def test_demo_council_reviews_the_promises_of_its_previous_session(
    seeded: SimpleNamespace,
) -> None:
    previous, latest = CouncilSession.objects.order_by("start_date")
    states = set(previous.questions.values_list("state", flat=True))
    assert states == {Question.State.ANSWERED_IN_SESSION, Question.State.ANSWERED_IN_WRITING}
    assert previous.questions.count() == 3
    reviewed = selectors.promises_from_previous_session(latest)
    assert reviewed.count() == 4  # one per answer, one from the resolution


def test_demo_voter_meeting_has_a_replied_and_an_overdue_recommendation(
    seeded: SimpleNamespace,
) -> None:
    [meeting] = VoterMeeting.objects.all()
    recommendations = meeting.recommendations.all()
    assert (meeting.unit.code, recommendations.count()) == ("xa-muong-kim", 4)
    assert recommendations.filter(replied_on__isnull=False).count() == 1
    assert selectors.overdue_voter_recommendations(recommendations).count() == 1


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2027, 2, 15),  # the Monday after the Tết 2027 days off
        dt.date(2026, 11, 29),  # a Sunday
        dt.date(2026, 3, 20),  # just after the council-answer rule changed
    ],
)
def test_demo_seeded_on_any_day_still_shows_the_warning_and_overdue_and_kept_promises(
    time_machine, django_capture_on_commit_callbacks, today: dt.date
) -> None:
    time_machine.move_to(on(today.year, today.month, today.day), tick=False)
    _seed_all(django_capture_on_commit_callbacks)
    counts = _all_commitment_statuses()
    assert counts["overdue"] >= 1 and counts["kept"] >= 1
    assert Dialogue.objects.exclude(announcement_warning="").filter(date__gt=today).count() == 1
