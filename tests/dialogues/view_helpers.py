"""What the tests of the accountability pages (``test_views_*.py``) share: dates, a client
reading the pages in English, and records made through the services."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import Client

from dialogues import services
from dialogues.models import (
    Commitment,
    CommitmentSource,
    Dialogue,
    MediationTeam,
)
from gov.models import AdministrativeUnit, User
from tests.gov.factories import UnitFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MUONG_KIM = "ubnd-xa-muong-kim"
TAN_PHONG = "ubnd-phuong-tan-phong"


def on(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 9, tzinfo=VN)


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def browser(user: User | None = None) -> Client:
    """A client reading the pages in English, logged in as ``user`` if given."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def page(client: Client, url: str, **params: object) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response
    return response.content.decode()


def chart_count(body: str, label: str) -> int:
    """The number a bar of the SVG chart shows for ``label`` (read from its <title>)."""
    svg = body[body.index("<svg") : body.index("</svg>")]
    return int(re.search(rf"<title>{re.escape(label)}: (\d+)</title>", svg).group(1))


def held_dialogue(leader: User, day: dt.date, topic: str = "Đường vào bản Nà Phát") -> Dialogue:
    dialogue = services.dialogue_plan(
        agency=leader.agency,
        unit=leader.agency.unit,
        leader_name="Ông Lò Văn Chủ, Chủ tịch UBND xã",
        topic=topic,
        date=day,
        place="Nhà văn hóa bản Nà Phát",
        announced_on=day - dt.timedelta(days=10),
        by=leader,
    )
    return services.dialogue_record(
        dialogue=dialogue, by=leader, minutes="Người dân nêu ý kiến về đường.", issues_raised=""
    )


def promise(leader: User, *, made_on: dt.date, deadline: dt.date, content: str) -> Commitment:
    return services.commitment_make(
        source=CommitmentSource.DIALOGUE,
        source_object=held_dialogue(leader, made_on),
        owner_agency=leader.agency,
        owner_name="Ông Lò Văn Chủ",
        content=content,
        made_on=made_on,
        deadline=deadline,
        by=leader,
    )


def village(code: str = "ban-na-phat-mk") -> AdministrativeUnit:
    commune = AdministrativeUnit.objects.get(code="xa-muong-kim")
    return UnitFactory(parent=commune, unit_type="village", code=code, name="Nà Phát")


def team_with_mediator(leader: User) -> MediationTeam:
    team = services.team_create(unit=village(), name="Tổ hòa giải bản Nà Phát", by=leader)
    services.mediator_add(team=team, by=leader, full_name="Lò Thị Hoa", gender="female")
    return team
