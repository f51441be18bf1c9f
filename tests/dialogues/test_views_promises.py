"""The pages of the promises (commitments): the public list, the staff list, a promise's page, its exports.

Pages are read in English (the language cookie), so the assertions do not depend on the
Vietnamese catalogue, which is translated separately."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dialogues.models import (
    Commitment,
    CommitmentSource,
)
from gov.models import User
from tests.dialogues.view_helpers import (
    MUONG_KIM,
    TAN_PHONG,
    browser,
    chart_count,
    dmy,
    held_dialogue,
    on,
    page,
    promise,
)
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db


# --- promises ---------------------------------------------------------------------------------


def test_public_promise_list_shows_a_promise_and_then_that_it_is_overdue() -> None:
    with time_machine.travel(on(2026, 3, 2), tick=False) as traveller:
        leader = staff_of(MUONG_KIM, User.Role.LEADER)
        promise(
            leader,
            made_on=dt.date(2026, 2, 20),
            deadline=dt.date(2026, 3, 20),
            content="Sửa đường vào bản Nà Phát trước mùa mưa",
        )
        visitor = browser()
        body = page(visitor, reverse("dialogues:promises"))
        assert "Sửa đường vào bản Nà Phát trước mùa mưa" in body
        assert "20/03/2026" in body
        assert '<span class="status status-on_track">On track</span>' in body
        assert chart_count(body, "On track") == 1 and chart_count(body, "Overdue") == 0
        assert "<script" not in body

        traveller.move_to(on(2026, 3, 25))
        body = page(visitor, reverse("dialogues:promises"))
        assert '<span class="status status-overdue">Overdue</span>' in body
        assert chart_count(body, "On track") == 0 and chart_count(body, "Overdue") == 1
        # each bar links to the filtered list
        assert 'href="/loi-hua/?status=overdue"' in body
        overdue_only = page(visitor, reverse("dialogues:promises"), status="overdue")
        assert "Sửa đường vào bản Nà Phát" in overdue_only
        assert "Sửa đường vào bản Nà Phát" not in page(
            visitor, reverse("dialogues:promises"), status="kept"
        )


def test_promise_not_public_stays_off_the_public_list() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    today = dt.date.today()
    c = promise(leader, made_on=today, deadline=today, content="Lời hứa nội bộ về hồ sơ đất")
    Commitment.objects.filter(pk=c.pk).update(is_public=False)
    assert "Lời hứa nội bộ" not in page(browser(), reverse("dialogues:promises"))
    assert "Lời hứa nội bộ" in page(browser(leader), reverse("dialogues:commitments"))


def test_staff_commitment_list_is_scoped_and_detail_out_of_scope_is_404() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    today = dt.date.today()
    c = promise(leader, made_on=today, deadline=today, content="Cấp nước sinh hoạt cho bản Hua Bó")
    mine = browser(leader)
    other = browser(staff_of(TAN_PHONG, User.Role.LEADER))
    assert "Cấp nước sinh hoạt cho bản Hua Bó" in page(mine, reverse("dialogues:commitments"))
    assert "Cấp nước sinh hoạt" not in page(other, reverse("dialogues:commitments"))
    assert other.get(reverse("dialogues:commitment", args=[c.pk])).status_code == 404
    response = other.post(
        reverse("dialogues:commitment_action", args=[c.pk, "progress"]),
        {"progress-note": "Đã làm"},
    )
    assert response.status_code == 404
    assert "Cấp nước sinh hoạt" in page(mine, reverse("dialogues:commitment", args=[c.pk]))


def test_staff_commitment_filters_by_status_source_and_overdue() -> None:
    with time_machine.travel(on(2026, 3, 2), tick=False):
        leader = staff_of(MUONG_KIM, User.Role.LEADER)
        promise(
            leader,
            made_on=dt.date(2026, 2, 1),
            deadline=dt.date(2026, 2, 20),
            content="Lời hứa đã quá hạn",
        )
        promise(
            leader,
            made_on=dt.date(2026, 2, 1),
            deadline=dt.date(2026, 6, 1),
            content="Lời hứa còn thời gian",
        )
        client = browser(leader)
        url = reverse("dialogues:commitments")
        overdue = page(client, url, overdue="on")
        assert "Lời hứa đã quá hạn" in overdue and "Lời hứa còn thời gian" not in overdue
        on_track = page(client, url, status="on_track")
        assert "Lời hứa còn thời gian" in on_track and "Lời hứa đã quá hạn" not in on_track
        assert "Lời hứa" not in page(client, url, source="council_question").split("</h1>")[1]
        latest_first = page(client, url, ordering="-deadline")
        assert latest_first.index("Lời hứa còn thời gian") < latest_first.index(
            "Lời hứa đã quá hạn"
        )


def test_marking_a_promise_kept_shows_it_kept_on_the_public_page() -> None:
    with time_machine.travel(on(2026, 3, 2), tick=False):
        leader = staff_of(MUONG_KIM, User.Role.LEADER)
        c = promise(
            leader,
            made_on=dt.date(2026, 2, 20),
            deadline=dt.date(2026, 3, 20),
            content="Lắp đèn chiếu sáng khu dân cư",
        )
        client = browser(leader)
        response = client.post(
            reverse("dialogues:commitment_action", args=[c.pk, "kept"]),
            {
                "kept-evidence": "Đã lắp 12 bóng đèn, nghiệm thu ngày 01/03/2026.",
                "kept-on": "01/03/2026",
            },
        )
        assert response.status_code == 302
        detail = page(client, reverse("dialogues:commitment", args=[c.pk]))
        assert "Kept" in detail and "Đã lắp 12 bóng đèn" in detail
        public = page(browser(), reverse("dialogues:promises"))
        assert '<span class="status status-kept">Kept</span>' in public
        assert "Đã lắp 12 bóng đèn" in public and "01/03/2026" in public
        assert chart_count(public, "Kept") == 1


def test_progress_and_new_deadline_are_in_the_history() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    today = dt.date.today()
    c = promise(leader, made_on=today, deadline=today, content="Hỗ trợ giống ngô")
    client = browser(leader)
    url = reverse("dialogues:commitment_action", args=[c.pk, "progress"])
    assert client.post(url, {"progress-note": "Đã lập danh sách hộ"}).status_code == 302
    later = today + dt.timedelta(days=30)
    response = client.post(
        reverse("dialogues:commitment_action", args=[c.pk, "deadline"]),
        {"deadline-deadline": dmy(later), "deadline-reason": "Chờ giống từ tỉnh"},
    )
    assert response.status_code == 302
    body = page(client, reverse("dialogues:commitment", args=[c.pk]))
    assert "Đã lập danh sách hộ" in body and "Chờ giống từ tỉnh" in body
    assert f"{dmy(today)} → {dmy(later)}" in body


def test_promise_recorded_from_a_dialogue_in_scope_only() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    dialogue = held_dialogue(leader, dt.date.today())
    url = f"{reverse('dialogues:commitment_new')}?nguon=dialogue&id={dialogue.pk}"
    other = browser(staff_of(TAN_PHONG, User.Role.LEADER))
    assert other.get(url).status_code == 404
    assert other.get(f"{reverse('dialogues:commitment_new')}?nguon=x&id=1").status_code == 404
    client = browser(leader)
    form = page(client, url)
    assert "Ông Lò Văn Chủ, Chủ tịch UBND xã" in form  # the leader is proposed
    response = client.post(
        url,
        {
            "content": "Khảo sát lại tuyến đường trong tháng",
            "owner_agency": leader.agency_id,
            "owner_name": "Ông Lò Văn Chủ",
            "made_on": dmy(dt.date.today()),
            "deadline": dmy(dt.date.today() + dt.timedelta(days=20)),
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    c = Commitment.objects.get(content="Khảo sát lại tuyến đường trong tháng")
    assert c.dialogue == dialogue and c.source == CommitmentSource.DIALOGUE
    assert "Khảo sát lại tuyến đường" in page(
        client, reverse("dialogues:dialogue", args=[dialogue.pk])
    )


def test_bad_promise_gives_400_with_messages_and_keeps_what_was_typed() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    dialogue = held_dialogue(leader, dt.date.today())
    url = f"{reverse('dialogues:commitment_new')}?nguon=dialogue&id={dialogue.pk}"
    response = browser(leader).post(
        url,
        {
            "content": "Làm cầu treo qua suối",
            "owner_agency": leader.agency_id,
            "owner_name": "Ông Lò Văn Chủ",
            "made_on": dmy(dt.date.today()),
            "deadline": dmy(dt.date.today() - dt.timedelta(days=3)),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Làm cầu treo qua suối" in body
    assert 'class="error-summary"' in body and "The deadline cannot precede the promise." in body
    assert not Commitment.objects.filter(content="Làm cầu treo qua suối").exists()


def test_service_refusal_is_a_400_form_error_not_a_500() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    today = dt.date.today()
    c = promise(leader, made_on=today, deadline=today, content="Sửa trạm y tế")
    response = browser(leader).post(
        reverse("dialogues:commitment_action", args=[c.pk, "kept"]),
        {"kept-evidence": "Đã sửa mái trạm y tế", "kept-on": dmy(today + dt.timedelta(days=5))},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Đã sửa mái trạm y tế" in body and "cannot be in the future" in body
    c.refresh_from_db()
    assert c.state == Commitment.State.OPEN


def test_commitments_export_to_xlsx_and_csv() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    today = dt.date.today()
    promise(leader, made_on=today, deadline=today, content="=HYPERLINK(1) làm đường")
    client = browser(leader)
    response = client.get(reverse("dialogues:commitments"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Promise" and "Deadline" in rows[0]
    assert rows[1][0] == "'=HYPERLINK(1) làm đường"  # a formula never runs
    assert rows[1][rows[0].index("Deadline")].date() == today
    csv_body = client.get(reverse("dialogues:commitments"), {"format": "csv"}).content.decode()
    assert "làm đường" in csv_body and dmy(today) in csv_body


def test_commitment_list_runs_the_same_queries_for_5_rows_as_for_40() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    today = dt.date.today()
    for n in range(5):
        promise(leader, made_on=today, deadline=today, content=f"Lời hứa {n}")
    client = browser(leader)
    client.get(reverse("dialogues:commitments"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("dialogues:commitments"))
    for n in range(35):
        promise(leader, made_on=today, deadline=today, content=f"Lời hứa thêm {n}")
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("dialogues:commitments")).status_code == 200
    assert len(large) == len(small)
