"""Demo accountability data for ``make run``: dialogues, grassroots mediation and the provincial
People's Council, made through the service functions by the demo accounts of ``gov.demo``.

Together they show a dialogue held in Mường Kim with its minutes, published results and two
promises (one kept, one overdue), an upcoming dialogue announced too late (the Law 72/2025
warning), a mediation team in each demo village of Mường Kim (one without a woman, so the
Art. 12 warning shows) and mediation cases with every outcome, one of them a civil-dispute
petition that failed mediation and went on as a petition; and the provincial council's last
two sessions, with questions answered in session and in writing, a resolution, a voter meeting
in Mường Kim and the promises made in all of them (and in a demo reception session of Mường
Kim, when the reception demo was seeded first).

Demo dialogues carry ``DEMO_MARK`` at the start of their topic; when one exists the seed does
nothing, so running it twice creates nothing new. Dates are counted from today, past dates on
working days, so the lists look alive whenever the seed runs. Run it after ``gov.demo`` (the
accounts and villages), ``complaints.demo`` and ``reception.demo``, as ``seed_demo`` does: the
civil-dispute petition made here carries the petitions' demo mark, and the petitions' seed
does nothing once a petition with that mark exists. Never for production.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from complaints.demo import DEMO_MARK as PETITION_DEMO_MARK
from complaints.models import Channel, Petition, PetitionItem, Status
from complaints.services import ItemData, Submission, SubmitterData, petition_submit
from gov.models import AdministrativeUnit, Agency, Sector, User
from gov.workdays import get_calendar
from reception.models import ReceptionSession

from . import services
from .models import (
    CommitmentSource,
    CouncilSession,
    Dialogue,
    MediationCase,
    MediationTeam,
    Mediator,
    Question,
    VoterMeeting,
)

DEMO_MARK = "[demo]"
MK = "ubnd-xa-muong-kim"
COUNCIL = "hdnd-tinh"
Outcome = MediationCase.Outcome
WOMAN, MAN = Mediator.Gender.FEMALE, Mediator.Gender.MALE


# --- dates -----------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _back(day: dt.date) -> dt.date:
    """``day``, or the last working day before it."""
    calendar = get_calendar()
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _ago(days: int) -> dt.date:
    return _back(_today() - dt.timedelta(days=days))


def _after(day: dt.date, days: int) -> dt.date:
    """The last working day at most ``days`` days after ``day``, and never after today."""
    return _back(min(day + dt.timedelta(days=days), _today()))


def _in(days: int) -> dt.date:
    return _today() + dt.timedelta(days=days)


def _user(username: str) -> User:
    try:
        return User.objects.select_related("agency").get(username=username)
    except User.DoesNotExist as exc:
        raise RuntimeError(
            f"Demo account {username!r} is missing: run gov.demo.demo_seed() first."
        ) from exc


def _agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


# --- dialogues -------------------------------------------------------------------------------


def _road_petitions() -> list[Petition]:
    """The demo complaint about compensation on the Mường Kim – Tà Mung road, if seeded."""
    return list(
        Petition.objects.filter(
            location_address__startswith=PETITION_DEMO_MARK,
            items__summary__contains="đường Mường Kim – Tà Mung",
        ).distinct()
    )


def _held_dialogue() -> Dialogue:
    leader, officer = _user("lanhdao.muongkim"), _user("xuly.muongkim")
    date = _ago(40)
    dialogue = services.dialogue_plan(
        agency=_agency(MK),
        unit=AdministrativeUnit.objects.get(code="xa-muong-kim"),
        leader_name="Chủ tịch UBND xã Mường Kim",
        leader=leader,
        topic=f"{DEMO_MARK} Đối thoại về bồi thường, hỗ trợ khi mở rộng đường Mường Kim – Tà Mung",
        date=date,
        start_time=dt.time(8, 0),
        place="Nhà văn hóa bản Phiêng Cằm",
        participants="Chủ tịch UBND xã; công chức Địa chính – Xây dựng; Ban quản lý dự án; "
        "đại diện Ủy ban MTTQ xã, Hội Nông dân; các hộ dân có đất bị thu hồi.",
        expected_participants=80,
        announced_on=_back(date - dt.timedelta(days=10)),
        related_petitions=_road_petitions(),
        by=leader,
    )
    services.dialogue_record(
        dialogue=dialogue,
        by=officer,
        minutes="Chủ tịch UBND xã nghe 11 ý kiến của các hộ dân bản Phiêng Cằm và bản Nà Phát; "
        "Ban quản lý dự án giải trình cách áp đơn giá nhà sàn gỗ và cây ăn quả. Hai bên thống "
        "nhất kiểm đếm lại phần bếp, chuồng trại chưa được tính và chi trả phần còn thiếu.",
        issues_raised="Đơn giá bồi thường nhà sàn gỗ thấp hơn thực tế; 7 hộ chưa được tính diện "
        "tích bếp, chuồng trại; chậm chi trả tiền hỗ trợ ổn định đời sống; đường tạm đi lại "
        "trong thời gian thi công lầy lội.",
        attendance=64,
    )
    services.dialogue_publish_results(
        dialogue=dialogue,
        by=officer,
        results="UBND xã thông báo: kiểm đếm bổ sung bếp, chuồng trại của 7 hộ trong 3 tuần; "
        "chi trả tiền hỗ trợ còn thiếu sau khi có quyết định điều chỉnh; yêu cầu nhà thầu rải "
        "đá đường tạm qua bản Phiêng Cằm.",
        published_on=_after(date, 7),
    )
    kept = services.commitment_make(
        source=CommitmentSource.DIALOGUE,
        source_object=dialogue,
        owner_agency=_agency(MK),
        owner_name="Công chức Địa chính – Xây dựng xã Mường Kim",
        owner=officer,
        content="Kiểm đếm bổ sung diện tích bếp, chuồng trại của 7 hộ bản Phiêng Cằm và trình "
        "điều chỉnh phương án bồi thường.",
        made_on=date,
        deadline=date + dt.timedelta(days=21),
        by=leader,
    )
    services.commitment_close(
        commitment=kept,
        by=leader,
        kept=True,
        evidence="Biên bản kiểm đếm bổ sung có chữ ký của 7 hộ; Quyết định số 248/QĐ-UBND "
        "điều chỉnh phương án bồi thường.",
        on=_after(date, 18),
    )
    late = services.commitment_make(
        source=CommitmentSource.DIALOGUE,
        source_object=dialogue,
        owner_agency=_agency(MK),
        owner_name="Chủ tịch UBND xã Mường Kim",
        owner=leader,
        content="Chi trả đủ tiền hỗ trợ ổn định đời sống còn thiếu cho các hộ bị thu hồi đất.",
        made_on=date,
        deadline=date + dt.timedelta(days=20),
        by=leader,
    )
    services.commitment_note_progress(
        commitment=late, by=officer, note="Đã lập danh sách 7 hộ và dự toán kinh phí bổ sung."
    )
    services.commitment_change_deadline(
        commitment=late,
        by=leader,
        deadline=date + dt.timedelta(days=30),
        reason="Chờ UBND tỉnh cấp bổ sung kinh phí bồi thường.",
    )
    return dialogue


def _upcoming_dialogue() -> Dialogue:
    """Announced only 4 days ahead: it carries the Law 72/2025 warning."""
    leader = _user("lanhdao.muongkim")
    dialogue = services.dialogue_plan(
        agency=_agency(MK),
        unit=AdministrativeUnit.objects.get(code="xa-muong-kim-2"),
        leader_name="Chủ tịch UBND xã Mường Kim",
        leader=leader,
        topic=f"{DEMO_MARK} Đối thoại với nhân dân về nước sinh hoạt và điểm trường bản 2",
        date=_in(4),
        start_time=dt.time(14, 0),
        place="Nhà văn hóa Bản 2",
        participants="Chủ tịch UBND xã; Trạm y tế xã; Trường Tiểu học Mường Kim; người dân Bản 2.",
        expected_participants=60,
        by=leader,
    )
    return services.dialogue_announce(dialogue=dialogue, by=leader, announced_on=_today())


def _reception_promise() -> int:
    """A promise the chairman of Mường Kim made in the latest demo reception session, when the
    reception demo was seeded: the tracker follows promises from every source."""
    session = (
        ReceptionSession.objects.filter(
            agency__code=MK, note__startswith=DEMO_MARK, date__lte=_today()
        )
        .order_by("-date")
        .first()
    )
    if session is None:
        return 0
    leader = _user("lanhdao.muongkim")
    services.commitment_make(
        source=CommitmentSource.RECEPTION,
        source_object=session,
        owner_agency=_agency(MK),
        owner_name="Chủ tịch UBND xã Mường Kim",
        owner=leader,
        content="Trả lời bằng văn bản cho các hộ Bản 1 về việc cấp giấy chứng nhận quyền sử "
        "dụng đất ở sau khi kiểm tra hồ sơ địa chính.",
        made_on=session.date,
        deadline=max(_in(10), session.date),
        by=leader,
    )
    return 1


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
        petition__location_address__startswith=PETITION_DEMO_MARK,
        sector__code="tranh-chap-dan-su",
        agency__code=MK,
        status__in=[Status.RECEIVED, Status.PROCESSING],
        mediations__isnull=True,
    ).first()
    if waiting is not None:
        return waiting
    data = Submission(
        channel=Channel.COUNTER,
        receiving_agency=_agency(MK),
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
        received_on=_ago(spec.assigned_days_ago + 2),
        location_address=f"{PETITION_DEMO_MARK} Bản 3, xã Mường Kim",
    )
    return petition_submit(data=data, by=by).petition.items.get()


def _case(spec: Dispute, team: MediationTeam, by: User) -> MediationCase:
    assigned = _ago(spec.assigned_days_ago)
    source = _civil_dispute_item(spec, _user("tiepdan.muongkim")) if spec.from_petition else None
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
            case=case, by=by, started_on=_after(assigned, spec.started_after)
        )
    if spec.outcome != Outcome.PENDING:
        case = services.mediation_conclude(
            case=case,
            by=by,
            outcome=spec.outcome,
            outcome_on=max(_after(assigned, spec.outcome_after), case.started_on or assigned),
            agreement_terms=spec.terms,
        )
    if spec.follow_up:
        case = services.mediation_follow_up(
            case=case, by=by, note=spec.follow_up, agreement_kept=spec.kept
        )
    return case


def _mediation() -> list[MediationCase]:
    by = _user("xuly.muongkim")
    teams = {code: _team(code, members, by) for code, members in TEAMS.items()}
    return [_case(spec, teams[spec.village], by) for spec in DISPUTES]


# --- the provincial People's Council ---------------------------------------------------------


def _term(day: dt.date) -> str:
    """The council's five-year term on ``day``: terms began in 2021 and 2026; an election year's
    first months (before the new councils meet, around April) still belong to the old term."""
    first = 2021 + 5 * ((day.year - 2021) // 5)
    if day.year == first and day.month < 4:
        first -= 5
    return f"{first}–{first + 5}"


def _session(start: dt.date, title: str, by: User) -> CouncilSession:
    council, term = _agency(COUNCIL), _term(start)
    last = CouncilSession.objects.filter(council=council, term=term).aggregate(n=Max("number"))
    return services.council_session_create(
        council=council,
        by=by,
        number=(last["n"] or 0) + 1,
        term=term,
        start_date=start,
        end_date=min(get_calendar().add_working_days(start, 2), _today()),
        title=title,
    )


@dataclass(frozen=True)
class Asked:
    deputy: str
    agency: str
    official: str
    question: str
    answer: str
    in_session: bool
    promise: str
    deadline_in: int  # days from today
    closed: str = ""  # "kept" / "not_kept", with the evidence in ``evidence``
    evidence: str = ""
    progress: str = ""


QUESTIONS = [
    Asked(
        "Đại biểu Lường Văn Tính",
        "so-xay-dung",
        "Giám đốc Sở Xây dựng",
        "Tuyến đường Mường Kim – Tà Mung sạt lở 5 điểm sau mùa mưa, xe chở nông sản không đi "
        "được. Khi nào các điểm sạt lở được khắc phục?",
        "Sở đã giao đơn vị bảo trì xử lý tạm để thông xe; cam kết khắc phục dứt điểm 5 điểm "
        "sạt lở trong 4 tháng bằng nguồn vốn bảo trì đường bộ.",
        True,
        "Khắc phục dứt điểm 5 điểm sạt lở trên tuyến đường Mường Kim – Tà Mung.",
        -20,
        closed="not_kept",
        evidence="Mới khắc phục 3/5 điểm sạt lở; 2 điểm còn lại chờ vốn dự phòng năm sau.",
    ),
    Asked(
        "Đại biểu Hoàng Thị Lan",
        "so-nong-nghiep-moi-truong",
        "Giám đốc Sở Nông nghiệp và Môi trường",
        "Nhiều hộ ở xã Mường Kim bị thu hồi đất làm đường đã nhận bồi thường nhưng chưa được "
        "chỉnh lý giấy chứng nhận quyền sử dụng phần đất còn lại. Trách nhiệm thuộc về ai?",
        "Sở trả lời bằng văn bản: việc chậm chỉnh lý do hồ sơ đo đạc của dự án chưa bàn giao; "
        "Sở sẽ chỉ đạo Văn phòng đăng ký đất đai chỉnh lý xong cho các hộ.",
        False,
        "Chỉnh lý giấy chứng nhận quyền sử dụng đất còn lại cho các hộ bị thu hồi đất làm đường "
        "tại xã Mường Kim.",
        20,
        progress="Đã chỉnh lý xong 41/63 giấy chứng nhận.",
    ),
    Asked(
        "Đại biểu Tao Văn Hoàng",
        "so-y-te",
        "Giám đốc Sở Y tế",
        "Trạm y tế các xã vùng cao thiếu thuốc điều trị tăng huyết áp, đái tháo đường theo bảo "
        "hiểm y tế; người bệnh phải mua ngoài. Sở có giải pháp gì?",
        "Sở nhận trách nhiệm về chậm đấu thầu thuốc; cam kết cấp đủ thuốc điều trị bệnh mạn "
        "tính theo bảo hiểm y tế cho tất cả trạm y tế xã.",
        True,
        "Cấp đủ thuốc điều trị tăng huyết áp, đái tháo đường theo bảo hiểm y tế cho các trạm "
        "y tế xã.",
        5,
    ),
]


def _question(session: CouncilSession, spec: Asked, clerk: User, by: User) -> Question:
    """Asked as the council's staff record it; answered, and its promise followed, by the
    provincial People's Committee's leader for the department questioned."""
    asked_on = min(session.start_date + dt.timedelta(days=1), session.end_date)
    question = services.question_ask(
        session=session,
        by=clerk,
        deputy=spec.deputy,
        asked_agency=_agency(spec.agency),
        asked_official=spec.official,
        content=spec.question,
        asked_on=asked_on,
    )
    answered_on = session.end_date if spec.in_session else _after(session.end_date, 12)
    services.question_answer(
        question=question,
        by=by,
        answer=spec.answer,
        in_session=spec.in_session,
        answered_on=answered_on,
    )
    deadline = max(_in(spec.deadline_in), answered_on)
    promise = services.commitment_make(
        source=CommitmentSource.COUNCIL_QUESTION,
        source_object=question,
        owner_agency=_agency(spec.agency),
        owner_name=spec.official,
        content=spec.promise,
        made_on=answered_on,
        deadline=deadline,
        by=by,
    )
    if spec.progress:
        services.commitment_note_progress(commitment=promise, by=by, note=spec.progress)
    if spec.closed:
        services.commitment_close(
            commitment=promise,
            by=by,
            kept=spec.closed == "kept",
            evidence=spec.evidence,
            on=max(_back(min(deadline, _today())), answered_on),
        )
    return question


def _council() -> tuple[CouncilSession, CouncilSession, VoterMeeting]:
    """The council's staff record its sessions, questions, resolutions and voter meetings; the
    provincial People's Committee answers and keeps the promises (``gov.authority``)."""
    clerk, by = _user("hdnd.tinh"), _user("lanhdao.tinh")
    previous = _session(_ago(150), "Kỳ họp thường lệ: chất vấn về giao thông, đất đai, y tế", clerk)
    for spec in QUESTIONS:
        _question(previous, spec, clerk, by)
    resolution = services.resolution_add(
        session=previous,
        by=clerk,
        number="45/NQ-HĐND",
        adopted_on=previous.end_date,
        content="Nghị quyết về hoạt động chất vấn và trả lời chất vấn tại kỳ họp: giao UBND "
        "tỉnh chỉ đạo sửa chữa các công trình nước sinh hoạt tập trung hư hỏng ở các xã vùng "
        "cao và báo cáo kết quả tại kỳ họp sau.",
    )
    services.commitment_note_progress(
        commitment=services.commitment_make(
            source=CommitmentSource.COUNCIL_RESOLUTION,
            source_object=resolution,
            owner_agency=_agency("ubnd-tinh"),
            owner_name="Chủ tịch UBND tỉnh",
            content="Sửa chữa, đưa vào sử dụng lại 12 công trình nước sinh hoạt tập trung hư "
            "hỏng ở các xã vùng cao.",
            made_on=previous.end_date,
            deadline=_in(45),
            by=by,
        ),
        by=by,
        note="Đã sửa chữa xong 7/12 công trình, trong đó có công trình nước Bản 2 xã Mường Kim.",
    )
    latest = _session(_ago(12), "Kỳ họp thường lệ: xem xét việc thực hiện lời hứa", clerk)
    meeting = services.voter_meeting_create(
        council=_agency(COUNCIL),
        unit=AdministrativeUnit.objects.get(code="xa-muong-kim"),
        by=clerk,
        date=_ago(50),
        place="Hội trường UBND xã Mường Kim",
        deputies="Đại biểu HĐND tỉnh Lường Văn Tính, Hoàng Thị Lan",
        before_session=latest,
    )
    _recommendations(meeting)
    services.question_ask(
        session=latest,
        by=clerk,
        deputy="Đại biểu Lò Thị Hương",
        asked_agency=_agency("so-giao-duc-dao-tao"),
        asked_official="Giám đốc Sở Giáo dục và Đào tạo",
        content="Nhiều điểm trường bản ở Mường Kim còn phòng học tạm, học sinh bán trú phải ở "
        "nhờ nhà dân. Kế hoạch xây nhà bán trú đến đâu?",
        asked_on=latest.start_date,
    )
    return previous, latest, meeting


