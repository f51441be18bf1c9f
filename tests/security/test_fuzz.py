"""What fuzzing sent and the portal answered with 500: each now a 400 (or the form's own error)
with a message in Vietnamese. An unknown wizard step, a lone surrogate in the API's JSON, NUL
characters in forms and query strings, thousands of submitters in one petition."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.models import Petition
from gov.models import AdministrativeUnit, Agency, Sector, User
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db

SUBMIT = reverse("complaints:submit")
API_SUBMIT = reverse("complaints-api:petition-submit")
API_STATUS = reverse("complaints-api:petition-status")
UNSTORABLE_VI = "không lưu được"  # "… a character that cannot be stored …"


def _payload(**overrides: Any) -> dict[str, Any]:
    return {
        "receiving_agency": "ubnd-xa-muong-kim",
        "location_unit": "xa-muong-kim",
        "content": "Đề nghị sửa chữa cầu treo bản Nà Phát bị hỏng sau mưa lũ.",
        "submitters": [{"full_name": "Lò Văn Kiến", "phone": "0912000111"}],
        "items": [
            {
                "kind": "recommendation",
                "sector": "giao-thong",
                "summary": "Cầu treo bản Nà Phát bị hỏng, học sinh không qua suối được.",
            }
        ],
        **overrides,
    }


def _post_json(url: str, raw: str, client: APIClient | None = None) -> Any:
    """POST a JSON text as is: json.dumps writes a lone surrogate as the escape "\\ud83d"."""
    return (client or APIClient()).post(url, raw, content_type="application/json")


# --- the wizard ------------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["nonsense", "second", "../review", ""])
def test_an_unknown_or_skipped_wizard_step_is_refused_with_400(client: Client, step: str) -> None:
    """ "second" exists but is skipped unless the citizen asked for a second matter."""
    client.get(SUBMIT)
    response = client.post(SUBMIT, {"petition_wizard-current_step": step or "\x00"})
    assert response.status_code == 400
    body = response.content.decode()
    if step:
        assert "Bước này của biểu mẫu không tồn tại" in body
        # The citizen is still at the first step and may go on.
        assert 'name="content-summary"' in body
    else:  # a NUL character, refused before the form reads it
        assert UNSTORABLE_VI in body


def test_a_wizard_post_without_its_management_form_gets_the_vietnamese_400_page(
    client: Client,
) -> None:
    client.get(SUBMIT)
    response = client.post(SUBMIT, {"content-summary": "Không có bước"})
    assert response.status_code == 400
    assert "Yêu cầu bị từ chối" in response.content.decode()


def test_too_many_representatives_in_the_form_are_refused(client: Client) -> None:
    client.get(SUBMIT)
    sector = Sector.objects.get(code="dat-dai")
    unit = AdministrativeUnit.objects.get(code="xa-muong-kim")
    agency = Agency.objects.get(code="ubnd-xa-muong-kim")

    def step(name: str, data: dict[str, Any]) -> Any:
        payload = {"petition_wizard-current_step": name}
        payload.update({f"{name}-{k}": v for k, v in data.items()})
        return client.post(SUBMIT, payload)

    summary = "Đề nghị xem xét việc đo đạc lại ranh giới đất giữa hai hộ gia đình."
    step("content", {"kind": "recommendation", "sector": sector.pk, "summary": summary})
    step("place", {"location_unit": unit.pk, "receiving_agency": agency.pk})
    names = "\n".join(f"Người thứ {i}" for i in range(1600))
    response = step(
        "submitter",
        {
            "submitter_type": "person",
            "full_name": "Lò Văn Thử",
            "address": "Bản 3",
            "group_size": 1,
            "other_representatives": names,
        },
    )
    assert response.status_code == 200  # the step again, with its error, as any wrong field
    assert "Một đơn chỉ ghi tên tối đa 20 người" in response.content.decode()


# --- the API ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where",
    ["content", "items.0.summary", "items.0.kind", "submitters.0.full_name", "receiving_agency"],
)
@pytest.mark.parametrize("bad", ["\ud83d", "\x00"])
def test_unstorable_text_in_an_api_field_is_refused_with_400(where: str, bad: str) -> None:
    payload = _payload()
    target: Any = payload
    *parents, last = where.split(".")
    for part in parents:
        target = target[int(part) if part.isdigit() else part]
    target[last] = f"Ab{bad}cd"
    response = _post_json(API_SUBMIT, json.dumps(payload))
    assert response.status_code == 400
    assert UNSTORABLE_VI in response.json()["detail"]
    assert where in response.json()["detail"]
    assert not Petition.objects.exists()


def test_a_lone_surrogate_in_a_key_or_the_status_lookup_is_refused_with_400() -> None:
    keyed = json.dumps({**_payload(), "\udc00": 1})
    assert _post_json(API_SUBMIT, keyed).status_code == 400
    response = _post_json(API_STATUS, json.dumps({"code": "LC26-\ud83d", "secret": "x"}))
    assert response.status_code == 400
    assert UNSTORABLE_VI in response.json()["detail"]


@pytest.mark.parametrize("people", [21, 1600])
def test_too_many_submitters_in_the_api_are_refused_with_400(people: int) -> None:
    submitters = [{"full_name": f"Người thứ {i}"} for i in range(people)]
    response = _post_json(API_SUBMIT, json.dumps(_payload(submitters=submitters)))
    assert response.status_code == 400
    assert response.json()["submitters"] == ["Một đơn chỉ ghi tên tối đa 20 người."]
    assert not Petition.objects.exists()


@override_settings(PORTAL_MAX_SUBMITTERS=3)
def test_the_submitter_cap_is_a_setting() -> None:
    submitters = [{"full_name": f"Người thứ {i}"} for i in range(4)]
    response = _post_json(API_SUBMIT, json.dumps(_payload(submitters=submitters)))
    assert response.json()["submitters"] == ["Một đơn chỉ ghi tên tối đa 3 người."]
    assert (
        _post_json(API_SUBMIT, json.dumps(_payload(submitters=submitters[:3]))).status_code == 201
    )


def test_the_service_refuses_too_many_submitters_from_any_channel() -> None:
    from django.core.exceptions import ValidationError

    from tests.complaints.factories import SubmitterDataFactory, submit

    with pytest.raises(ValidationError) as refused:
        submit(submitters=[SubmitterDataFactory() for _ in range(21)])
    assert "20" in refused.value.message_dict["submitters"][0]


# --- NUL characters in pages' query strings and forms ----------------------------------------

PUBLIC_LISTS = [
    "complaints:status",
    "gov:unit_directory",
    "gov:time_limits",
    "dialogues:public_dialogues",
    "dialogues:promises",
    "reception:calendar",
]
STAFF_LISTS = [
    "complaints:inbox",
    "dashboard:overview",
    "dialogues:commitments",
    "reception:sessions",
    "gov:staff_home",
]
NUL_PARAMS = dict.fromkeys(
    ("q", "page", "status", "kind", "sector", "unit", "agency", "ordering", "year"), "a\x00b"
)


@pytest.mark.parametrize("name", PUBLIC_LISTS + STAFF_LISTS)
def test_a_nul_in_a_list_page_query_string_gets_400_in_vietnamese(
    client: Client, name: str
) -> None:
    client.force_login(staff_of("ubnd-tinh", User.Role.LEADER))
    response = client.get(reverse(name), NUL_PARAMS)
    assert response.status_code == 400
    assert UNSTORABLE_VI in response.content.decode()


def test_a_nul_in_a_form_field_gets_400(client: Client) -> None:
    response = client.post(reverse("complaints:status"), {"code": "LC26-\x00", "secret": "x"})
    assert response.status_code == 400
    assert UNSTORABLE_VI in response.content.decode()


def test_a_nul_in_the_staff_api_query_string_gets_a_json_400() -> None:
    from rest_framework.authtoken.models import Token

    client = APIClient()
    user = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = client.get(reverse("complaints-api:item-list"), {"q": "\x00"})
    assert response.status_code == 400
    assert UNSTORABLE_VI in response.json()["detail"]
