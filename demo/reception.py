"""Demo citizen reception for ``make run``, made through the service functions by the demo
accounts of ``demo.accounts``.

- The published calendar for the next eight weeks: the chairman of Mường Kim every Monday, the
  chairman of Tân Phong every Thursday, the province chairman once a month at the provincial
  Citizen Reception Board, and the board's regular reception on Tuesdays and Fridays.
- The weeks past, from the first week of last month (four to nine weeks, so that the
  compliance of last month and of this one is complete): Mường Kim with one week missed (its
  calendar entry cancelled) and one delegated to a deputy, Tân Phong every week, the province
  chairman once a month in person, the board twice, and an ad hoc reception of a group of seven
  in Mường Kim.
- Sixteen visits with every outcome: land, compensation, social allowances, a denunciation
  whose author is protected, refusals on the grounds of Art. 9, and the group of seven with
  two representatives, whose petition enters the petitions pipeline.

Dates are counted from today, so the calendar and the compliance page look alive whenever the
seed runs. Sessions carry ``DEMO_MARK`` at the start of their note; when one exists the seed
does nothing. Never for production: the ``seed_demo`` command refuses there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from demo.common import DEMO_MARK, demo_user
from gov.models import AdministrativeUnit, Sector
from gov.workdays import get_calendar
from reception.models import PresiderType, ReceptionSession, Schedule, SessionKind, Visit
from reception.services import (
    VisitData,
    schedule_add,
    schedule_add_recurring,
    schedule_cancel,
    session_log,
    visit_log,
)

WEEKS_AHEAD = 8
PROVINCE_DAY = 15  # the province chairman receives on the 15th, or the next working day

Outcome = Visit.Outcome
Ground = Visit.RefusalGround


@dataclass(frozen=True)
class Host:
    """Who keeps one agency's calendar and who presides over its reception."""

    recorder: str
    host: str
    place: str
    presider: str = ""  # account of the head, when the demo has one
    presider_name: str = ""
    start: dt.time = dt.time(7, 30)
    end: dt.time = dt.time(11, 0)


MUONG_KIM = Host(
    recorder="tiepdan.muongkim",
    host="Chủ tịch UBND xã Mường Kim",
    place="Trụ sở UBND xã Mường Kim",
    presider="lanhdao.muongkim",
    presider_name="Lường Văn Thắng, Chủ tịch UBND xã",
)
MUONG_KIM_DEPUTY = "Lò Văn Hùng, Phó Chủ tịch UBND xã"
TAN_PHONG = Host(
    recorder="xuly.tanphong",
    host="Chủ tịch UBND phường Tân Phong",
    place="Trụ sở UBND phường Tân Phong",
    presider_name="Nguyễn Thị Hạnh, Chủ tịch UBND phường",
    start=dt.time(13, 30),
    end=dt.time(17, 0),
)
PROVINCE = Host(
    recorder="lanhdao.tinh",
    host="Chủ tịch UBND tỉnh",
    place="Trụ sở Ban Tiếp công dân tỉnh",
    presider="lanhdao.tinh",
    presider_name="Hoàng Văn Quân, Chủ tịch UBND tỉnh",
    start=dt.time(8, 0),
    end=dt.time(11, 30),
)
BOARD = Host(
    recorder="tiepdan.tinh",
    host="Lãnh đạo Ban Tiếp công dân tỉnh",
    place="Trụ sở Ban Tiếp công dân tỉnh",
    presider_name="Đỗ Thị Lan, Phó Trưởng Ban Tiếp công dân tỉnh",
    start=dt.time(7, 30),
    end=dt.time(17, 0),
)


@dataclass(frozen=True)
class DemoVisit:
    name: str
    address: str
    place: str  # unit code of the place concerned
    kind: str
    sector: str
    content: str
    outcome: str
    request: str = ""
    handling: str = ""
    ground: str = ""
    phone: str = ""
    prior: str = ""
    denounced: str = ""
    group_size: int = 1
    representatives: tuple[str, ...] = field(default_factory=tuple)


