"""Demo grassroots mediation: teams and cases, through the services (see ``demo.accountability``)."""

from __future__ import annotations

from dataclasses import dataclass

from complaints.models import Channel, PetitionItem, Status
from complaints.services import ItemData, Submission, SubmitterData, petition_submit
from demo.common import (
    DEMO_MARK,
    MK,
    demo_user,
    working_day_after,
    working_days_ago,
)
from dialogues import services
from dialogues.models import (
    MediationCase,
    MediationTeam,
    Mediator,
)
from gov.models import AdministrativeUnit, Agency, Sector, User

Outcome = MediationCase.Outcome
WOMAN, MAN = Mediator.Gender.FEMALE, Mediator.Gender.MALE


# --- grassroots mediation --------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    name: str
    gender: str
    ethnicity: str


# One team per demo village; the team of Bản 4 has no woman (Art. 12 warning).
TEAMS: dict[str, tuple[Member, ...]] = {
    "xa-muong-kim-1": (
        Member("Lò Văn Hặc", MAN, "Thái"),
        Member("Lò Thị Ươi", WOMAN, "Thái"),
        Member("Tòng Văn Chung", MAN, "Thái"),
        Member("Nguyễn Thị Hạnh", WOMAN, "Kinh"),
    ),
    "xa-muong-kim-2": (
        Member("Lường Văn Pánh", MAN, "Thái"),
        Member("Cà Thị Phượng", WOMAN, "Thái"),
        Member("Hoàng Văn Long", MAN, "Kinh"),
    ),
    "xa-muong-kim-3": (
        Member("Giàng A Sử", MAN, "Mông"),
        Member("Vàng Thị Mỷ", WOMAN, "Mông"),
        Member("Sùng A Lử", MAN, "Mông"),
        Member("Lò Văn Xôm", MAN, "Thái"),
    ),
    "xa-muong-kim-4": (
        Member("Điêu Văn Ọi", MAN, "Thái"),
        Member("Lò Văn Biên", MAN, "Thái"),
        Member("Quàng Văn Hương", MAN, "Thái"),
    ),
    "xa-muong-kim-5": (
        Member("Tòng Văn Hom", MAN, "Thái"),
        Member("Lò Thị Xiêng", WOMAN, "Thái"),
        Member("Lù Văn Pấu", MAN, "Khơ Mú"),
    ),
    "xa-muong-kim-6": (
        Member("Hà Văn Mạnh", MAN, "Thái"),
        Member("Cầm Thị Lả", WOMAN, "Thái"),
        Member("Phạm Văn Tuấn", MAN, "Kinh"),
        Member("Lò Thị Thoa", WOMAN, "Thái"),
    ),
}


@dataclass(frozen=True)
class Dispute:
    village: str
    parties: str
    dispute: str
    assigned_days_ago: int
    outcome: str = Outcome.PENDING
    started_after: int | None = None  # days after assignment; None: not started
    outcome_after: int = 0  # days after assignment
    terms: str = ""
    follow_up: str = ""
    kept: bool | None = None
    from_petition: bool = False


DISPUTES = [
    Dispute(
        "xa-muong-kim-1",
        "Hộ ông Lò Văn Ún và hộ bà Tòng Thị Nhất, Bản 1",
        "Tranh chấp ranh giới khoảng 40 m2 đất vườn sau khi hộ ông Ún dựng lại hàng rào.",
        55,
        Outcome.SUCCESSFUL,
        started_after=1,
        outcome_after=6,
        terms="Hai hộ thống nhất lấy mốc theo bản đồ địa chính năm 2015; hộ ông Ún dời hàng rào "
        "về đúng mốc trong 10 ngày.",
        follow_up="Hàng rào đã được dời về đúng mốc, hai hộ không còn mâu thuẫn.",
        kept=True,
    ),
    Dispute(
        "xa-muong-kim-2",
        "Hộ ông Lường Văn Hỏm và hộ ông Cà Văn Doan, Bản 2",
        "Trâu thả rông phá khoảng 300 m2 ngô đang trổ cờ.",
        40,
        Outcome.SUCCESSFUL,
        started_after=2,
        outcome_after=2,
        terms="Hộ ông Doan bồi thường 1.500.000 đồng và nhốt trâu theo quy ước của bản.",
        follow_up="Đã trả 1.000.000 đồng, hẹn trả nốt sau vụ thu hoạch.",
    ),
    Dispute(
        "xa-muong-kim-3",
        "Hộ bà Vàng Thị Chử và hộ ông Sùng A Dình, Bản 3",
        "Hộ liền kề không cho đặt đường ống nước tự chảy qua nương để dẫn nước về nhà.",
        12,
        Outcome.UNSUCCESSFUL,
        started_after=1,
        outcome_after=5,
        from_petition=True,
    ),
    Dispute(
        "xa-muong-kim-4",
        "Ông Điêu Văn Pọm và các em, Bản 4",
        "Chia đất ruộng thừa kế của cha mẹ giữa bốn anh em.",
        30,
        Outcome.ENDED,
        started_after=2,
        outcome_after=9,
    ),
    Dispute(
        "xa-muong-kim-5",
        "Bà Lò Thị Dịu và ông Tòng Văn Pặng, Bản 5",
        "Vay 12.000.000 đồng mua phân bón từ vụ trước, đến hạn không trả.",
        25,
        Outcome.UNSUCCESSFUL,
        started_after=1,
        outcome_after=4,
    ),
    Dispute(
        "xa-muong-kim-6",
        "Hộ ông Hà Văn Thưởng và hộ bà Cầm Thị Pọm, Bản 6",
        "Cây xoan to của hộ ông Thưởng che nắng, lá rụng lấp mương dẫn nước vào ruộng.",
        15,
        Outcome.SUCCESSFUL,
        started_after=1,
        outcome_after=3,
        terms="Hộ ông Thưởng chặt tỉa cành phía ruộng và cùng nạo vét mương trước vụ mùa.",
    ),
    Dispute(
        "xa-muong-kim-1",
        "Các hộ đầu mương và cuối mương, Bản 1",
        "Chia nước mương thủy lợi: các hộ cuối mương thiếu nước cấy.",
        10,
        started_after=1,
    ),
    Dispute(
        "xa-muong-kim-6",
        "Hộ ông Phạm Văn Hải và hộ ông Hà Văn Lún, Bản 6",
        "Xây tường bao lấn lối thoát nước chung giữa hai nhà.",
        7,
    ),
]


