"""The pages of the dialogues: planned, announced, recorded, their results and related petitions.

Pages are read in English (the language cookie), so the assertions do not depend on the
Vietnamese catalogue, which is translated separately."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.urls import reverse

from dialogues.models import (
    Dialogue,
)
from gov.models import User
from tests.complaints.factories import submit_item
from tests.dialogues.view_helpers import MUONG_KIM, browser, dmy, held_dialogue, on, page
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db


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