# Mường Kim, periodic sessions held by the chairman (oldest first).
MUONG_KIM_VISITS = [
    DemoVisit(
        name="Lò Văn Sương",
        address="Bản 2, xã Mường Kim",
        place="xa-muong-kim-2",
        kind="recommendation",
        sector="dat-dai",
        content="Hỏi thủ tục cấp giấy chứng nhận quyền sử dụng đất lần đầu cho 2.500 m2 đất "
        "nương gia đình canh tác ổn định từ năm 1998.",
        outcome=Outcome.GUIDED,
        handling="Hướng dẫn nộp hồ sơ đăng ký đất đai lần đầu tại Bộ phận một cửa xã, kèm "
        "giấy xác nhận của trưởng bản về thời gian sử dụng đất ổn định.",
        phone="0900 210 001",
    ),
    DemoVisit(
        name="Tòng Thị Phượng",
        address="Bản 4, xã Mường Kim",
        place="xa-muong-kim-4",
        kind="recommendation",
        sector="chinh-sach-xa-hoi",
        content="Mẹ chồng tôi 81 tuổi, sống cùng gia đình, không có lương hưu, chưa được hưởng "
        "trợ cấp xã hội hằng tháng.",
        request="Đề nghị xã xem xét cho bà được hưởng trợ cấp.",
        outcome=Outcome.ANSWERED,
        handling="Giải thích điều kiện hưởng trợ cấp xã hội hằng tháng đối với người cao tuổi; "
        "công chức văn hóa – xã hội nhận tờ khai tại buổi tiếp và trình Chủ tịch xét duyệt "
        "trong tháng.",
        phone="0900 210 002",
    ),
    DemoVisit(
        name="Cầm Văn Thiện",
        address="Bản 1, xã Mường Kim",
        place="xa-muong-kim-1",
        kind="recommendation",
        sector="boi-thuong-tai-dinh-cu",
        content="Gia đình có 36 cây quế và 400 m2 ruộng lúa bị ảnh hưởng khi kéo đường dây "
        "điện 35 kV qua bản nhưng đến nay chưa được chi trả tiền bồi thường cây cối, hoa màu.",
        request="Đề nghị UBND xã đôn đốc chủ đầu tư chi trả bồi thường.",
        outcome=Outcome.PETITION,
        phone="0900 210 003",
    ),
    DemoVisit(
        name="Lường Văn Pánh",
        address="Bản 5, xã Mường Kim",
        place="xa-muong-kim-5",
        kind="complaint",
        sector="dat-dai",
        content="Tiếp tục khiếu nại việc giải quyết tranh chấp ranh giới đất vườn với hộ liền "
        "kề, dù vụ việc đã được giải quyết lần hai và đã có văn bản trả lời.",
        prior="Chủ tịch UBND huyện Than Uyên (cũ) giải quyết lần hai năm 2023; UBND xã đã "
        "thông báo chấm dứt thụ lý.",
        outcome=Outcome.REFUSED,
        ground=Ground.PERSISTING,
        handling="Thông báo bằng văn bản việc từ chối tiếp theo Điều 9 Luật Tiếp công dân; "
        "hướng dẫn quyền khởi kiện vụ án hành chính tại Tòa án.",
    ),
]