def _team(code: str, members: tuple[Member, ...], by: User) -> MediationTeam:
    village = AdministrativeUnit.objects.get(code=code)
    existing = MediationTeam.objects.filter(unit=village, is_active=True).first()
    team = existing or services.team_create(unit=village, name=f"Tổ hòa giải {village.name}", by=by)
    for n, m in enumerate(members):
        services.mediator_add(
            team=team,
            by=by,
            full_name=m.name,
            gender=m.gender,
            is_ethnic_minority=m.ethnicity != "Kinh",
            ethnicity=m.ethnicity,
            is_leader=n == 0,
        )
    return team


def _civil_dispute_item(spec: Dispute, by: User) -> PetitionItem:
    """A demo petition about a civil dispute waiting in Mường Kim, or a new one."""
    waiting = PetitionItem.objects.filter(
        petition__location_address__startswith=DEMO_MARK,
        sector__code="tranh-chap-dan-su",
        agency__code=MK,
        status__in=[Status.RECEIVED, Status.PROCESSING],
        mediations__isnull=True,
    ).first()
    if waiting is not None:
        return waiting
    data = Submission(
        channel=Channel.COUNTER,
        receiving_agency=Agency.objects.get(code=MK),
        location_unit=AdministrativeUnit.objects.get(code=spec.village),
        content="Tôi đề nghị UBND xã giải quyết: hộ ông Sùng A Dình không cho gia đình tôi đặt "
        "đường ống nước tự chảy qua nương của ông để dẫn nước về nhà, cả bản đều đi đường ống "
        "qua đó từ trước.",
        items=[
            ItemData(
                kind=PetitionItem.Kind.RECOMMENDATION,
                sector=Sector.objects.get(code="tranh-chap-dan-su"),
                summary="Tranh chấp việc đặt đường ống nước tự chảy qua nương hộ liền kề",
            )
        ],
        submitters=[SubmitterData(full_name="Vàng Thị Chử", phone="0900 110 110", address="Bản 3")],
        received_on=working_days_ago(spec.assigned_days_ago + 2),
        location_address=f"{DEMO_MARK} Bản 3, xã Mường Kim",
    )
    return petition_submit(data=data, by=by).petition.items.get()


def _case(spec: Dispute, team: MediationTeam, by: User) -> MediationCase:
    assigned = working_days_ago(spec.assigned_days_ago)
    source = (
        _civil_dispute_item(spec, demo_user("tiepdan.muongkim")) if spec.from_petition else None
    )
    if source is not None:
        assigned = max(assigned, source.petition.received_on)
    case = services.mediation_open(
        team=team,
        by=by,
        parties=spec.parties,
        dispute=spec.dispute,
        mediator=team.members.get(is_leader=True),
        assigned_on=assigned,
        source_item=source,
    )
    if spec.started_after is not None:
        case = services.mediation_start(
            case=case, by=by, started_on=working_day_after(assigned, spec.started_after)
        )
    if spec.outcome != Outcome.PENDING:
        case = services.mediation_conclude(
            case=case,
            by=by,
            outcome=spec.outcome,
            outcome_on=max(
                working_day_after(assigned, spec.outcome_after), case.started_on or assigned
            ),
            agreement_terms=spec.terms,
        )
    if spec.follow_up:
        case = services.mediation_follow_up(
            case=case, by=by, note=spec.follow_up, agreement_kept=spec.kept
        )
    return case


def _mediation() -> list[MediationCase]:
    by = demo_user("xuly.muongkim")
    teams = {code: _team(code, members, by) for code, members in TEAMS.items()}
    return [_case(spec, teams[spec.village], by) for spec in DISPUTES]
