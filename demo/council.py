"""Demo People's Council: sessions, questions, voters' recommendations (see ``demo.accountability``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from demo.common import (
    MK,
    demo_user,
    working_day_after,
    working_day_back,
    working_days_ago,
)
from dialogues import services
from dialogues.models import (
    CommitmentSource,
    CouncilSession,
    Question,
    VoterMeeting,
)
from gov.models import AdministrativeUnit, Agency, Sector, User
from gov.workdays import get_calendar

COUNCIL = "hdnd-tinh"


# --- the provincial People's Council ---------------------------------------------------------


def _term(day: dt.date) -> str:
    """The council's five-year term on ``day``: terms began in 2021 and 2026; an election year's
    first months (before the new councils meet, around April) still belong to the old term."""
    first = 2021 + 5 * ((day.year - 2021) // 5)
    if day.year == first and day.month < 4:
        first -= 5
    return f"{first}–{first + 5}"


def _session(start: dt.date, title: str, by: User) -> CouncilSession:
    council, term = Agency.objects.get(code=COUNCIL), _term(start)
    last = CouncilSession.objects.filter(council=council, term=term).aggregate(n=Max("number"))
    return services.council_session_create(
        council=council,
        by=by,
        number=(last["n"] or 0) + 1,
        term=term,
        start_date=start,
        end_date=min(get_calendar().add_working_days(start, 2), timezone.localdate()),
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
        asked_agency=Agency.objects.get(code=spec.agency),
        asked_official=spec.official,
        content=spec.question,
        asked_on=asked_on,
    )
    answered_on = session.end_date if spec.in_session else working_day_after(session.end_date, 12)
    services.question_answer(
        question=question,
        by=by,
        answer=spec.answer,
        in_session=spec.in_session,
        answered_on=answered_on,
    )
    deadline = max(timezone.localdate() + dt.timedelta(days=spec.deadline_in), answered_on)
    promise = services.commitment_make(
        source=CommitmentSource.COUNCIL_QUESTION,
        source_object=question,
        owner_agency=Agency.objects.get(code=spec.agency),
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
            on=max(working_day_back(min(deadline, timezone.localdate())), answered_on),
        )
    return question


def _council() -> tuple[CouncilSession, CouncilSession, VoterMeeting]:
    """The council's staff record its sessions, questions, resolutions and voter meetings; the
    provincial People's Committee answers and keeps the promises (``gov.authority``)."""
    clerk, by = demo_user("hdnd.tinh"), demo_user("lanhdao.tinh")
    previous = _session(
        working_days_ago(150), "Kỳ họp thường lệ: chất vấn về giao thông, đất đai, y tế", clerk
    )
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
            owner_agency=Agency.objects.get(code="ubnd-tinh"),
            owner_name="Chủ tịch UBND tỉnh",
            content="Sửa chữa, đưa vào sử dụng lại 12 công trình nước sinh hoạt tập trung hư "
            "hỏng ở các xã vùng cao.",
            made_on=previous.end_date,
            deadline=(timezone.localdate() + dt.timedelta(days=45)),
            by=by,
        ),
        by=by,
        note="Đã sửa chữa xong 7/12 công trình, trong đó có công trình nước Bản 2 xã Mường Kim.",
    )
    latest = _session(
        working_days_ago(12), "Kỳ họp thường lệ: xem xét việc thực hiện lời hứa", clerk
    )
    meeting = services.voter_meeting_create(
        council=Agency.objects.get(code=COUNCIL),
        unit=AdministrativeUnit.objects.get(code="xa-muong-kim"),
        by=clerk,
        date=working_days_ago(50),
        place="Hội trường UBND xã Mường Kim",
        deputies="Đại biểu HĐND tỉnh Lường Văn Tính, Hoàng Thị Lan",
        before_session=latest,
    )
    _recommendations(meeting)
    services.question_ask(
        session=latest,
        by=clerk,
        deputy="Đại biểu Lò Thị Hương",
        asked_agency=Agency.objects.get(code="so-giao-duc-dao-tao"),
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
    by = demo_user("hdnd.tinh")
    for spec in RECOMMENDATIONS:
        recommendation = services.voter_recommendation_add(
            meeting=meeting,
            by=by,
            content=spec.content,
            sector=Sector.objects.get(code=spec.sector),
            assigned_agency=Agency.objects.get(code=spec.agency),
            assigned_on=max(working_days_ago(spec.assigned_days_ago), meeting.date),
        )
        if not spec.reply:
            continue
        replier = demo_user("lanhdao.muongkim")
        replied_on = working_day_after(recommendation.assigned_on, 17)
        services.voter_recommendation_reply(
            recommendation=recommendation, by=replier, reply=spec.reply, replied_on=replied_on
        )
        services.commitment_make(
            source=CommitmentSource.VOTER_RECOMMENDATION,
            source_object=recommendation,
            owner_agency=Agency.objects.get(code=spec.agency),
            owner_name="Chủ tịch UBND xã Mường Kim",
            owner=replier,
            content=spec.promise,
            made_on=replied_on,
            deadline=(timezone.localdate() + dt.timedelta(days=25)),
            by=replier,
        )