# Mường Kim, the week a deputy presided.
DEPUTY_VISITS = [
    DemoVisit(
        name="Vàng Thị Chở",
        address="Bản 3, xã Mường Kim",
        place="xa-muong-kim-3",
        kind="denunciation",
        sector="tham-nhung",
        content="Tố cáo trưởng bản thu của mỗi hộ 500.000 đồng để được đưa vào danh sách hộ "
        "nghèo năm nay, không có biên lai.",
        request="Đề nghị xác minh, xử lý và giữ bí mật người tố cáo.",
        denounced="Trưởng bản 3, xã Mường Kim",
        outcome=Outcome.PETITION,
        phone="0900 210 005",
    ),
    DemoVisit(
        name="Lò Văn Đôi",
        address="Bản 6, xã Mường Kim",
        place="xa-muong-kim-6",
        kind="feedback",
        sector="nong-nghiep",
        content="Mương thủy lợi dẫn nước vào cánh đồng bản 6 bị đất đá bồi lấp sau trận mưa "
        "lớn, 12 ha lúa có nguy cơ thiếu nước.",
        outcome=Outcome.ANSWERED,
        handling="Phó Chủ tịch giao công chức nông nghiệp kiểm tra trong tuần, huy động nhân "
        "dân nạo vét và đề xuất kinh phí sửa chữa.",
        phone="0900 210 006",
    ),
]

# Mường Kim, ad hoc: a group of seven households at once (Art. 18(3), Art. 29).
GROUP_VISITS = [
    DemoVisit(
        name="Giàng A Páo",
        address="Bản 6, xã Mường Kim",
        place="xa-muong-kim-6",
        kind="recommendation",
        sector="boi-thuong-tai-dinh-cu",
        content="Bảy hộ dân sống dưới chân taluy dương bản 6 đề nghị được hỗ trợ di dời khẩn "
        "cấp vì vết nứt trên sườn đồi mở rộng sau đợt mưa kéo dài, nguy cơ sạt lở vùi lấp nhà.",
        request="Đề nghị bố trí đất tái định cư và hỗ trợ làm nhà trước mùa mưa.",
        outcome=Outcome.PETITION,
        phone="0900 210 007",
        group_size=7,
        representatives=("Sùng A Dình",),
    ),
    DemoVisit(
        name="Vàng A Sính",
        address="Bản 6, xã Mường Kim",
        place="xa-muong-kim-6",
        kind="feedback",
        sector="xay-dung",
        content="Hỏi thời gian khắc phục điểm sạt lở trên đường từ trung tâm xã vào bản 6.",
        outcome=Outcome.ANSWERED,
        handling="Đã báo cáo tỉnh; đơn vị quản lý đường dọn thông tạm trong ba ngày tới.",
    ),
]

TAN_PHONG_VISITS = [
    DemoVisit(
        name="Trần Thị Thu",
        address="Tổ dân phố số 2, phường Tân Phong",
        place="phuong-tan-phong-2",
        kind="recommendation",
        sector="tu-phap",
        content="Hỏi thủ tục cấp bản sao trích lục khai sinh cho con vì bản chính bị mất.",
        outcome=Outcome.GUIDED,
        handling="Hướng dẫn nộp yêu cầu trực tuyến trên Cổng dịch vụ công hoặc tại Bộ phận một "
        "cửa phường; được cấp trong ngày.",
        phone="0900 220 001",
    ),
    DemoVisit(
        name="Phạm Văn Long",
        address="Tổ dân phố số 3, phường Tân Phong",
        place="phuong-tan-phong-3",
        kind="feedback",
        sector="moi-truong",
        content="Xưởng xẻ gỗ trong khu dân cư tổ 3 hoạt động cả buổi tối, tiếng ồn và bụi gỗ "
        "ảnh hưởng đến sinh hoạt của các hộ xung quanh.",
        request="Đề nghị phường kiểm tra, yêu cầu xưởng chấm dứt hoạt động ban đêm.",
        outcome=Outcome.PETITION,
        phone="0900 220 002",
    ),
]

