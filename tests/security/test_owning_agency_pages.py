"""Writes belong to the owning agency (issue 13, item 2), through the pages the issue names: a province-wide reader is not offered the forms, and a forged post is refused and changes nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from dialogues import services
from dialogues.models import (
    Commitment,
    CouncilResolution,
    Dialogue,
    FollowUpEvent,
    Question,
)
from gov.models import AdministrativeUnit
from tests.complaints.factories import agency, on, sector, unit
from tests.dialogues import factories as f
from tests.gov.factories import staff_of
from tests.security.owning_agency_matrix import TODAY, TP, Role, staff_client

pytestmark = pytest.mark.django_db


REFUSED_VI = "mới được thực hiện thao tác này"


def _refused_page(response: object) -> None:
    """Refused as a form error the user reads (400), or not even found (404); never a 500."""
    assert response.status_code in {400, 404}, response.status_code
    if response.status_code == 400:
        assert REFUSED_VI in response.content.decode()


@pytest.mark.parametrize("account", ["department", "administrator", "province"])
def test_a_provincial_account_cannot_cancel_a_wards_dialogue(
    ward: SimpleNamespace, account: str
) -> None:
    client = staff_client(getattr(ward, account))
    url = reverse("dialogues:dialogue_action", args=[ward.dialogue.pk, "cancel"])
    _refused_page(client.post(url, {"cancel-reason": "Không cần thiết."}))
    ward.dialogue.refresh_from_db()
    assert ward.dialogue.state == Dialogue.State.PLANNED
    assert not ward.dialogue.events.filter(kind=FollowUpEvent.Kind.CANCELLED).exists()


def test_the_provincial_leader_reads_the_refusal_on_the_dialogue_page(
    ward: SimpleNamespace,
) -> None:
    """The provincial leaders read every commune's dialogues: the refusal is the form's
    error, in Vietnamese, with what they typed kept."""
    url = reverse("dialogues:dialogue_action", args=[ward.dialogue.pk, "cancel"])
    response = staff_client(ward.province).post(url, {"cancel-reason": "Không cần thiết."})
    body = response.content.decode()
    assert response.status_code == 400
    assert REFUSED_VI in body and "Ủy ban nhân dân phường Tân Phong" in body
    assert "Không cần thiết." in body


@pytest.mark.parametrize("account", ["department", "administrator", "province"])
def test_a_provincial_account_cannot_mark_a_wards_promise_kept(
    ward: SimpleNamespace, account: str
) -> None:
    client = staff_client(getattr(ward, account))
    url = reverse("dialogues:commitment_action", args=[ward.promise.pk, "kept"])
    response = client.post(url, {"kept-evidence": "Đã xong.", "kept-on": "01/06/2026"})
    if account == "province":  # the ward's superior: its leaders may close the ward's promise
        assert response.status_code == 302
        return
    _refused_page(response)
    ward.promise.refresh_from_db()
    assert ward.promise.state == Commitment.State.OPEN
    public = Client().get(reverse("dialogues:promises"), {"status": "kept"}).content.decode()
    assert "Lát lại vỉa hè tổ 5" not in public
    everything = Client().get(reverse("dialogues:promises")).content.decode()
    assert "Lát lại vỉa hè tổ 5" in everything


def test_the_pages_offer_an_action_only_to_those_who_may_take_it(ward: SimpleNamespace) -> None:
    """The province reads the ward's dialogue and promise, without their forms; the ward's
    leader gets them. The provincial leaders, the ward's superior, may close the promise."""
    dialogue_url = reverse("dialogues:dialogue", args=[ward.dialogue.pk])
    promise_url = reverse("dialogues:commitment", args=[ward.promise.pk])
    cancel = reverse("dialogues:dialogue_action", args=[ward.dialogue.pk, "cancel"])
    kept = reverse("dialogues:commitment_action", args=[ward.promise.pk, "kept"])
    progress = reverse("dialogues:commitment_action", args=[ward.promise.pk, "progress"])
    own = staff_client(ward.leader)
    assert cancel in own.get(dialogue_url).content.decode()
    assert kept in own.get(promise_url).content.decode()
    department = staff_client(ward.department)
    # A department reads the ward's records only where need-to-know lets it (else a 404), and
    # never gets their forms.
    page = department.get(dialogue_url)
    assert page.status_code in (200, 404)
    assert cancel not in page.content.decode()
    if page.status_code == 200:
        assert "<form" not in _main(page)
    page = department.get(promise_url)
    assert page.status_code in (200, 404)
    assert kept not in page.content.decode() and progress not in page.content.decode()
    superior = staff_client(ward.province).get(promise_url).content.decode()
    assert kept in superior and progress in superior


