"""Writes belong to the owning agency (issue 13, item 2).

A dialogue, a mediation case, a council's record, a voters' recommendation, a promise and a
reception session belong to one agency or council; reading them province-wide does not let
anyone write them. The matrix below tries every write service of these apps as every kind of
account and asserts exactly who may; a refused write changes nothing. Then the same through
the pages the issue names, and the transition tables that keep a cancelled dialogue cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dialogues import lifecycles, services
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
from gov.lifecycle import Lifecycle
from gov.models import AdministrativeUnit, User
from reception import services as reception
from reception.models import (
    SCHEDULE_LIFECYCLE,
    PresiderType,
    ReceptionEvent,
    ReceptionSession,
    Schedule,
    SessionKind,
    Visit,
)
from tests.complaints.factories import agency, on, sector, unit
from tests.dialogues import factories as f
from tests.gov.factories import StaffFactory, staff_of
from tests.reception.factories import add_schedule, log_session, log_visit
from tests.writes import write_services

pytestmark = pytest.mark.django_db

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


# --- the writes, each prepared by an account that may make what it needs ----------------------


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


@pytest.fixture
def who(time_machine) -> Accounts:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    return Accounts()


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("write", list(WRITES))
def test_only_the_owning_agency_writes(who: Accounts, write: str, actor: str) -> None:
    spec = WRITES[write]
    act = spec.prepare(who)
    by = who(actor)
    if actor in spec.allowed:
        act(by)
        return
    before = _everything()
    with translation.override("vi"), pytest.raises(spec.refused) as refused:
        act(by)
    assert agency(spec.owner).name in refused.value.messages[0]
    assert "mới được thực hiện" in refused.value.messages[0]  # the Vietnamese message
    assert _everything() == before


def test_every_write_service_is_in_the_matrix() -> None:
    """A new write service of these apps must join the matrix above."""
    assert write_services(services, reception) == set(WRITES)


# --- through the pages the issue names -----------------------------------------------------------


def staff_client(user: User) -> Client:
    client = Client()  # Vietnamese, the default language
    client.force_login(user)
    return client


REFUSED_VI = "mới được thực hiện thao tác này"


@pytest.fixture
def ward(time_machine) -> SimpleNamespace:
    """A dialogue planned and a promise made by the ward of Tân Phong, and accounts of the
    province that read them: a department's handler, the administrator, the leaders."""
    time_machine.move_to(on(2026, 6, 1), tick=False)
    leader = staff_of(TP, Role.LEADER)
    planned = f.dialogue(
        by=leader,
        date=TODAY + dt.timedelta(days=14),
        agency=agency(TP),
        unit=unit("phuong-tan-phong"),
        topic="Chỉnh trang vỉa hè tổ 5",
    )
    promise = f.commitment(
        by=leader,
        made_on=TODAY,
        deadline=LATER,
        owner_agency=agency(TP),
        source_object=f.held_dialogue(
            by=leader, date=TODAY, agency=agency(TP), unit=unit("phuong-tan-phong")
        ),
        content="Lát lại vỉa hè tổ 5 trước mùa mưa",
    )
    return SimpleNamespace(
        leader=leader,
        dialogue=planned,
        promise=promise,
        department=staff_of("so-nong-nghiep-moi-truong", Role.HANDLER),
        administrator=staff_of("van-phong-ubnd-tinh", Role.ADMINISTRATOR),
        province=staff_of("ubnd-tinh", Role.LEADER),
    )


def _refused_page(response: object) -> None:
    """Refused as a form error the user reads (400), or not even found (404); never a 500."""
    assert response.status_code in {400, 404}, response.status_code
    if response.status_code == 400:
        assert REFUSED_VI in response.content.decode()


@pytest.mark.parametrize("account", ["department", "administrator", "province"])
def test_a_provincial_account_cannot_cancel_a_wards_dialogue(
    ward: SimpleNamespace, account: str
) -> None:
    client = staff_client(getattr(ward, account))
    url = reverse("dialogues:dialogue_action", args=[ward.dialogue.pk, "cancel"])
    _refused_page(client.post(url, {"cancel-reason": "Không cần thiết."}))
    ward.dialogue.refresh_from_db()
    assert ward.dialogue.state == Dialogue.State.PLANNED
    assert not ward.dialogue.events.filter(kind=FollowUpEvent.Kind.CANCELLED).exists()


def test_the_provincial_leader_reads_the_refusal_on_the_dialogue_page(
    ward: SimpleNamespace,
) -> None:
    """The provincial leaders read every commune's dialogues: the refusal is the form's
    error, in Vietnamese, with what they typed kept."""
    url = reverse("dialogues:dialogue_action", args=[ward.dialogue.pk, "cancel"])
    response = staff_client(ward.province).post(url, {"cancel-reason": "Không cần thiết."})
    body = response.content.decode()
    assert response.status_code == 400
    assert REFUSED_VI in body and "Ủy ban nhân dân phường Tân Phong" in body
    assert "Không cần thiết." in body


@pytest.mark.parametrize("account", ["department", "administrator", "province"])
def test_a_provincial_account_cannot_mark_a_wards_promise_kept(
    ward: SimpleNamespace, account: str
) -> None:
    client = staff_client(getattr(ward, account))
    url = reverse("dialogues:commitment_action", args=[ward.promise.pk, "kept"])
    response = client.post(url, {"kept-evidence": "Đã xong.", "kept-on": "01/06/2026"})
    if account == "province":  # the ward's superior: its leaders may close the ward's promise
        assert response.status_code == 302
        return
    _refused_page(response)
    ward.promise.refresh_from_db()
    assert ward.promise.state == Commitment.State.OPEN
    public = Client().get(reverse("dialogues:promises"), {"status": "kept"}).content.decode()
    assert "Lát lại vỉa hè tổ 5" not in public
    everything = Client().get(reverse("dialogues:promises")).content.decode()
    assert "Lát lại vỉa hè tổ 5" in everything