PROVINCE_VISITS = [
    DemoVisit(
        name="Tẩn Láo San",
        address="Bản Phiêng Tòng, xã Bình Lư",
        place="xa-binh-lu",
        kind="complaint",
        sector="boi-thuong-tai-dinh-cu",
        content="Khiếu nại đơn giá bồi thường đất rừng sản xuất khi thu hồi làm hồ chứa nước, "
        "thấp hơn giá chuyển nhượng thực tế tại địa phương.",
        request="Đề nghị xem xét lại đơn giá bồi thường cho 14 hộ.",
        outcome=Outcome.PETITION,
        phone="0900 230 001",
    ),
    DemoVisit(
        name="Lò Thị Ngân",
        address="Xã Than Uyên",
        place="xa-than-uyen",
        kind="recommendation",
        sector="chinh-sach-xa-hoi",
        content="Đề nghị giải quyết chế độ trợ cấp một lần cho thân nhân người có công đã từ "
        "trần năm 2024; hồ sơ nộp từ tháng 5 chưa có kết quả.",
        outcome=Outcome.ANSWERED,
        handling="Chủ tịch UBND tỉnh giao Sở Nội vụ kiểm tra hồ sơ, trả lời bà trong 10 ngày "
        "làm việc.",
        phone="0900 230 002",
    ),
]

BOARD_VISITS = [
    DemoVisit(
        name="Chảo Văn Lở",
        address="Xã Sìn Hồ",
        place="xa-sin-ho",
        kind="recommendation",
        sector="dat-dai",
        content="Tranh chấp 600 m2 đất nương với hộ cùng bản, chưa qua hòa giải.",
        outcome=Outcome.GUIDED,
        handling="Hướng dẫn đề nghị Tổ hòa giải ở bản hòa giải, sau đó gửi đơn đến UBND xã "
        "Sìn Hồ là cơ quan có thẩm quyền.",
        phone="0900 240 001",
    ),
    DemoVisit(
        name="Nguyễn Văn Tùng",
        address="Phường Tân Phong",
        place="phuong-tan-phong",
        kind="feedback",
        sector="khac",
        content="Công dân đến trụ sở trong tình trạng say rượu, nói to, không trình bày được "
        "nội dung.",
        outcome=Outcome.REFUSED,
        ground=Ground.INCAPABLE,
        handling="Từ chối tiếp; mời người nhà đưa về, hẹn tiếp vào buổi khác.",
    ),
    DemoVisit(
        name="Lý Thị Mẩy",
        address="Xã Tân Uyên",
        place="xa-tan-uyen",
        kind="recommendation",
        sector="giao-duc",
        content="Hỏi chế độ hỗ trợ tiền ăn, tiền nhà ở cho học sinh bán trú ở bản cách trường "
        "trên 4 km.",
        outcome=Outcome.ANSWERED,
        handling="Giải thích chính sách hỗ trợ học sinh bán trú và hướng dẫn gia đình làm đơn "
        "qua nhà trường.",
        phone="0900 240 003",
    ),
    DemoVisit(
        name="Đèo Văn Khiêm",
        address="Phường Đoàn Kết",
        place="phuong-doan-ket",
        kind="complaint",
        sector="dat-dai",
        content="Khiếu nại tiếp việc bồi thường đã được Chủ tịch UBND tỉnh giải quyết lần hai "
        "năm 2022; công dân lớn tiếng, đe dọa cán bộ tiếp dân.",
        prior="Quyết định giải quyết khiếu nại lần hai của Chủ tịch UBND tỉnh năm 2022.",
        outcome=Outcome.REFUSED,
        ground=Ground.THREATS,
        handling="Lập biên bản, từ chối tiếp theo Điều 9 Luật Tiếp công dân.",
    ),
]


def _recurring(host: Host, *, weekday: int, first: dt.date, last: dt.date) -> list[Schedule]:
    by = demo_user(host.recorder)
    return schedule_add_recurring(
        agency=by.agency,
        by=by,
        weekday=weekday,
        first=first,
        last=last,
        start_time=host.start,
        end_time=host.end,
        host=host.host,
        place=host.place,
    )


def _plan(host: Host, day: dt.date, *, kind: str = SessionKind.PERIODIC) -> Schedule:
    by = demo_user(host.recorder)
    return schedule_add(
        agency=by.agency,
        by=by,
        date=day,
        start_time=host.start,
        end_time=host.end,
        host=host.host,
        place=host.place,
        kind=kind,
    )