def _main(response: object) -> str:
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def test_the_provincial_peoples_committee_cannot_record_the_councils_resolutions(
    time_machine,
) -> None:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    clerk, province = staff_of("hdnd-tinh", Role.HANDLER), staff_of("ubnd-tinh", Role.LEADER)
    session = f.council_session(by=clerk, start=TODAY, end=TODAY)
    url = reverse("dialogues:session_action", args=[session.pk, "resolution"])
    data = {
        "resolution-number": "45/NQ-HĐND",
        "resolution-adopted_on": "01/06/2026",
        "resolution-content": "Giao UBND tỉnh sửa công trình nước.",
    }
    response = staff_client(province).post(url, data)
    assert response.status_code == 400 and REFUSED_VI in response.content.decode()
    assert not CouncilResolution.objects.exists()
    assert staff_client(clerk).post(url, data).status_code == 302
    assert CouncilResolution.objects.get().number == "45/NQ-HĐND"


def test_the_council_does_not_answer_its_own_question(time_machine) -> None:
    """The agency questioned answers; the council's staff who recorded the question do not."""
    time_machine.move_to(on(2026, 6, 1), tick=False)
    clerk = staff_of("hdnd-tinh", Role.LEADER)
    session = f.council_session(by=clerk, start=TODAY, end=TODAY)
    asked = f.question(by=clerk, session=session)  # to the Department of Health
    url = reverse("dialogues:question_answer", args=[asked.pk])
    data = {
        f"answer-{asked.pk}-in_session": "session",
        f"answer-{asked.pk}-answer": "Sẽ cấp đủ thuốc.",
        f"answer-{asked.pk}-answered_on": "01/06/2026",
    }
    for account in (clerk, staff_of("so-nong-nghiep-moi-truong", Role.LEADER)):
        _refused_page(staff_client(account).post(url, data))
    asked.refresh_from_db()
    assert asked.state == Question.State.ASKED
    assert staff_client(staff_of("so-y-te", Role.HANDLER)).post(url, data).status_code == 302
    asked.refresh_from_db()
    assert asked.state == Question.State.ANSWERED_IN_SESSION


def test_only_the_assigned_agency_replies_to_voters(time_machine) -> None:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    clerk = staff_of("hdnd-tinh", Role.HANDLER)
    meeting = services.voter_meeting_create(
        council=agency("hdnd-tinh"),
        unit=unit("phuong-tan-phong"),
        by=clerk,
        date=TODAY,
        place="Hội trường phường",
    )
    rec = services.voter_recommendation_add(
        meeting=meeting,
        by=clerk,
        content="Đề nghị lát lại vỉa hè tổ 5.",
        sector=sector("giao-thong"),
        assigned_agency=agency(TP),
        assigned_on=TODAY,
    )
    url = reverse("dialogues:recommendation", args=[rec.pk])
    data = {"reply": "Đã bố trí vốn.", "replied_on": "01/06/2026"}
    for account in (clerk, staff_of("so-xay-dung", Role.HANDLER)):
        _refused_page(staff_client(account).post(url, data))
    rec.refresh_from_db()
    assert rec.replied_on is None
    assert staff_client(staff_of(TP, Role.HANDLER)).post(url, data).status_code == 302


def test_a_department_cannot_add_mediators_to_a_wards_team(time_machine) -> None:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    ward_officer = staff_of(TP, Role.HANDLER)
    group = f.UnitFactory(
        parent=unit("phuong-tan-phong"),
        unit_type=AdministrativeUnit.UnitType.VILLAGE,
        code="phuong-tan-phong-test-99",
    )
    team = f.team(by=ward_officer, unit=group)
    url = reverse("dialogues:team_action", args=[team.pk, "mediator"])
    data = {"mediator-full_name": "Nguyễn Văn Lạ", "mediator-gender": "male"}
    _refused_page(staff_client(staff_of("so-tu-phap", Role.HANDLER)).post(url, data))
    assert not team.members.filter(full_name="Nguyễn Văn Lạ").exists()