@dataclass(frozen=True)
class Recommendation:
    content: str
    sector: str
    agency: str
    assigned_days_ago: int
    reply: str = ""
    promise: str = ""


RECOMMENDATIONS = [
    Recommendation(
        "Công trình nước tự chảy Bản 2 hỏng đầu mối, bà con phải gánh nước suối; đề nghị sửa "
        "chữa trước mùa khô.",
        "nong-nghiep",
        MK,
        47,
        reply="UBND xã đã khảo sát, lập dự toán sửa đầu mối và thay 800 m đường ống; thi công "
        "bằng vốn sự nghiệp năm nay.",
        promise="Sửa đầu mối và thay 800 m đường ống công trình nước tự chảy Bản 2.",
    ),
    Recommendation(
        "Đề nghị cứng hóa 3 km đường từ trung tâm xã vào Bản 5, mùa mưa xe máy không đi được.",
        "giao-thong",
        "so-xay-dung",
        47,
    ),
    Recommendation(
        "Sau sáp nhập xã, nhiều thẻ bảo hiểm y tế ghi sai địa chỉ, người dân đi khám bị từ "
        "chối; đề nghị cấp lại thẻ.",
        "y-te",
        "so-y-te",
        10,
    ),
    Recommendation(
        "Đề nghị bố trí thêm giáo viên và xây nhà bán trú cho học sinh các bản xa.",
        "giao-duc",
        "so-giao-duc-dao-tao",
        10,
    ),
]