def _hold(
    host: Host,
    schedule: Schedule | None,
    *,
    day: dt.date | None = None,
    kind: str = SessionKind.PERIODIC,
    presider_type: str = PresiderType.HEAD,
    presider_name: str = "",
    ad_hoc_reason: str = "",
    note: str = "",
) -> ReceptionSession:
    by = demo_user(host.recorder)
    head = presider_type == PresiderType.HEAD
    return session_log(
        agency=by.agency,
        by=by,
        kind=schedule.kind if schedule else kind,
        date=schedule.date if schedule else day,
        schedule=schedule,
        presider_type=presider_type,
        presider_name=presider_name or host.presider_name,
        presider=demo_user(host.presider) if head and host.presider else None,
        officers=[by],
        ad_hoc_reason=ad_hoc_reason,
        note=f"{DEMO_MARK} {note}".strip(),
    )


def _receive(session: ReceptionSession, visits: list[DemoVisit]) -> list[Visit]:
    by = session.recorded_by
    return [
        visit_log(
            session=session,
            by=by,
            data=VisitData(
                full_name=v.name,
                address=v.address,
                phone=v.phone,
                kind=v.kind,
                sector=Sector.objects.get(code=v.sector),
                location_unit=AdministrativeUnit.objects.get(code=v.place),
                content=v.content,
                request=v.request,
                prior_handling=v.prior,
                denounced=v.denounced,
                group_size=v.group_size,
                representatives=list(v.representatives),
                outcome=v.outcome,
                refusal_ground=v.ground,
                handling=v.handling,
            ),
        )
        for v in visits
    ]


def _working_days(first: dt.date, last: dt.date, weekdays: set[int]) -> list[dt.date]:
    cal = get_calendar()
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if d.weekday() in weekdays and cal.is_working_day(d)]


def _monthly(first: dt.date, last: dt.date) -> list[dt.date]:
    """The province chairman's days between two dates: the 15th, or the next working day."""
    cal, days = get_calendar(), []
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        day = cal.next_working_day(month.replace(day=PROVINCE_DAY))
        if first <= day <= last:
            days.append(day)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return days


def _first_week_of_last_month(today: dt.date) -> dt.date:
    """The Monday of last month's first week, the week holding its first Thursday (ISO 8601,
    as ``selectors.compliance`` counts weeks)."""
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    thursday = start + dt.timedelta(days=(3 - start.weekday()) % 7)
    return thursday - dt.timedelta(days=3)


def _seed_muong_kim(today: dt.date, first: dt.date, last: dt.date) -> list[ReceptionSession]:
    """Every Monday; of the past weeks, the third-last delegated and the second-last missed,
    and an ad hoc session for a group in the last fortnight. Sessions are logged in date
    order, so the reception log numbers its visits as they came."""
    entries = _recurring(MUONG_KIM, weekday=0, first=first, last=last)
    past = [s for s in entries if s.date < today]
    delegated, missed = (past[-3], past[-2]) if len(past) >= 3 else (past[0], past[-1])
    heads = [e for e in past if e not in (delegated, missed)]
    visits = {delegated.pk: DEPUTY_VISITS}
    if len(heads) >= 2:  # the weeks around the delegated and the missed one
        visits[heads[-2].pk], visits[heads[-1].pk] = MUONG_KIM_VISITS[:2], MUONG_KIM_VISITS[2:]
    else:
        visits[delegated.pk] = DEPUTY_VISITS + MUONG_KIM_VISITS
    group_days = _working_days(
        today - dt.timedelta(days=12), today - dt.timedelta(days=1), {1, 2, 3}
    )
    group_day = group_days[0] if group_days else past[-1].date
    sessions: list[ReceptionSession] = []
    group: ReceptionSession | None = None
    for entry in past:
        if group is None and group_day < entry.date:
            group = _group_session(group_day)
            sessions.append(group)
        if entry == missed:
            schedule_cancel(
                schedule=entry,
                by=demo_user(MUONG_KIM.recorder),
                reason="Chủ tịch UBND xã dự hội nghị tại tỉnh; không bố trí được người chủ trì.",
            )
            continue
        if entry == delegated:
            session = _hold(
                MUONG_KIM,
                entry,
                presider_type=PresiderType.DEPUTY,
                presider_name=MUONG_KIM_DEPUTY,
                note="Chủ tịch UBND xã đi công tác, ủy quyền Phó Chủ tịch.",
            )
        else:
            session = _hold(MUONG_KIM, entry, note="Tiếp công dân định kỳ.")
        _receive(session, visits.get(entry.pk, []))
        sessions.append(session)
    if group is None:
        sessions.append(_group_session(group_day))
    return sessions


