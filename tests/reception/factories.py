"""Builders for citizen reception: calendar entries, sessions and visits, made only through
``reception.services`` (the way the views and the demo make them)."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import factory

from gov.models import User
from reception.models import PresiderType, ReceptionSession, Schedule, SessionKind, Visit
from reception.services import VisitData, schedule_add, session_log, visit_log
from tests.complaints.factories import agency, sector, unit
from tests.gov.factories import staff_of

MUONG_KIM = "ubnd-xa-muong-kim"
TAN_PHONG = "ubnd-phuong-tan-phong"

# Distinct subjects, so that visits turned into petitions never look alike to the duplicate
# and mass detection of ``complaints`` unless a test wants them to.
_SUBJECTS = [
    "Đề nghị cấp giấy chứng nhận quyền sử dụng đất nương của gia đình",
    "Hỏi về chế độ trợ cấp cho người khuyết tật nặng",
    "Phản ánh mương thủy lợi bị bồi lấp sau lũ",
    "Đề nghị hỗ trợ làm lại nhà bị sạt lở",
    "Hỏi thủ tục đăng ký khai sinh muộn cho cháu",
    "Kiến nghị sửa cầu treo qua suối bị hư hỏng",
    "Phản ánh chậm chi trả tiền bảo vệ rừng",
    "Đề nghị làm rõ diện tích đất bị thu hồi làm trường học",
]
_subject = itertools.count()


def _content() -> str:
    n = next(_subject)
    return f"{_SUBJECTS[n % len(_SUBJECTS)]} (lượt {n})"


def reception_staff(agency_code: str = MUONG_KIM) -> SimpleNamespace:
    """A reception officer, a handler and a leader of one agency."""
    return SimpleNamespace(
        reception=staff_of(agency_code, User.Role.RECEPTION_OFFICER),
        handler=staff_of(agency_code, User.Role.HANDLER),
        leader=staff_of(agency_code, User.Role.LEADER),
    )


def add_schedule(*, by: User, date: dt.date, **fields: object) -> Schedule:
    values: dict[str, object] = {
        "agency": by.agency,
        "start_time": dt.time(7, 30),
        "end_time": dt.time(11, 0),
        "host": "Chủ tịch UBND xã",
        "place": "Trụ sở UBND xã",
    }
    values.update(fields)
    return schedule_add(by=by, date=date, **values)


def log_session(*, by: User, date: dt.date, **fields: object) -> ReceptionSession:
    """A periodic session presided by the head in person, unless ``fields`` say otherwise."""
    values: dict[str, object] = {
        "agency": by.agency,
        "kind": SessionKind.PERIODIC,
        "presider_type": PresiderType.HEAD,
        "presider_name": "Lò Văn Thắng",
    }
    values.update(fields)
    return session_log(by=by, date=date, **values)


class VisitDataFactory(factory.Factory):
    """A citizen answered on the spot, unless told otherwise."""

    class Meta:
        model = VisitData

    full_name = factory.Sequence(lambda n: f"Lò Văn Khách {n}")
    address = "Bản Nà Phát, xã Mường Kim"
    kind = "recommendation"
    sector = factory.LazyFunction(lambda: sector("dat-dai"))
    location_unit = factory.LazyFunction(lambda: unit("xa-muong-kim"))
    content = factory.LazyFunction(_content)
    outcome = Visit.Outcome.ANSWERED
    handling = "Đã giải thích quy định và trả lời trực tiếp."
    phone = factory.Sequence(lambda n: f"0913{n:06d}")


def log_visit(*, session: ReceptionSession, by: User, **fields: object) -> Visit:
    return visit_log(session=session, by=by, data=VisitDataFactory(**fields))


__all__ = [
    "MUONG_KIM",
    "TAN_PHONG",
    "VisitDataFactory",
    "add_schedule",
    "agency",
    "log_session",
    "log_visit",
    "reception_staff",
    "sector",
    "unit",
]
