"""The pages of grassroots mediation: teams, cases, their outcome and the grassroots results.

Pages are read in English (the language cookie), so the assertions do not depend on the
Vietnamese catalogue, which is translated separately."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dialogues import services
from dialogues.models import (
    MediationCase,
    MediationTeam,
)
from gov.models import Sector, User
from tests.complaints.factories import ItemDataFactory, submit_item
from tests.dialogues.view_helpers import (
    MUONG_KIM,
    TAN_PHONG,
    browser,
    chart_count,
    dmy,
    on,
    page,
    team_with_mediator,
    village,
)
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db


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
