"""One petition from the public form to its conclusion, through the pages users use: a
denunciation sent to the province (skip-level), transferred to the commune, accepted, extended
and concluded. At each step: the deadline, and what the citizen sees."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from complaints.models import PetitionItem
from gov.models import AdministrativeUnit, Agency, Sector, User
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DENOUNCER = "Quàng Văn Kín Đáo"


def _on(day: dt.date) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=TZ), tick=False
    )


def _citizen_sees(code: str, secret: str) -> str:
    client = Client()
    body = client.post(
        reverse("complaints:status"), {"code": code, "secret": secret}
    ).content.decode()
    assert DENOUNCER not in body
    return re.sub(r"\s+", " ", body)


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _act(client: Client, item: PetitionItem, action: str, data: dict | None = None) -> None:
    payload = {f"{action}-{k}": v for k, v in (data or {}).items()}
    response = client.post(reverse("complaints:case_action", args=[item.pk, action]), payload)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url.startswith("/can-bo/don/"), response.url  # not the login page


def test_denunciation_from_form_to_conclusion() -> None:
    board = staff_of("ban-tiep-cong-dan-tinh", User.Role.RECEPTION_OFFICER)
    commune_leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    handler = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)
    citizen = Client()

    # Fri 25/4/2025: the citizen sends it online to the provincial Citizen Reception Board.
    with _on(dt.date(2025, 4, 25)):
        submit = reverse("complaints:submit")
        citizen.get(submit)
        steps = [
            (
                "content",
                {
                    "kind": "denunciation",
                    "sector": Sector.objects.get(code="can-bo-cong-chuc").pk,
                    "summary": "Cán bộ địa chính xã nhận tiền của dân khi làm thủ tục cấp giấy chứng nhận đất.",
                    "denounced_person": "Cán bộ địa chính xã",
                    "denounced_agency": Agency.objects.get(code="ubnd-xa-muong-kim").pk,
                },
            ),
            (
                "place",
                {
                    "location_unit": AdministrativeUnit.objects.get(
                        name="Tà Mung"
                    ).pk,  # a former commune
                    "receiving_agency": Agency.objects.get(code="ban-tiep-cong-dan-tinh").pk,
                },
            ),
            (
                "submitter",
                {"submitter_type": "person", "full_name": DENOUNCER, "address": "Bản 5, Mường Kim"},
            ),
            ("documents", {}),
            ("review", {"confirm": "on"}),
        ]
        for step, data in steps:
            response = citizen.post(
                submit,
                {
                    "petition_wizard-current_step": step,
                    **{f"{step}-{k}": v for k, v in data.items()},
                },
            )
        assert response.status_code == 302
        sent = citizen.get(response.url).content.decode()
        code = re.search(r"LC\d\d-[0-9A-Z]{6}", sent).group(0)
        secret = re.search(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b", sent).group(0)
        first = PetitionItem.objects.get(petition__code=code)
        assert first.petition.unit.name == "Mường Kim"  # the former commune routes to its successor
        assert first.is_skip_level and first.proposed_agency.code == "ubnd-xa-muong-kim"
        assert first.due_on == dt.date(2025, 5, 8)  # 7 working days, across 30/4–2/5
        seen = _citizen_sees(code, secret)
        assert "Ban Tiếp công dân tỉnh Lai Châu" in seen and "08/05/2025" in seen

    # Mon 28/4: the board processes it and transfers it to the commune.
    with _on(dt.date(2025, 4, 28)):
        board_client = _login(board)
        _act(board_client, first, "start-processing")
        _act(
            board_client,
            first,
            "transfer",
            {"target": Agency.objects.get(code="ubnd-xa-muong-kim").pk},
        )
        letter = first.letters.get()
        assert DENOUNCER not in letter.body
        item = PetitionItem.objects.get(transferred_from=first)
        assert item.agency.code == "ubnd-xa-muong-kim" and item.due_on == dt.date(2025, 5, 12)
        seen = _citizen_sees(code, secret)
        assert "Ủy ban nhân dân xã Mường Kim" in seen and "12/05/2025" in seen

    # Fri 9/5: the commune accepts it; 30 days end on Sunday 8/6, so on Monday 9/6.
    with _on(dt.date(2025, 5, 9)):
        leader_client = _login(commune_leader)
        assert (
            DENOUNCER
            in leader_client.get(reverse("complaints:case", args=[item.pk])).content.decode()
        )
        _act(leader_client, item, "accept", {"handler": handler.pk, "accepted_on": "09/05/2025"})
        item.refresh_from_db()
        assert item.due_on == dt.date(2025, 6, 9)
        assert "09/06/2025" in _citizen_sees(code, secret)

    # Thu 5/6: verification, and one extension of 30 days for a complex case: 60 days from
    # acceptance end on Tue 8/7 (the roll of the first period to Monday is not carried over).
    with _on(dt.date(2025, 6, 5)):
        handler_client = _login(handler)
        _act(handler_client, item, "start-verification")
        _act(handler_client, item, "extend", {"reason": "Cần xác minh tại nhiều nơi."})
        item.refresh_from_db()
        assert item.due_on == dt.date(2025, 7, 8)
        refused = handler_client.post(
            reverse("complaints:case_action", args=[item.pk, "extend"]),
            {"extend-reason": "Thêm lần nữa."},
        )
        assert refused.status_code == 400
        assert [d.due_on for d in item.deadlines.order_by("id")] == [
            dt.date(2025, 5, 12),
            dt.date(2025, 6, 9),
            dt.date(2025, 7, 8),
        ]
        assert "08/07/2025" in _citizen_sees(code, secret)

    # Tue 1/7: conclusion, on time; then the case is closed.
    with _on(dt.date(2025, 7, 1)):
        handler_client, leader_client = (
            _login(handler),
            _login(commune_leader),
        )  # sessions last 2 weeks
        _act(
            handler_client,
            item,
            "conclude",
            {
                "conclusion": "Tố cáo đúng một phần; đã xử lý kỷ luật.",
                "decision_number": "45/KL-UBND",
                "concluded_on": "01/07/2025",
            },
        )
        _act(leader_client, item, "close")
        item.refresh_from_db()
        assert item.status == "closed" and item.concluded_on <= item.due_on
        seen = _citizen_sees(code, secret)
        for step in [
            "Ban Tiếp công dân tỉnh Lai Châu",
            "Ủy ban nhân dân xã Mường Kim",
            "08/07/2025",
        ]:
            assert step in seen
    # Nothing in the staff timeline of another commune: it is out of scope.
    other = _login(staff_of("ubnd-phuong-tan-phong", User.Role.LEADER))
    assert other.get(reverse("complaints:case", args=[item.pk])).status_code == 404
