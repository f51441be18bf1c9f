"""Demo accountability data for ``make run``: dialogues, grassroots mediation and the provincial
People's Council, made through the service functions by the demo accounts of ``demo.accounts``.

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
working days, so the lists look alive whenever the seed runs. Run it after ``demo.accounts`` (the
accounts and villages), ``demo.petitions`` and ``demo.reception``, as ``seed_demo`` does: the
civil-dispute petition made here carries the petitions' demo mark, and the petitions' seed
does nothing once a petition with that mark exists. Never for production.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from complaints.models import Petition
from demo.common import (
    DEMO_MARK,
    MK,
    demo_user,
    working_day_after,
    working_day_back,
    working_days_ago,
)
from demo.council import _council
from demo.mediation import TEAMS, _mediation
from dialogues import services
from dialogues.models import (
    CommitmentSource,
    Dialogue,
)
from gov.models import AdministrativeUnit, Agency
from reception.models import ReceptionSession

# --- dialogues -------------------------------------------------------------------------------


def _road_petitions() -> list[Petition]:
    """The demo complaint about compensation on the Mường Kim – Tà Mung road, if seeded."""
    return list(
        Petition.objects.filter(
            location_address__startswith=DEMO_MARK,
            items__summary__contains="đường Mường Kim – Tà Mung",
        ).distinct()
    )


def _held_dialogue() -> Dialogue:
    leader, officer = demo_user("lanhdao.muongkim"), demo_user("xuly.muongkim")
    date = working_days_ago(40)
    dialogue = services.dialogue_plan(
        agency=Agency.objects.get(code=MK),
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
        announced_on=working_day_back(date - dt.timedelta(days=10)),
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
        published_on=working_day_after(date, 7),
    )
    kept = services.commitment_make(
        source=CommitmentSource.DIALOGUE,
        source_object=dialogue,
        owner_agency=Agency.objects.get(code=MK),
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
        on=working_day_after(date, 18),
    )
    late = services.commitment_make(
        source=CommitmentSource.DIALOGUE,
        source_object=dialogue,
        owner_agency=Agency.objects.get(code=MK),
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
    leader = demo_user("lanhdao.muongkim")
    dialogue = services.dialogue_plan(
        agency=Agency.objects.get(code=MK),
        unit=AdministrativeUnit.objects.get(code="xa-muong-kim-2"),
        leader_name="Chủ tịch UBND xã Mường Kim",
        leader=leader,
        topic=f"{DEMO_MARK} Đối thoại với nhân dân về nước sinh hoạt và điểm trường bản 2",
        date=(timezone.localdate() + dt.timedelta(days=4)),
        start_time=dt.time(14, 0),
        place="Nhà văn hóa Bản 2",
        participants="Chủ tịch UBND xã; Trạm y tế xã; Trường Tiểu học Mường Kim; người dân Bản 2.",
        expected_participants=60,
        by=leader,
    )
    return services.dialogue_announce(
        dialogue=dialogue, by=leader, announced_on=timezone.localdate()
    )


def _reception_promise() -> int:
    """A promise the chairman of Mường Kim made in the latest demo reception session, when the
    reception demo was seeded: the tracker follows promises from every source."""
    session = (
        ReceptionSession.objects.filter(
            agency__code=MK, note__startswith=DEMO_MARK, date__lte=timezone.localdate()
        )
        .order_by("-date")
        .first()
    )
    if session is None:
        return 0
    leader = demo_user("lanhdao.muongkim")
    services.commitment_make(
        source=CommitmentSource.RECEPTION,
        source_object=session,
        owner_agency=Agency.objects.get(code=MK),
        owner_name="Chủ tịch UBND xã Mường Kim",
        owner=leader,
        content="Trả lời bằng văn bản cho các hộ Bản 1 về việc cấp giấy chứng nhận quyền sử "
        "dụng đất ở sau khi kiểm tra hồ sơ địa chính.",
        made_on=session.date,
        deadline=max((timezone.localdate() + dt.timedelta(days=10)), session.date),
        by=leader,
    )
    return 1


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
