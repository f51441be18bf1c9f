"""The matrix of issue 13, item 2 (``test_owning_agency_*.py``): every write service of the
dialogues and reception apps, each prepared by an account that may make what it needs
(``WRITES``), the accounts that try it (``ACTORS``, ``Accounts``) and who may (``Write.allowed``).
A dialogue, a mediation case, a council's record, a voters' recommendation, a promise and a
reception session belong to one agency or council; reading them province-wide does not let
anyone write them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client

from dialogues import services
from dialogues.models import (
    Commitment,
    CommitmentEvent,
    CommitmentSource,
    CouncilResolution,
    CouncilSession,
    Dialogue,
    FollowUpEvent,
    MediationCase,
    MediationTeam,
    Mediator,
    Question,
    VoterMeeting,
    VoterRecommendation,
)
from gov.errors import Refused
from gov.models import User
from reception import services as reception
from reception.models import (
    PresiderType,
    ReceptionEvent,
    ReceptionSession,
    Schedule,
    SessionKind,
    Visit,
)
from tests.complaints.factories import agency, sector, unit
from tests.dialogues import factories as f
from tests.gov.factories import StaffFactory, staff_of
from tests.reception.factories import add_schedule, log_session, log_visit

TODAY = dt.date(2026, 6, 1)  # a Monday
LATER = dt.date(2026, 7, 1)
MK, TP = f.MUONG_KIM, f.TAN_PHONG
MK_COUNCIL = "hdnd-xa-muong-kim"
Role = User.Role

# Every kind of account that might try: Mường Kim's People's Committee (the owner of most
# records here), Mường Kim's People's Council, another commune, a provincial department, the
# provincial administrator, the owner's superior (the provincial People's Committee) and a
# superuser of the deployment.
ACTORS: dict[str, tuple[str, str] | None] = {
    "mk_leader": (MK, Role.LEADER),
    "mk_handler": (MK, Role.HANDLER),
    "mk_reception": (MK, Role.RECEPTION_OFFICER),
    "mk_administrator": (MK, Role.ADMINISTRATOR),
    "council_leader": (MK_COUNCIL, Role.LEADER),
    "council_handler": (MK_COUNCIL, Role.HANDLER),
    "other_commune_leader": (TP, Role.LEADER),
    "department_handler": ("so-nong-nghiep-moi-truong", Role.HANDLER),
    "province_administrator": ("van-phong-ubnd-tinh", Role.ADMINISTRATOR),
    "superior_leader": ("ubnd-tinh", Role.LEADER),
    "superuser": None,
}


class Accounts:
    """One account per actor name, made when first asked for."""

    def __init__(self) -> None:
        self._made: dict[str, User] = {}

    def __call__(self, name: str) -> User:
        if name not in self._made:
            spec = ACTORS[name]
            self._made[name] = (
                StaffFactory(is_superuser=True, is_staff=True, role="", agency=None)
                if spec is None
                else staff_of(*spec)
            )
        return self._made[name]


Act = Callable[[User], object]


@dataclass(frozen=True)
class Write:
    prepare: Callable[[Accounts], Act]  # makes what the write needs; returns the write
    allowed: frozenset[str]
    owner: str  # the code of the agency or council the record belongs to
    refused: type[ValidationError] = Refused


MK_STAFF = frozenset({"mk_leader", "mk_handler"})
COUNCIL_STAFF = frozenset({"council_leader", "council_handler"})
MK_OR_SUPERIOR = MK_STAFF | {"superior_leader"}
MK_LEADERS = frozenset({"mk_leader", "superior_leader"})
MK_RECEPTION = frozenset({"mk_leader", "mk_handler", "mk_reception"})


def _planned(who: Accounts) -> Dialogue:
    return f.dialogue(by=who("mk_leader"), date=TODAY + dt.timedelta(days=14))


def _dialogue_plan(who: Accounts) -> Act:
    return lambda by: services.dialogue_plan(
        by=by,
        agency=agency(MK),
        unit=unit("xa-muong-kim"),
        leader_name="Chủ tịch UBND xã",
        topic="Nước sinh hoạt Bản 2",
        date=TODAY + dt.timedelta(days=14),
        place="Nhà văn hóa Bản 2",
    )


def _dialogue_announce(who: Accounts) -> Act:
    planned = _planned(who)
    return lambda by: services.dialogue_announce(dialogue=planned, by=by, announced_on=TODAY)


def _dialogue_record(who: Accounts) -> Act:
    planned = f.dialogue(by=who("mk_leader"), date=TODAY, announced_on=TODAY - dt.timedelta(10))
    return lambda by: services.dialogue_record(
        dialogue=planned, by=by, minutes="Người dân nêu 5 ý kiến.", issues_raised=""
    )


def _dialogue_publish(who: Accounts) -> Act:
    held = f.held_dialogue(by=who("mk_leader"), date=TODAY)
    return lambda by: services.dialogue_publish_results(
        dialogue=held, by=by, results="Sửa đường trong quý III.", published_on=TODAY
    )


def _dialogue_cancel(who: Accounts) -> Act:
    planned = _planned(who)
    return lambda by: services.dialogue_cancel(dialogue=planned, by=by, reason="Mưa lũ.")


def _team_create(who: Accounts) -> Act:
    village = f.village()
    return lambda by: services.team_create(unit=village, name="Tổ hòa giải mới", by=by)


def _mediator_add(who: Accounts) -> Act:
    team = f.team(by=who("mk_handler"))
    return lambda by: services.mediator_add(
        team=team, by=by, full_name="Lò Thị Én", gender=Mediator.Gender.FEMALE
    )


def _mediation_open(who: Accounts) -> Act:
    team = f.team(by=who("mk_handler"))
    return lambda by: services.mediation_open(
        team=team,
        by=by,
        parties="Hộ ông A và hộ bà B",
        dispute="Tranh chấp lối đi chung.",
        mediator=team.members.get(is_leader=True),
        assigned_on=TODAY,
    )


def _mediation_start(who: Accounts) -> Act:
    case = f.mediation(by=who("mk_handler"), assigned_on=TODAY)
    return lambda by: services.mediation_start(case=case, by=by, started_on=TODAY)


def _mediation_conclude(who: Accounts) -> Act:
    case = f.mediation(by=who("mk_handler"), assigned_on=TODAY)
    return lambda by: services.mediation_conclude(
        case=case,
        by=by,
        outcome=MediationCase.Outcome.SUCCESSFUL,
        outcome_on=TODAY,
        agreement_terms="Mở lối đi rộng 1,5 m.",
    )


def _mediation_follow_up(who: Accounts) -> Act:
    case = f.mediation(by=who("mk_handler"), assigned_on=TODAY)
    services.mediation_conclude(
        case=case,
        by=who("mk_handler"),
        outcome=MediationCase.Outcome.SUCCESSFUL,
        outcome_on=TODAY,
        agreement_terms="Mở lối đi rộng 1,5 m.",
    )
    return lambda by: services.mediation_follow_up(
        case=case, by=by, note="Hai hộ đã làm lối đi.", agreement_kept=True
    )


def _session(who: Accounts) -> CouncilSession:
    return f.council_session(by=who("council_handler"), council=MK_COUNCIL, start=TODAY, end=TODAY)


def _question(who: Accounts) -> Question:
    return f.question(
        by=who("council_handler"),
        session=_session(who),
        asked_agency=agency(MK),
        asked_official="Chủ tịch UBND xã",
    )


def _meeting(who: Accounts, by: User | None = None) -> VoterMeeting:
    return services.voter_meeting_create(
        council=agency(MK_COUNCIL),
        unit=unit("xa-muong-kim"),
        by=by or who("council_handler"),
        date=TODAY,
        place="Hội trường UBND xã",
    )


def _recommendation(who: Accounts, by: User | None = None) -> VoterRecommendation:
    return services.voter_recommendation_add(
        meeting=_meeting(who),
        by=by or who("council_handler"),
        content="Đề nghị sửa cầu treo bản Nà Phát.",
        sector=sector("giao-thong"),
        assigned_agency=agency(MK),
        assigned_on=TODAY,
    )


def _council_session_create(who: Accounts) -> Act:
    return lambda by: f.council_session(by=by, council=MK_COUNCIL, start=TODAY, end=TODAY)


def _question_ask(who: Accounts) -> Act:
    session = _session(who)
    return lambda by: f.question(by=by, session=session, asked_agency=agency(MK))


def _resolution_add(who: Accounts) -> Act:
    session = _session(who)
    return lambda by: services.resolution_add(
        session=session, by=by, number="12/NQ-HĐND", adopted_on=TODAY, content="Giao UBND xã."
    )


def _voter_meeting_create(who: Accounts) -> Act:
    return lambda by: _meeting(who, by)


def _voter_recommendation_add(who: Accounts) -> Act:
    meeting = _meeting(who)
    return lambda by: services.voter_recommendation_add(
        meeting=meeting,
        by=by,
        content="Đề nghị sửa cầu treo.",
        sector=sector("giao-thong"),
        assigned_agency=agency(MK),
        assigned_on=TODAY,
    )


def _question_answer(who: Accounts) -> Act:
    asked = _question(who)
    return lambda by: services.question_answer(
        question=asked, by=by, answer="Sẽ sửa trong quý III.", in_session=True, answered_on=TODAY
    )


def _voter_reply(who: Accounts) -> Act:
    rec = _recommendation(who)
    return lambda by: services.voter_recommendation_reply(
        recommendation=rec, by=by, reply="Đã bố trí vốn.", replied_on=TODAY
    )


def _promise(who: Accounts) -> Commitment:
    return f.commitment(by=who("mk_leader"), made_on=TODAY, deadline=LATER)


def _commitment_make(who: Accounts) -> Act:
    held = f.held_dialogue(by=who("mk_leader"), date=TODAY)
    return lambda by: services.commitment_make(
        source=CommitmentSource.DIALOGUE,
        source_object=held,
        owner_agency=agency(MK),
        owner_name="Chủ tịch UBND xã",
        content="Sửa đường vào bản.",
        made_on=TODAY,
        deadline=LATER,
        by=by,
    )


def _commitment_progress(who: Accounts) -> Act:
    promise = _promise(who)
    return lambda by: services.commitment_note_progress(
        commitment=promise, by=by, note="Đã khảo sát."
    )


def _commitment_deadline(who: Accounts) -> Act:
    promise = _promise(who)
    return lambda by: services.commitment_change_deadline(
        commitment=promise, by=by, deadline=LATER + dt.timedelta(days=30), reason="Chờ vốn."
    )


def _commitment_close(who: Accounts) -> Act:
    promise = _promise(who)
    return lambda by: services.commitment_close(
        commitment=promise, by=by, kept=True, evidence="Đã sửa xong.", on=TODAY
    )


def _schedule_add(who: Accounts) -> Act:
    return lambda by: add_schedule(by=by, agency=agency(MK), date=TODAY + dt.timedelta(days=1))


def _schedule_add_recurring(who: Accounts) -> Act:
    return lambda by: reception.schedule_add_recurring(
        agency=agency(MK),
        by=by,
        weekday=1,
        first=TODAY,
        last=TODAY + dt.timedelta(days=21),
        start_time=dt.time(7, 30),
        end_time=dt.time(11, 0),
        host="Chủ tịch UBND xã",
        place="Trụ sở UBND xã",
    )


def _schedule_cancel(who: Accounts) -> Act:
    entry = add_schedule(by=who("mk_reception"), date=TODAY + dt.timedelta(days=1))
    return lambda by: reception.schedule_cancel(schedule=entry, by=by, reason="Chủ tịch đi họp.")


def _session_log(who: Accounts) -> Act:
    return lambda by: reception.session_log(
        agency=agency(MK),
        by=by,
        kind=SessionKind.PERIODIC,
        date=TODAY,
        presider_type=PresiderType.HEAD,
        presider_name="Lò Văn Thắng",
    )


def _visit_log(who: Accounts) -> Act:
    held = log_session(by=who("mk_reception"), date=TODAY)
    return lambda by: log_visit(session=held, by=by)


WRITES: dict[str, Write] = {
    "dialogue_plan": Write(_dialogue_plan, MK_STAFF, MK),
    "dialogue_announce": Write(_dialogue_announce, MK_STAFF, MK),
    "dialogue_record": Write(_dialogue_record, MK_STAFF, MK),
    "dialogue_publish_results": Write(_dialogue_publish, MK_STAFF, MK),
    "dialogue_cancel": Write(_dialogue_cancel, frozenset({"mk_leader"}), MK),
    "team_create": Write(_team_create, MK_STAFF, MK),
    "mediator_add": Write(_mediator_add, MK_STAFF, MK),
    "mediation_open": Write(_mediation_open, MK_STAFF, MK),
    "mediation_start": Write(_mediation_start, MK_STAFF, MK),
    "mediation_conclude": Write(_mediation_conclude, MK_STAFF, MK),
    "mediation_follow_up": Write(_mediation_follow_up, MK_STAFF, MK),
    "council_session_create": Write(_council_session_create, COUNCIL_STAFF, MK_COUNCIL),
    "question_ask": Write(_question_ask, COUNCIL_STAFF, MK_COUNCIL),
    "resolution_add": Write(_resolution_add, COUNCIL_STAFF, MK_COUNCIL),
    "voter_meeting_create": Write(_voter_meeting_create, COUNCIL_STAFF, MK_COUNCIL),
    "voter_recommendation_add": Write(_voter_recommendation_add, COUNCIL_STAFF, MK_COUNCIL),
    "question_answer": Write(_question_answer, MK_OR_SUPERIOR, MK),
    "voter_recommendation_reply": Write(_voter_reply, MK_OR_SUPERIOR, MK),
    "commitment_make": Write(_commitment_make, MK_OR_SUPERIOR | {"mk_reception"}, MK),
    "commitment_note_progress": Write(_commitment_progress, MK_OR_SUPERIOR | {"mk_reception"}, MK),
    "commitment_change_deadline": Write(_commitment_deadline, MK_LEADERS, MK),
    "commitment_close": Write(_commitment_close, MK_LEADERS, MK),
    "schedule_add": Write(_schedule_add, MK_RECEPTION, MK, Refused),
    "schedule_add_recurring": Write(_schedule_add_recurring, MK_RECEPTION, MK, Refused),
    "schedule_cancel": Write(_schedule_cancel, MK_RECEPTION, MK, Refused),
    "session_log": Write(_session_log, MK_RECEPTION, MK, Refused),
    "visit_log": Write(_visit_log, MK_RECEPTION, MK, Refused),
}

WATCHED: list[type[models.Model]] = [
    Dialogue,
    FollowUpEvent,
    MediationTeam,
    Mediator,
    MediationCase,
    CouncilSession,
    Question,
    CouncilResolution,
    VoterMeeting,
    VoterRecommendation,
    Commitment,
    CommitmentEvent,
    Schedule,
    ReceptionSession,
    Visit,
    ReceptionEvent,
]


def _everything() -> dict[str, list[dict]]:
    """Every row these apps hold (a test's own few), to show a refusal changed nothing."""
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in WATCHED}


def staff_client(user: User) -> Client:
    client = Client()  # Vietnamese, the default language
    client.force_login(user)
    return client
