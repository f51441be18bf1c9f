"""Every accountability page: reachable, labelled, behind an account; the admin reads only.

Pages are read in English (the language cookie), so the assertions do not depend on the
Vietnamese catalogue, which is translated separately."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gov.models import User
from tests.dialogues.view_helpers import MUONG_KIM, browser, page, promise, team_with_mediator
from tests.gov.factories import staff_of
from tests.html import unlabelled

pytestmark = pytest.mark.django_db


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
