"""Builders for accountability records: each goes through the service that makes it in the
portal (the only way dialogues, teams, sessions and promises are made), with defaults a test
overrides only where its behaviour lies."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

from complaints.models import PetitionItem
from dialogues import services
from dialogues.models import (
    Commitment,
    CommitmentSource,
    CouncilSession,
    Dialogue,
    MediationCase,
    MediationTeam,
    Mediator,
    Question,
    VoterMeeting,
)
from gov.models import AdministrativeUnit, User
from reception.models import PresiderType, ReceptionSession, SessionKind
from reception.services import session_log
from tests.complaints.factories import ItemDataFactory, agency, sector, submit_item, unit
from tests.gov.factories import UnitFactory, staff_of

MUONG_KIM = "ubnd-xa-muong-kim"
TAN_PHONG = "ubnd-phuong-tan-phong"
_n = itertools.count(1)


def staff() -> SimpleNamespace:
    """A leader and a reception officer of Mường Kim, a handler of Tân Phong (another ward),
    a leader of the provincial People's Committee (who sees the whole province, and answers
    for its departments), and the staff of the provincial and of Mường Kim's People's Council
    (who alone record their council's work: ``gov.authority``)."""
    return SimpleNamespace(
        leader=staff_of(MUONG_KIM, User.Role.LEADER),
        reception=staff_of(MUONG_KIM, User.Role.RECEPTION_OFFICER),
        other_ward=staff_of(TAN_PHONG, User.Role.HANDLER),
        province=staff_of("ubnd-tinh", User.Role.LEADER),
        council=staff_of("hdnd-tinh", User.Role.HANDLER),
        commune_council=staff_of("hdnd-xa-muong-kim", User.Role.HANDLER),
    )


def village(code: str = "", **fields: object) -> AdministrativeUnit:
    """A village (bản) of Mường Kim."""
    return UnitFactory(
        parent=unit("xa-muong-kim"),
        unit_type=AdministrativeUnit.UnitType.VILLAGE,
        code=code or f"xa-muong-kim-test-{next(_n)}",
        **fields,
    )


# --- dialogues -------------------------------------------------------------------------------


def dialogue(*, by: User, date: dt.date, **fields: object) -> Dialogue:
    values: dict[str, object] = {
        "agency": agency(MUONG_KIM),
        "unit": unit("xa-muong-kim"),
        "leader_name": "Lò Văn Thanh, Chủ tịch UBND xã",
        "topic": "Bồi thường, hỗ trợ khi mở rộng đường Mường Kim – Tà Mung",
        "place": "Nhà văn hóa bản Nà Phát",
        "expected_participants": 120,
    }
    return services.dialogue_plan(by=by, date=date, **{**values, **fields})


def held_dialogue(*, by: User, date: dt.date, **fields: object) -> Dialogue:
    planned = dialogue(by=by, date=date, announced_on=date - dt.timedelta(days=10), **fields)
    return services.dialogue_record(
        dialogue=planned,
        by=by,
        minutes="Chủ tịch UBND xã trả lời từng ý kiến của các hộ dân.",
        issues_raised="Đơn giá bồi thường nhà sàn; thời hạn chi trả.",
        attendance=96,
    )


# --- commitments -----------------------------------------------------------------------------


def reception_session(*, by: User, date: dt.date) -> ReceptionSession:
    return session_log(
        agency=by.agency,
        by=by,
        kind=SessionKind.PERIODIC,
        date=date,
        presider_type=PresiderType.HEAD,
        presider_name="Lò Văn Thanh, Chủ tịch UBND xã",
        place="Trụ sở UBND xã Mường Kim",
    )


def commitment(
    *,
    by: User,
    made_on: dt.date,
    deadline: dt.date,
    source: str = CommitmentSource.DIALOGUE,
    source_object: object = None,
    **fields: object,
) -> Commitment:
    """A promise of the People's Committee of Mường Kim, made in a held dialogue unless
    ``source`` and ``source_object`` say otherwise."""
    if source_object is None:
        source_object = held_dialogue(by=by, date=made_on)
    values: dict[str, object] = {
        "owner_agency": agency(MUONG_KIM),
        "owner_name": "Lò Văn Thanh, Chủ tịch UBND xã",
        "content": "Chi trả đủ tiền bồi thường còn thiếu cho 7 hộ bản Phiêng Cằm.",
    }
    return services.commitment_make(
        by=by,
        source=source,
        source_object=source_object,
        made_on=made_on,
        deadline=deadline,
        **{**values, **fields},
    )


# --- grassroots mediation --------------------------------------------------------------------

WOMAN, MAN = Mediator.Gender.FEMALE, Mediator.Gender.MALE


def team(
    *,
    by: User,
    unit: AdministrativeUnit | None = None,
    members: tuple[tuple[str, bool], ...] = ((WOMAN, True), (MAN, False), (MAN, False)),
) -> MediationTeam:
    """A team with ``members`` given as (gender, is of an ethnic minority); the first leads."""
    where = unit or village()
    made = services.team_create(unit=where, name=f"Tổ hòa giải {where.name}", by=by)
    for i, (gender, minority) in enumerate(members):
        services.mediator_add(
            team=made,
            by=by,
            full_name=f"Hòa giải viên {next(_n)}",
            gender=gender,
            is_ethnic_minority=minority,
            ethnicity="Thái" if minority else "Kinh",
            is_leader=i == 0,
        )
    return made


def mediation(
    *, by: User, assigned_on: dt.date, in_team: MediationTeam | None = None, **fields: object
) -> MediationCase:
    made = in_team or team(by=by)
    values: dict[str, object] = {
        "parties": "Hộ ông Lò Văn Ún và hộ bà Cầm Thị Ón, bản Nà Phát",
        "dispute": "Tranh chấp lối đi chung ra đường bản.",
        "mediator": made.members.get(is_leader=True),
    }
    return services.mediation_open(
        team=made, by=by, assigned_on=assigned_on, **{**values, **fields}
    )


def civil_dispute_item(*, by: User) -> PetitionItem:
    """A petition about a civil dispute between citizens, received by Mường Kim at the counter."""
    return submit_item(
        by=by,
        receiving_agency=agency(MUONG_KIM),
        items=[ItemDataFactory(sector=sector("tranh-chap-dan-su"))],
    )


# --- the People's Council --------------------------------------------------------------------


def council_session(
    *, by: User, start: dt.date, end: dt.date, council: str = "hdnd-tinh", number: int = 0
) -> CouncilSession:
    return services.council_session_create(
        council=agency(council),
        by=by,
        number=number or next(_n),
        term="2021–2026",
        start_date=start,
        end_date=end,
    )


def question(
    *, by: User, session: CouncilSession, asked_on: dt.date | None = None, **fields: object
) -> Question:
    values: dict[str, object] = {
        "deputy": "Đại biểu Tao Văn Hoàng",
        "asked_agency": agency("so-y-te"),
        "asked_official": "Giám đốc Sở Y tế",
        "content": "Vì sao trạm y tế xã thiếu thuốc điều trị tăng huyết áp theo bảo hiểm y tế?",
    }
    return services.question_ask(
        session=session, by=by, asked_on=asked_on or session.start_date, **{**values, **fields}
    )


def voter_meeting(*, by: User, date: dt.date) -> VoterMeeting:
    return services.voter_meeting_create(
        council=agency("hdnd-tinh"),
        unit=unit("xa-muong-kim"),
        by=by,
        date=date,
        place="Hội trường UBND xã Mường Kim",
        deputies="Đại biểu HĐND tỉnh ứng cử tại xã Mường Kim",
    )