def _recommendations(meeting: VoterMeeting) -> None:
    by = _user("hdnd.tinh")
    for spec in RECOMMENDATIONS:
        recommendation = services.voter_recommendation_add(
            meeting=meeting,
            by=by,
            content=spec.content,
            sector=Sector.objects.get(code=spec.sector),
            assigned_agency=_agency(spec.agency),
            assigned_on=max(_ago(spec.assigned_days_ago), meeting.date),
        )
        if not spec.reply:
            continue
        replier = _user("lanhdao.muongkim")
        replied_on = _after(recommendation.assigned_on, 17)
        services.voter_recommendation_reply(
            recommendation=recommendation, by=replier, reply=spec.reply, replied_on=replied_on
        )
        services.commitment_make(
            source=CommitmentSource.VOTER_RECOMMENDATION,
            source_object=recommendation,
            owner_agency=_agency(spec.agency),
            owner_name="Chủ tịch UBND xã Mường Kim",
            owner=replier,
            content=spec.promise,
            made_on=replied_on,
            deadline=_in(25),
            by=replier,
        )


# --- the seed --------------------------------------------------------------------------------


@transaction.atomic
def demo_seed() -> dict[str, int]:
    """Create the demo dialogues, mediation and council records, once; returns how many of
    each were created (nothing when they exist)."""
    if Dialogue.objects.filter(topic__startswith=DEMO_MARK).exists():
        return {}
    dialogues = [_held_dialogue(), _upcoming_dialogue()]
    reception_promises = _reception_promise()
    cases = _mediation()
    previous, latest, meeting = _council()
    return {
        "dialogues": len(dialogues),
        "reception_promises": reception_promises,
        "mediation_teams": len(TEAMS),
        "mediation_cases": len(cases),
        "council_sessions": 2,
        "questions": previous.questions.count() + latest.questions.count(),
        "voter_recommendations": meeting.recommendations.count(),
    }