def test_the_pages_offer_an_action_only_to_those_who_may_take_it(ward: SimpleNamespace) -> None:
    """The province reads the ward's dialogue and promise, without their forms; the ward's
    leader gets them. The provincial leaders, the ward's superior, may close the promise."""
    dialogue_url = reverse("dialogues:dialogue", args=[ward.dialogue.pk])
    promise_url = reverse("dialogues:commitment", args=[ward.promise.pk])
    cancel = reverse("dialogues:dialogue_action", args=[ward.dialogue.pk, "cancel"])
    kept = reverse("dialogues:commitment_action", args=[ward.promise.pk, "kept"])
    progress = reverse("dialogues:commitment_action", args=[ward.promise.pk, "progress"])
    own = staff_client(ward.leader)
    assert cancel in own.get(dialogue_url).content.decode()
    assert kept in own.get(promise_url).content.decode()
    department = staff_client(ward.department)
    # A department reads the ward's records only where need-to-know lets it (else a 404), and
    # never gets their forms.
    page = department.get(dialogue_url)
    assert page.status_code in (200, 404)
    assert cancel not in page.content.decode()
    if page.status_code == 200:
        assert "<form" not in _main(page)
    page = department.get(promise_url)
    assert page.status_code in (200, 404)
    assert kept not in page.content.decode() and progress not in page.content.decode()
    superior = staff_client(ward.province).get(promise_url).content.decode()
    assert kept in superior and progress in superior


def _main(response: object) -> str:
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def test_the_provincial_peoples_committee_cannot_record_the_councils_resolutions(
    time_machine,
) -> None:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    clerk, province = staff_of("hdnd-tinh", Role.HANDLER), staff_of("ubnd-tinh", Role.LEADER)
    session = f.council_session(by=clerk, start=TODAY, end=TODAY)
    url = reverse("dialogues:session_action", args=[session.pk, "resolution"])
    data = {
        "resolution-number": "45/NQ-HĐND",
        "resolution-adopted_on": "01/06/2026",
        "resolution-content": "Giao UBND tỉnh sửa công trình nước.",
    }
    response = staff_client(province).post(url, data)
    assert response.status_code == 400 and REFUSED_VI in response.content.decode()
    assert not CouncilResolution.objects.exists()
    assert staff_client(clerk).post(url, data).status_code == 302
    assert CouncilResolution.objects.get().number == "45/NQ-HĐND"


def test_the_council_does_not_answer_its_own_question(time_machine) -> None:
    """The agency questioned answers; the council's staff who recorded the question do not."""
    time_machine.move_to(on(2026, 6, 1), tick=False)
    clerk = staff_of("hdnd-tinh", Role.LEADER)
    session = f.council_session(by=clerk, start=TODAY, end=TODAY)
    asked = f.question(by=clerk, session=session)  # to the Department of Health
    url = reverse("dialogues:question_answer", args=[asked.pk])
    data = {
        f"answer-{asked.pk}-in_session": "session",
        f"answer-{asked.pk}-answer": "Sẽ cấp đủ thuốc.",
        f"answer-{asked.pk}-answered_on": "01/06/2026",
    }
    for account in (clerk, staff_of("so-nong-nghiep-moi-truong", Role.LEADER)):
        _refused_page(staff_client(account).post(url, data))
    asked.refresh_from_db()
    assert asked.state == Question.State.ASKED
    assert staff_client(staff_of("so-y-te", Role.HANDLER)).post(url, data).status_code == 302
    asked.refresh_from_db()
    assert asked.state == Question.State.ANSWERED_IN_SESSION


def test_only_the_assigned_agency_replies_to_voters(time_machine) -> None:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    clerk = staff_of("hdnd-tinh", Role.HANDLER)
    meeting = services.voter_meeting_create(
        council=agency("hdnd-tinh"),
        unit=unit("phuong-tan-phong"),
        by=clerk,
        date=TODAY,
        place="Hội trường phường",
    )
    rec = services.voter_recommendation_add(
        meeting=meeting,
        by=clerk,
        content="Đề nghị lát lại vỉa hè tổ 5.",
        sector=sector("giao-thong"),
        assigned_agency=agency(TP),
        assigned_on=TODAY,
    )
    url = reverse("dialogues:recommendation", args=[rec.pk])
    data = {"reply": "Đã bố trí vốn.", "replied_on": "01/06/2026"}
    for account in (clerk, staff_of("so-xay-dung", Role.HANDLER)):
        _refused_page(staff_client(account).post(url, data))
    rec.refresh_from_db()
    assert rec.replied_on is None
    assert staff_client(staff_of(TP, Role.HANDLER)).post(url, data).status_code == 302


def test_a_department_cannot_add_mediators_to_a_wards_team(time_machine) -> None:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    ward_officer = staff_of(TP, Role.HANDLER)
    group = f.UnitFactory(
        parent=unit("phuong-tan-phong"),
        unit_type=AdministrativeUnit.UnitType.VILLAGE,
        code="phuong-tan-phong-test-99",
    )
    team = f.team(by=ward_officer, unit=group)
    url = reverse("dialogues:team_action", args=[team.pk, "mediator"])
    data = {"mediator-full_name": "Nguyễn Văn Lạ", "mediator-gender": "male"}
    _refused_page(staff_client(staff_of("so-tu-phap", Role.HANDLER)).post(url, data))
    assert not team.members.filter(full_name="Nguyễn Văn Lạ").exists()


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
