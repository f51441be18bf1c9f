"""The pages of the People's Council: sessions, questions, resolutions, voter meetings and recommendations.

Pages are read in English (the language cookie), so the assertions do not depend on the
Vietnamese catalogue, which is translated separately."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from dialogues import services
from dialogues.models import (
    CouncilSession,
    Question,
)
from gov.models import AdministrativeUnit, Agency, Sector, User
from tests.dialogues.view_helpers import MUONG_KIM, TAN_PHONG, browser, held_dialogue, on, page
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db


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
