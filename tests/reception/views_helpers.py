"""What the tests of the reception pages (``test_views_*.py``) share: the pages' addresses,
logins, and sessions and visits made through the forms."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from gov.models import AdministrativeUnit, Sector, User
from reception import services
from reception.models import PresiderType, ReceptionSession, Schedule, SessionKind

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Role = User.Role
MK = "ubnd-xa-muong-kim"
TP = "ubnd-phuong-tan-phong"
CALENDAR = reverse("reception:calendar")
SESSIONS = reverse("reception:sessions")
LOG_SESSION = reverse("reception:session_log")
RECEPTION_LOG = reverse("reception:log")
COMPLIANCE = reverse("reception:compliance")
SECRET_NAME = "Zyxwq Bí Mật"


def at(year: int, month: int, day: int, hour: int = 9) -> time_machine.travel:
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=VN), tick=False)


def login(client: Client, user: User, language: str = "en") -> Client:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def plan(user: User, day: dt.date, host: str = "Chủ tịch UBND", **kwargs: object) -> Schedule:
    return services.schedule_add(
        agency=user.agency,
        by=user,
        date=day,
        start_time=dt.time(7, 30),
        end_time=dt.time(11, 0),
        host=host,
        place=kwargs.pop("place", "Trụ sở UBND"),
        **kwargs,
    )


def held(
    user: User, day: dt.date, presider_type: str = PresiderType.HEAD, **kwargs: object
) -> ReceptionSession:
    return services.session_log(
        agency=user.agency,
        by=user,
        kind=kwargs.pop("kind", SessionKind.PERIODIC),
        date=day,
        presider_type=presider_type,
        presider_name="Lò Văn Kim, Chủ tịch UBND xã",
        **kwargs,
    )


def visit_form(**overrides: object) -> dict:
    data = {
        "full_name": "Lò Thị Mai",
        "id_number": "012345678901",
        "address": "Bản Nà Phát, xã Mường Kim",
        "phone": "0912 345 678",
        "kind": "recommendation",
        "sector": Sector.objects.get(code="dat-dai").pk,
        "location_unit": AdministrativeUnit.objects.get(code="xa-muong-kim").pk,
        "content": "Đề nghị xem xét cấp giấy chứng nhận quyền sử dụng đất cho gia đình.",
        "prior_handling": "",
        "request": "Cấp giấy chứng nhận",
        "group_size": 1,
        "representatives": "",
        "outcome": "guided",
        "handling": "Hướng dẫn nộp hồ sơ tại bộ phận một cửa.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