def _group_session(day: dt.date) -> ReceptionSession:
    """The chairman receives a group of seven households at once (Art. 18(3), Art. 29)."""
    session = _hold(
        MUONG_KIM,
        None,
        day=day,
        kind=SessionKind.AD_HOC,
        ad_hoc_reason="Bảy hộ dân bản 6 đến trụ sở cùng lúc về nguy cơ sạt lở nhà ở; vụ việc "
        "đông người, cần Chủ tịch trực tiếp tiếp (Luật Tiếp công dân Điều 18(3)).",
        note="Tiếp đột xuất đoàn đông người.",
    )
    _receive(session, GROUP_VISITS)
    return session


def _seed_tan_phong(today: dt.date, first: dt.date, last: dt.date) -> list[ReceptionSession]:
    """Every Thursday, each past week held in person."""
    entries = _recurring(TAN_PHONG, weekday=3, first=first, last=last)
    sessions = [
        _hold(TAN_PHONG, entry, note="Tiếp công dân định kỳ.")
        for entry in entries
        if entry.date < today
    ]
    if sessions:
        _receive(sessions[-1], TAN_PHONG_VISITS)
    return sessions


def _seed_province(today: dt.date, first: dt.date, last: dt.date) -> list[ReceptionSession]:
    """Monthly at the board's premises, each day past held in person; the visits on the last."""
    days = _monthly(first, last)
    held = [d for d in days if d < today]
    for day in (d for d in days if d >= today):
        _plan(PROVINCE, day)
    sessions = [
        _hold(PROVINCE, _plan(PROVINCE, day), note="Chủ tịch UBND tỉnh tiếp công dân định kỳ.")
        for day in held
    ]
    if sessions:
        _receive(sessions[-1], PROVINCE_VISITS)
    return sessions


def _seed_board(today: dt.date, last: dt.date) -> list[ReceptionSession]:
    """Regular reception on Tuesdays and Fridays; the last two days past are logged."""
    for day in _working_days(today, last, {1, 4}):
        _plan(BOARD, day, kind=SessionKind.REGULAR)
    held = _working_days(today - dt.timedelta(days=14), today - dt.timedelta(days=1), {1, 4})
    sessions = [
        _hold(
            BOARD,
            _plan(BOARD, day, kind=SessionKind.REGULAR),
            presider_type=PresiderType.OFFICER,
            note="Tiếp công dân thường xuyên.",
        )
        for day in held[-2:]
    ]
    if len(sessions) == 2:
        _receive(sessions[0], BOARD_VISITS[:2])
        _receive(sessions[1], BOARD_VISITS[2:])
    elif sessions:
        _receive(sessions[0], BOARD_VISITS)
    return sessions


@transaction.atomic
def demo_seed() -> list[ReceptionSession]:
    """Create the demo calendar, sessions and visits, once; returns the sessions created."""
    if ReceptionSession.objects.filter(note__startswith=DEMO_MARK).exists():
        return []
    today = timezone.localdate()
    first = _first_week_of_last_month(today)
    last = today + dt.timedelta(weeks=WEEKS_AHEAD)
    return [
        *_seed_muong_kim(today, first, last),
        *_seed_tan_phong(today, first, last),
        *_seed_province(today, first, last),
        *_seed_board(today, last),
    ]
