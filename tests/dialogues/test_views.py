"""Accountability pages through HTTP: the public promises and dialogues, and the staff pages
of the commitment tracker, dialogues, grassroots mediation and the People's Council.

Pages are read in English (the language cookie), so the assertions do not depend on the
Vietnamese catalogue, which is translated separately."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dialogues import services
from dialogues.models import (
    Commitment,
    CommitmentSource,
    CouncilSession,
    Dialogue,
    MediationCase,
    MediationTeam,
    Question,
)
from gov.models import AdministrativeUnit, Agency, Sector, User
from tests.complaints.factories import ItemDataFactory, submit_item
from tests.gov.factories import UnitFactory, staff_of
from tests.html import unlabelled

pytestmark = pytest.mark.django_db
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


# --- dialogues --------------------------------------------------------------------------------


def dialogue_form(leader: User, **overrides: str) -> dict[str, object]:
    data = {
        "topic": "Giải phóng mặt bằng đường tỉnh 132",
        "agency": leader.agency_id,
        "unit": leader.agency.unit_id,
        "leader_name": "Ông Lò Văn Chủ, Chủ tịch UBND xã",
        "date": dmy(dt.date.today() + dt.timedelta(days=3)),
        "start_time": "08:00",
        "place": "Hội trường UBND xã",
        "participants": "Các hộ bị ảnh hưởng",
        "expected_participants": "40",
        "announced_on": "",
        "related_petitions": "",
    }
    data.update(overrides)
    return data


def test_dialogue_planned_three_days_ahead_warns_that_it_was_not_announced_in_time() -> None:
    with time_machine.travel(on(2026, 3, 2), tick=False):
        leader = staff_of(MUONG_KIM, User.Role.LEADER)
        client = browser(leader)
        response = client.post(reverse("dialogues:dialogue_new"), dialogue_form(leader))
        assert response.status_code == 302
        dialogue = Dialogue.objects.get(topic="Giải phóng mặt bằng đường tỉnh 132")
        assert dialogue.date == dt.date(2026, 3, 5)
        detail = page(client, response.url)
        assert "Not announced yet." in detail
        assert html.escape(dialogue.announcement_warning) in detail
        assert "26/02/2026" in dialogue.announcement_warning  # 7 days before the 5th
        listing = page(client, reverse("dialogues:dialogues"))
        assert "Not announced yet." in listing and "Giải phóng mặt bằng" in listing


def test_dialogue_recorded_shows_results_due_and_published_results_go_public() -> None:
    with time_machine.travel(on(2026, 3, 2), tick=False) as traveller:
        leader = staff_of(MUONG_KIM, User.Role.LEADER)
        client = browser(leader)
        response = client.post(
            reverse("dialogues:dialogue_new"),
            dialogue_form(leader, date="12/03/2026", announced_on="02/03/2026"),
        )
        assert response.status_code == 302
        dialogue = Dialogue.objects.get(topic="Giải phóng mặt bằng đường tỉnh 132")
        assert "Not announced yet." not in page(client, response.url)
        upcoming = page(browser(), reverse("dialogues:public_dialogues"))
        assert "Giải phóng mặt bằng đường tỉnh 132" in upcoming and "12/03/2026" in upcoming

        traveller.move_to(on(2026, 3, 12))
        client = browser(leader)
        response = client.post(
            reverse("dialogues:dialogue_action", args=[dialogue.pk, "record"]),
            {
                "record-minutes": "Ba mươi hộ dự, nêu ý kiến về giá bồi thường.",
                "record-issues_raised": "Giá bồi thường đất nông nghiệp",
                "record-attendance": "30",
            },
        )
        assert response.status_code == 302
        detail = page(client, reverse("dialogues:dialogue", args=[dialogue.pk]))
        # 10 days after the dialogue: Sunday 22/03, so the next working day
        assert "Results due by 23/03/2026." in detail
        assert "Record a promise made here" in detail

        response = client.post(
            reverse("dialogues:dialogue_action", args=[dialogue.pk, "publish"]),
            {
                "publish-results": "UBND xã sẽ đề nghị tỉnh xem xét lại đơn giá bồi thường.",
                "publish-published_on": "12/03/2026",
            },
        )
        assert response.status_code == 302
        public = page(browser(), reverse("dialogues:public_dialogues"))
        assert "UBND xã sẽ đề nghị tỉnh xem xét lại đơn giá bồi thường." in public
        assert "Published on 12/03/2026." in public


def test_dialogue_results_overdue_are_flagged() -> None:
    with time_machine.travel(on(2026, 3, 2), tick=False) as traveller:
        leader = staff_of(MUONG_KIM, User.Role.LEADER)
        dialogue = held_dialogue(leader, dt.date(2026, 3, 2))
        traveller.move_to(on(2026, 3, 20))
        assert dialogue.results_overdue(dt.date(2026, 3, 20))
        listing = page(browser(leader), reverse("dialogues:dialogues"))
        assert "Results overdue" in listing and "12/03/2026" in listing


def test_dialogue_with_related_petitions_by_tracking_code() -> None:
    handler = staff_of(MUONG_KIM, User.Role.HANDLER)
    item = submit_item()
    code = item.petition.code
    client = browser(handler)
    bad = client.post(
        reverse("dialogues:dialogue_new"),
        dialogue_form(handler, related_petitions=f"{code}, LC26-ZZZZZZ"),
    )
    assert bad.status_code == 400
    assert "LC26-ZZZZZZ" in bad.content.decode()
    good = client.post(
        reverse("dialogues:dialogue_new"),
        dialogue_form(handler, related_petitions=code.lower()),
    )
    assert good.status_code == 302
    assert f"{code}/{item.number}" in page(client, good.url)


def test_bad_dialogue_form_is_a_400_that_keeps_what_was_typed() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    response = browser(leader).post(
        reverse("dialogues:dialogue_new"), dialogue_form(leader, date="31/02/2026", place="")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Giải phóng mặt bằng đường tỉnh 132" in body and "31/02/2026" in body
    assert 'class="error-summary"' in body and 'aria-invalid="true"' in body


def test_recording_a_dialogue_before_it_is_held_is_refused() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    client = browser(leader)
    client.post(reverse("dialogues:dialogue_new"), dialogue_form(leader))
    dialogue = Dialogue.objects.get(topic="Giải phóng mặt bằng đường tỉnh 132")
    response = client.post(
        reverse("dialogues:dialogue_action", args=[dialogue.pk, "record"]),
        {"record-minutes": "Biên bản viết trước"},
    )
    assert response.status_code == 400
    assert "Biên bản viết trước" in response.content.decode()
    dialogue.refresh_from_db()
    assert dialogue.state == Dialogue.State.PLANNED


# --- grassroots mediation ---------------------------------------------------------------------


def village(code: str = "ban-na-phat-mk") -> AdministrativeUnit:
    commune = AdministrativeUnit.objects.get(code="xa-muong-kim")
    return UnitFactory(parent=commune, unit_type="village", code=code, name="Nà Phát")


def test_mediation_team_with_two_members_shows_the_warnings_of_article_12() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    unit = village()
    client = browser(leader)
    form = page(client, reverse("dialogues:team_new"))
    assert f'value="{unit.pk}"' in form  # the commune's villages are offered
    response = client.post(
        reverse("dialogues:team_new"), {"unit": unit.pk, "name": "Tổ hòa giải bản Nà Phát"}
    )
    assert response.status_code == 302
    team = MediationTeam.objects.get(unit=unit)
    for name in ("Lò Văn Một", "Tòng Văn Hai"):
        response = client.post(
            reverse("dialogues:team_action", args=[team.pk, "mediator"]),
            {"mediator-full_name": name, "mediator-gender": "male"},
        )
        assert response.status_code == 302
    for url in (reverse("dialogues:mediation"), reverse("dialogues:team", args=[team.pk])):
        body = page(client, url)
        assert "Fewer than 3 mediators" in body and "No woman among the mediators" in body
    client.post(
        reverse("dialogues:team_action", args=[team.pk, "mediator"]),
        {
            "mediator-full_name": "Lò Thị Ba",
            "mediator-gender": "female",
            "mediator-is_ethnic_minority": "on",
            "mediator-ethnicity": "Thái",
        },
    )
    body = page(client, reverse("dialogues:team", args=[team.pk]))
    assert "Fewer than 3 mediators" not in body and "No woman" not in body
    other = browser(staff_of(TAN_PHONG, User.Role.LEADER))
    assert "Tổ hòa giải bản Nà Phát" not in page(other, reverse("dialogues:mediation"))
    assert other.get(reverse("dialogues:team", args=[team.pk])).status_code == 404


def team_with_mediator(leader: User) -> MediationTeam:
    team = services.team_create(unit=village(), name="Tổ hòa giải bản Nà Phát", by=leader)
    services.mediator_add(team=team, by=leader, full_name="Lò Thị Hoa", gender="female")
    return team


def test_case_from_a_petition_concluded_unsuccessful_continues_the_petition() -> None:
    handler = staff_of(MUONG_KIM, User.Role.HANDLER)
    team = team_with_mediator(handler)
    item = submit_item(
        items=[
            ItemDataFactory(
                sector=Sector.objects.get(code="tranh-chap-dan-su"),
                summary="Tranh chấp ranh giới đất vườn giữa hai hộ gia đình ở bản Nà Phát",
            )
        ]
    )
    client = browser(handler)
    url = f"{reverse('dialogues:mediation_new')}?don={item.pk}"
    assert browser(staff_of(TAN_PHONG, User.Role.HANDLER)).get(url).status_code == 404
    form = page(client, url)
    assert f"{item.petition.code}/{item.number}" in form
    assert "Tranh chấp ranh giới đất vườn" in form  # the dispute is proposed
    response = client.post(
        url,
        {
            "team": team.pk,
            "mediator": team.members.get().pk,
            "parties": "Hộ ông A và hộ ông B",
            "dispute": "Tranh chấp ranh giới đất vườn",
            "assigned_on": dmy(dt.date.today()),
        },
    )
    assert response.status_code == 302
    case = MediationCase.objects.get(source_item=item)
    response = client.post(
        reverse("dialogues:mediation_action", args=[case.pk, "conclude"]),
        {"conclude-outcome": "unsuccessful", "conclude-outcome_on": dmy(dt.date.today())},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.escalated and case.outcome == MediationCase.Outcome.UNSUCCESSFUL
    assert "continued as a petition" in page(
        client, reverse("dialogues:mediation_case", args=[case.pk])
    )
    petition_page = page(client, reverse("complaints:case", args=[item.pk]))
    assert "Mediation did not settle the dispute" in petition_page
    assert "continues to handle your petition" in petition_page
    item.refresh_from_db()
    assert item.is_open


def test_successful_mediation_needs_terms_and_can_be_followed_up() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    team = team_with_mediator(leader)
    case = services.mediation_open(
        team=team,
        by=leader,
        parties="Hộ bà C và hộ ông D",
        dispute="Trâu phá hoa màu",
        mediator=team.members.get(),
        assigned_on=dt.date.today(),
    )
    client = browser(leader)
    url = reverse("dialogues:mediation_action", args=[case.pk, "conclude"])
    bad = client.post(
        url, {"conclude-outcome": "successful", "conclude-outcome_on": dmy(dt.date.today())}
    )
    assert bad.status_code == 400
    assert "records the terms of the agreement" in bad.content.decode()
    good = client.post(
        url,
        {
            "conclude-outcome": "successful",
            "conclude-outcome_on": dmy(dt.date.today()),
            "conclude-agreement_terms": "Hộ ông D bồi thường 2 triệu đồng",
        },
    )
    assert good.status_code == 302
    response = client.post(
        reverse("dialogues:mediation_action", args=[case.pk, "follow-up"]),
        {"follow-up-note": "Đã trả đủ tiền", "follow-up-agreement_kept": "yes"},
    )
    assert response.status_code == 302
    body = page(client, reverse("dialogues:mediation_case", args=[case.pk]))
    assert "Đã trả đủ tiền" in body and "Hộ ông D bồi thường 2 triệu đồng" in body


def test_case_not_started_in_time_is_highlighted() -> None:
    with time_machine.travel(on(2026, 3, 2), tick=False) as traveller:
        leader = staff_of(MUONG_KIM, User.Role.LEADER)
        team = team_with_mediator(leader)
        case = services.mediation_open(
            team=team,
            by=leader,
            parties="Hộ E và hộ F",
            dispute="Tranh chấp lối đi chung",
            mediator=team.members.get(),
            assigned_on=dt.date(2026, 3, 2),
        )
        assert case.start_due_on == dt.date(2026, 3, 5)
        assert "not started in time" not in page(browser(leader), reverse("dialogues:mediation"))
        traveller.move_to(on(2026, 3, 9))
        client = browser(leader)
        assert "not started in time" in page(client, reverse("dialogues:mediation"))
        response = client.post(
            reverse("dialogues:mediation_action", args=[case.pk, "start"]),
            {"start-started_on": "09/03/2026"},
        )
        assert response.status_code == 302
        assert "not started in time" not in page(client, reverse("dialogues:mediation"))


def test_grassroots_results_chart_and_table() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    team = team_with_mediator(leader)
    case = services.mediation_open(
        team=team,
        by=leader,
        parties="Hộ G và hộ H",
        dispute="Tranh chấp nguồn nước",
        mediator=team.members.get(),
        assigned_on=dt.date.today(),
    )
    services.mediation_conclude(
        case=case,
        by=leader,
        outcome="successful",
        outcome_on=dt.date.today(),
        agreement_terms="Chia nước theo giờ",
    )
    client = browser(leader)
    body = page(client, reverse("dialogues:grassroots"))
    assert "<svg" in body and "Mường Kim" in body
    assert chart_count(body, "Mường Kim · Settled at the grassroots") == 1
    assert "100 %" in body  # settled, none went up as a petition
    bad = client.get(reverse("dialogues:grassroots"), {"start": "01/13/2026", "end": "x"})
    assert bad.status_code == 400 and "01/13/2026" in bad.content.decode()


# --- the People's Council -----------------------------------------------------------------------


def session_form(**overrides: str) -> dict[str, object]:
    data = {
        "council": Agency.objects.get(code="hdnd-xa-muong-kim").pk,
        "number": "5",
        "term": "2021–2026",
        "title": "Kỳ họp thường lệ",
        "start_date": "02/03/2026",
        "end_date": "03/03/2026",
    }
    data.update(overrides)
    return data


def ask(client: Client, session: CouncilSession, content: str, asked_on: str) -> Question:
    response = client.post(
        reverse("dialogues:session_action", args=[session.pk, "ask"]),
        {
            "ask-deputy": "Đại biểu Lò Thị Năm",
            "ask-asked_agency": Agency.objects.get(code=MUONG_KIM).pk,
            "ask-asked_official": "Chủ tịch UBND xã",
            "ask-content": content,
            "ask-asked_on": asked_on,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Question.objects.get(content=content)


OVERDUE = '<strong class="overdue-label">overdue</strong>'


def council_clerk() -> User:
    """The staff of Mường Kim's People's Council, who record its sessions and questions; the
    commune's People's Committee, questioned, answers (``gov.authority``)."""
    return staff_of("hdnd-xa-muong-kim", User.Role.HANDLER)


def test_question_answered_late_in_writing_shows_overdue_until_answered() -> None:
    with time_machine.travel(on(2026, 3, 2), tick=False) as traveller:
        leader = staff_of(MUONG_KIM, User.Role.LEADER)
        clerk = browser(council_clerk())
        response = clerk.post(reverse("dialogues:session_new"), session_form())
        assert response.status_code == 302
        session = CouncilSession.objects.get(number=5)
        question = ask(clerk, session, "Khi nào sửa xong cầu treo bản Nà Phát?", "02/03/2026")
        client = browser(leader)
        assert question.answer_due_on == dt.date(2026, 3, 18)  # 15 days after the close
        body = page(client, reverse("dialogues:session", args=[session.pk]))
        assert "written answer due on 18/03/2026" in body and OVERDUE not in body

        traveller.move_to(on(2026, 3, 25))
        client = browser(leader)
        body = page(client, reverse("dialogues:session", args=[session.pk]))
        assert OVERDUE in body
        assert "Khi nào sửa xong cầu treo" in page(client, reverse("dialogues:council"))
        response = client.post(
            reverse("dialogues:question_answer", args=[question.pk]),
            {
                f"answer-{question.pk}-in_session": "writing",
                f"answer-{question.pk}-answer": "Cầu sẽ xong trong quý II.",
                f"answer-{question.pk}-answered_on": "25/03/2026",
            },
        )
        assert response.status_code == 302
        body = page(client, reverse("dialogues:session", args=[session.pk]))
        assert OVERDUE not in body
        assert "Answered in writing" in body and "Cầu sẽ xong trong quý II." in body
        assert '<strong class="overdue-label">late</strong>' in body


def test_answer_in_session_after_it_closed_is_refused_and_keeps_the_answer() -> None:
    with time_machine.travel(on(2026, 3, 10), tick=False):
        leader = staff_of(MUONG_KIM, User.Role.LEADER)
        clerk = browser(council_clerk())
        clerk.post(reverse("dialogues:session_new"), session_form())
        session = CouncilSession.objects.get(number=5)
        question = ask(clerk, session, "Vì sao chậm cấp sổ đỏ?", "03/03/2026")
        client = browser(leader)
        response = client.post(
            reverse("dialogues:question_answer", args=[question.pk]),
            {
                f"answer-{question.pk}-in_session": "session",
                f"answer-{question.pk}-answer": "Do thiếu cán bộ địa chính.",
                f"answer-{question.pk}-answered_on": "10/03/2026",
            },
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "Do thiếu cán bộ địa chính." in body and "is a written answer" in body


def test_next_session_lists_the_promises_of_the_previous_session() -> None:
    with time_machine.travel(on(2026, 3, 3), tick=False) as traveller:
        leader, clerk_account = staff_of(MUONG_KIM, User.Role.LEADER), council_clerk()
        clerk = browser(clerk_account)
        clerk.post(reverse("dialogues:session_new"), session_form())
        first = CouncilSession.objects.get(number=5)
        question = ask(clerk, first, "Bao giờ có điện về bản Hua Bó?", "03/03/2026")
        client = browser(leader)
        client.post(
            reverse("dialogues:question_answer", args=[question.pk]),
            {
                f"answer-{question.pk}-in_session": "session",
                f"answer-{question.pk}-answer": "Trong năm nay.",
                f"answer-{question.pk}-answered_on": "03/03/2026",
            },
        )
        response = client.post(
            f"{reverse('dialogues:commitment_new')}?nguon=council_question&id={question.pk}",
            {
                "content": "Kéo điện lưới về bản Hua Bó",
                "owner_agency": leader.agency_id,
                "owner_name": "Chủ tịch UBND xã",
                "made_on": "03/03/2026",
                "deadline": "30/06/2026",
                "is_public": "on",
            },
        )
        assert response.status_code == 302

        traveller.move_to(on(2026, 7, 10))
        client = browser(leader)
        response = browser(clerk_account).post(
            reverse("dialogues:session_new"),
            session_form(number="6", start_date="10/07/2026", end_date="11/07/2026"),
        )
        assert response.status_code == 302
        second = CouncilSession.objects.get(number=6)
        body = page(client, reverse("dialogues:session", args=[second.pk]))
        previous = body[body.index("Promises from the previous session") :]
        previous = previous[: previous.index("</section>")]
        assert "Kéo điện lưới về bản Hua Bó" in previous
        assert '<span class="status status-overdue">Overdue</span>' in previous


def test_resolution_and_duplicate_session_are_handled() -> None:
    client = browser(council_clerk())
    client.post(reverse("dialogues:session_new"), session_form())
    session = CouncilSession.objects.get(number=5)
    again = client.post(reverse("dialogues:session_new"), session_form())
    assert again.status_code == 400 and "already exists" in again.content.decode()
    response = client.post(
        reverse("dialogues:session_action", args=[session.pk, "resolution"]),
        {
            "resolution-number": "15/NQ-HĐND",
            "resolution-adopted_on": "03/03/2026",
            "resolution-content": "Giao UBND xã hoàn thành cầu treo trước 30/6.",
        },
    )
    assert response.status_code == 302
    body = page(client, reverse("dialogues:session", args=[session.pk]))
    assert "15/NQ-HĐND" in body and "nguon=council_resolution" in body
    other = browser(staff_of(TAN_PHONG, User.Role.LEADER))
    assert other.get(reverse("dialogues:session", args=[session.pk])).status_code == 404


def test_voter_recommendation_overdue_reply_is_highlighted_until_replied() -> None:
    with time_machine.travel(on(2026, 3, 2), tick=False) as traveller:
        leader = staff_of(MUONG_KIM, User.Role.LEADER)
        client = browser(council_clerk())
        response = client.post(
            reverse("dialogues:meeting_new"),
            {
                "council": Agency.objects.get(code="hdnd-xa-muong-kim").pk,
                "unit": leader.agency.unit_id,
                "date": "02/03/2026",
                "place": "Nhà văn hóa bản Nà Phát",
                "deputies": "Lò Thị Năm",
            },
        )
        assert response.status_code == 302
        meeting_url = response.url
        response = client.post(
            f"{meeting_url}recommendation/",
            {
                "recommendation-content": "Đề nghị làm kênh thủy lợi cho cánh đồng bản",
                "recommendation-sector": Sector.objects.get(code="dat-dai").pk,
                "recommendation-assigned_agency": leader.agency_id,
                "recommendation-assigned_on": "02/03/2026",
            },
        )
        assert response.status_code == 302
        assert OVERDUE not in page(client, reverse("dialogues:voters"))

        traveller.move_to(on(2026, 4, 10))
        client = browser(leader)
        body = page(client, reverse("dialogues:voters"))
        assert OVERDUE in body and "Đề nghị làm kênh thủy lợi" in body
        rec = leader.agency.voter_recommendations.get()
        response = client.post(
            reverse("dialogues:recommendation", args=[rec.pk]),
            {"reply": "", "replied_on": "10/04/2026"},
        )
        assert response.status_code == 400 and "10/04/2026" in response.content.decode()
        response = client.post(
            reverse("dialogues:recommendation", args=[rec.pk]),
            {"reply": "Đã đưa vào kế hoạch năm 2027.", "replied_on": "10/04/2026"},
        )
        assert response.status_code == 302
        assert OVERDUE not in page(client, reverse("dialogues:voters"))


def test_a_meeting_links_the_session_before_it_only_for_those_who_may_open_it() -> None:
    with time_machine.travel(on(2026, 3, 2), tick=False):
        province = staff_of("ubnd-tinh", User.Role.LEADER)
        clerk = staff_of("hdnd-tinh", User.Role.HANDLER)
        session = services.council_session_create(
            council=Agency.objects.get(code="hdnd-tinh"),
            by=clerk,
            number=31,
            term="2021–2026",
            start_date=dt.date(2026, 3, 10),
            end_date=dt.date(2026, 3, 12),
        )
        meeting = services.voter_meeting_create(
            council=Agency.objects.get(code="hdnd-tinh"),
            unit=AdministrativeUnit.objects.get(code="xa-muong-kim"),
            by=clerk,
            date=dt.date(2026, 3, 2),
            place="Hội trường UBND xã Mường Kim",
            before_session=session,
        )
        url = reverse("dialogues:meeting", args=[meeting.pk])
        link = reverse("dialogues:session", args=[session.pk])
        body = page(browser(province), url)
        assert link in body
        commune = browser(staff_of(MUONG_KIM, User.Role.LEADER))
        body = page(commune, url)
        assert link not in body and "Session 31 (2021–2026)" in body  # named, not linked
        assert commune.get(link).status_code == 404


def test_communes_that_have_not_held_their_yearly_dialogue_are_listed() -> None:
    """Mường Kim held a dialogue in 2026, Tân Phong only planned one: the province's list names
    Tân Phong, not Mường Kim; a commune leader sees only their own commune."""
    with time_machine.travel(on(2026, 6, 1), tick=False):
        leader = staff_of(MUONG_KIM, User.Role.LEADER)
        held_dialogue(leader, dt.date(2026, 5, 20))
        other = staff_of(TAN_PHONG, User.Role.LEADER)
        services.dialogue_plan(
            agency=other.agency,
            unit=other.agency.unit,
            leader_name="Chủ tịch UBND phường",
            topic="Chỉnh trang đô thị",
            date=dt.date(2026, 6, 20),
            place="Nhà văn hóa tổ 5",
            by=other,
        )
        province = browser(staff_of("ubnd-tinh", User.Role.LEADER))
        body = page(province, reverse("dialogues:dialogues"))
        section = body.split('id="yearly-title"')[1]
        assert "Tân Phong" in section and "Mường Kim" not in section
        assert "2026" in body.split('id="yearly-title"')[1].split("</h2>")[0]
        own = page(browser(other), reverse("dialogues:dialogues")).split('id="yearly-title"')[1]
        assert "Tân Phong" in own and "Mường Kim" not in own and "Bình Lư" not in own


# --- every page: reachable, labelled, without scripts --------------------------------------------


def test_staff_pages_render_and_every_field_has_a_label() -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    client = browser(leader)
    for name in (
        "commitments",
        "dialogues",
        "dialogue_new",
        "mediation",
        "grassroots",
        "team_new",
        "mediation_new",
        "council",
        "session_new",
        "voters",
        "meeting_new",
    ):
        body = page(client, reverse(f"dialogues:{name}"))
        assert "<script" not in body, name
        assert unlabelled(body) == [], name


def test_staff_pages_need_an_account() -> None:
    response = browser().get(reverse("dialogues:commitments"))
    assert response.status_code == 302 and reverse("gov:login") in response.url


def test_admin_lists_accountability_records_read_only(admin_client: Client) -> None:
    leader = staff_of(MUONG_KIM, User.Role.LEADER)
    today = dt.date.today()
    c = promise(leader, made_on=today, deadline=today, content="Lời hứa trong quản trị")
    team = team_with_mediator(leader)
    for model in (
        "dialogue",
        "mediationteam",
        "mediationcase",
        "councilsession",
        "question",
        "voterrecommendation",
        "commitment",
    ):
        url = reverse(f"admin:dialogues_{model}_changelist")
        assert admin_client.get(url).status_code == 200, model
        assert admin_client.get(reverse(f"admin:dialogues_{model}_add")).status_code == 403
    assert (
        "Lời hứa trong quản trị"
        in admin_client.get(
            reverse("admin:dialogues_commitment_change", args=[c.pk])
        ).content.decode()
    )
    assert (
        "Lò Thị Hoa"
        in admin_client.get(
            reverse("admin:dialogues_mediationteam_change", args=[team.pk])
        ).content.decode()
    )
