"""The JSON API: public submission and status, the staff inbox, the actions and the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from complaints import codes, selectors
from complaints.api.views import PetitionStatusThrottle, PetitionSubmitThrottle
from complaints.models import Channel, IdentityReveal, Petition, PetitionItem, Status
from complaints.services import item_accept
from gov.models import User
from tests.complaints.factories import ItemDataFactory, agency, on, sector, submit_item, unit
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db

DENOUNCER = "Lò Thị Tố Giác"
DENOUNCER_PHONE = "0912777888"


def _token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _text(response: Response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def _payload(**overrides: Any) -> dict[str, Any]:
    return {
        "receiving_agency": "ubnd-xa-muong-kim",
        "location_unit": "xa-muong-kim",
        "content": "Đề nghị sửa chữa cầu treo bản Nà Phát bị hỏng sau mưa lũ.",
        "contact_phone": "0912000111",
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


def _denunciation_payload() -> dict[str, Any]:
    return _payload(
        content="Tố cáo cán bộ địa chính thu tiền trái phép khi làm sổ đỏ.",
        contact_email="to.giac@example.vn",
        contact_phone=DENOUNCER_PHONE,
        submitters=[{"full_name": DENOUNCER, "phone": DENOUNCER_PHONE}],
        items=[
            {
                "kind": "denunciation",
                "sector": "dat-dai",
                "summary": "Cán bộ địa chính xã thu tiền ngoài quy định khi làm sổ đỏ.",
                "denounced_person": "Nguyễn Văn Địa",
                "denounced_agency": "ubnd-xa-muong-kim",
            }
        ],
    )


def _submit(payload: dict[str, Any]) -> Response:
    return APIClient().post(reverse("complaints-api:petition-submit"), payload, format="json")


def _status(code: str, secret: str) -> Response:
    return APIClient().post(
        reverse("complaints-api:petition-status"), {"code": code, "secret": secret}, format="json"
    )


def _act(client: APIClient, item: PetitionItem, action: str, **data: Any) -> Response:
    url = reverse(f"complaints-api:item-{action}", args=[item.pk])
    return client.post(url, data, format="json")


def _list(client: APIClient, **params: str) -> Response:
    return client.get(reverse("complaints-api:item-list"), params)


def _detail(client: APIClient, item: PetitionItem) -> Response:
    return client.get(reverse("complaints-api:item-detail", args=[item.pk]))


@pytest.fixture
def denunciation() -> tuple[PetitionItem, dict[str, str]]:
    """A denunciation sent online to Mường Kim; the item and the citizen's code and secret."""
    body = _submit(_denunciation_payload()).json()
    return PetitionItem.objects.get(petition__code=body["code"]), body


# --- public submission -----------------------------------------------------------------------


def test_submit_returns_code_secret_and_status_url() -> None:
    response = _submit(_payload(channel="counter"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"code", "secret", "status_url"}
    assert body["status_url"].endswith("/api/v1/petitions/status/")
    assert response["Cache-Control"] == "no-store"
    petition = Petition.objects.get(code=body["code"])
    assert petition.channel == Channel.ONLINE
    assert petition.recorded_by is None
    assert selectors.petition_by_code_and_secret(body["code"], body["secret"]) == petition
    item = petition.items.get()
    assert (item.kind, item.sector.code, item.agency.code) == (
        "recommendation",
        "giao-thong",
        "ubnd-xa-muong-kim",
    )


def test_submit_maps_a_former_commune_to_its_successor() -> None:
    response = _submit(_payload(location_unit="muong-kim-03637"))
    assert response.status_code == 201, response.json()
    petition = Petition.objects.get(code=response.json()["code"])
    assert petition.location_unit.code == "muong-kim-03637"
    assert petition.unit.code == "xa-muong-kim"


def test_submit_accepts_a_day_first_decision_date() -> None:
    item = {
        "kind": "complaint",
        "sector": "dat-dai",
        "summary": "Khiếu nại quyết định thu hồi đất của UBND xã.",
        "contested_decision": "Quyết định số 12/QĐ-UBND",
        "issuer_agency": "ubnd-xa-muong-kim",
        "decision_date": "05/04/2026",
    }
    response = _submit(_payload(items=[item]))
    assert response.status_code == 201, response.json()
    saved = PetitionItem.objects.get(petition__code=response.json()["code"])
    assert saved.decision_date.isoformat() == "2026-04-05"
    assert saved.issuer_agency.code == "ubnd-xa-muong-kim"


def test_submit_with_unknown_codes_names_them_per_field() -> None:
    payload = _payload(receiving_agency="so-khong-co", location_unit="ban-khong-co")
    payload["items"][0]["sector"] = "linh-vuc-la"
    response = _submit(payload)
    assert response.status_code == 400
    errors = response.json()
    assert "so-khong-co" in errors["receiving_agency"][0]
    assert "ban-khong-co" in errors["location_unit"][0]
    assert "linh-vuc-la" in errors["items"]["0"]["sector"][0]
    assert not Petition.objects.exists()


def test_submit_refuses_an_agency_that_no_longer_exists() -> None:
    response = _submit(_payload(receiving_agency="ubnd-huyen-than-uyen"))
    assert response.status_code == 400
    assert "ubnd-huyen-than-uyen" in response.json()["receiving_agency"][0]


def test_serializer_copies_share_the_declared_querysets_of_code_fields() -> None:
    """DRF copies the declared fields for every request; the queryset is not copied again."""
    from complaints.api.serializers import PetitionSubmitSerializer

    declared = PetitionSubmitSerializer._declared_fields["receiving_agency"]
    one, other = PetitionSubmitSerializer(), PetitionSubmitSerializer()
    first, second = one.fields, other.fields
    assert first["receiving_agency"] is not second["receiving_agency"]
    assert first["receiving_agency"].queryset is declared.queryset
    assert second["receiving_agency"].queryset is declared.queryset
    # Each copy is bound to its own serializer; the declared field stays unbound.
    assert (first["content"].parent, second["content"].parent) == (one, other)
    assert PetitionSubmitSerializer._declared_fields["content"].parent is None
    items = first["items"].child.fields["summary"]
    assert items is not second["items"].child.fields["summary"]
    from complaints.api.serializers import TransferSerializer

    target = TransferSerializer().fields["target"]
    assert target.queryset is TransferSerializer._declared_fields["target"].queryset


def test_submit_needs_one_to_five_items_and_the_content() -> None:
    item = _payload()["items"][0]
    for items in ([], [item] * 6):
        response = _submit(_payload(items=items, content=""))
        assert response.status_code == 400
        assert set(response.json()) == {"items", "content"}
    assert _submit(_payload(items=[item] * 5)).status_code == 201


def test_service_refusal_becomes_messages_per_field() -> None:
    response = _submit(_payload(submitter_type="organisation", organisation_name="", submitters=[]))
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"organisation_name", "submitters"}
    assert all(isinstance(m, str) and m for m in errors["organisation_name"] + errors["submitters"])
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    ("throttle", "url"),
    [
        (PetitionSubmitThrottle, "complaints-api:petition-submit"),
        (PetitionStatusThrottle, "complaints-api:petition-status"),
    ],
)
def test_public_endpoints_are_throttled_per_address(
    monkeypatch: pytest.MonkeyPatch, throttle: type, url: str, time_machine
) -> None:
    time_machine.move_to("2026-03-02 09:00:10+07:00", tick=False)
    monkeypatch.setattr(throttle, "rate", "2/minute")
    client = APIClient()
    codes = [client.post(reverse(url), {}, format="json").status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    refused = client.post(reverse(url), {}, format="json")
    assert 0 < int(refused["Retry-After"]) <= 50  # the rest of this minute's window
    other = client.post(reverse(url), {}, format="json", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 400  # another address has its own count
    time_machine.move_to("2026-03-02 09:01:00+07:00", tick=False)
    assert client.post(reverse(url), {}, format="json").status_code == 400  # a new window


# --- public status ---------------------------------------------------------------------------


def test_status_with_the_right_secret_shows_items_and_timeline() -> None:
    body = _submit(_payload()).json()
    response = _status(body["code"].lower(), body["secret"])
    assert response.status_code == 200, response.json()
    assert response["Cache-Control"] == "no-store"
    status = response.json()
    assert status["code"] == body["code"]
    assert set(status) == {"code", "received_on", "items", "timeline"}
    (item,) = status["items"]
    assert set(item) == {"number", "kind", "sector", "status", "agency", "due_on"}
    assert item["number"] == 1
    assert item["agency"] == agency("ubnd-xa-muong-kim").name
    assert item["sector"] == sector("giao-thong").name
    assert status["timeline"] and all(e["text"] for e in status["timeline"])


def test_status_answers_the_same_for_a_wrong_secret_and_an_unknown_code() -> None:
    body = _submit(_payload()).json()
    wrong_secret = _status(body["code"], "ZZZZ-ZZZZ")
    unknown_code = _status("LC26-ZZZZZZ", body["secret"])
    assert wrong_secret.status_code == unknown_code.status_code == 404
    assert wrong_secret.json() == unknown_code.json()
    assert set(wrong_secret.json()) == {"detail"}


def _json(response: Response) -> Any:
    return json.loads(response.content)


@override_settings(PORTAL_STATUS_ATTEMPTS_PER_HOUR=2)
def test_status_lets_the_right_secret_through_after_an_address_used_its_wrong_guesses() -> None:
    """A commune office or a carrier puts many citizens behind one address: one person's typos
    must not lock the others out (issue 18, item 8)."""
    body = _json(_submit(_payload()))
    other = _json(_submit(_payload()))
    assert [_status(other["code"], "ZZZZ-ZZZZ-ZZZZ").status_code for _ in range(2)] == [404, 404]
    assert _status(other["code"], "ZZZZ-ZZZZ-ZZZY").status_code == 429
    assert _status(body["code"], "ZZZZ-ZZZZ-ZZZZ").status_code == 429
    assert _status(body["code"], body["secret"]).status_code == 200


@override_settings(PORTAL_STATUS_ATTEMPTS_PER_HOUR=1000, PORTAL_STATUS_WRONG_PER_CODE_PER_DAY=3)
def test_a_code_that_received_too_many_wrong_secrets_is_closed_for_the_day(
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(on(2026, 12, 3), tick=False)
    body = _json(_submit(_payload()))
    other = _json(_submit(_payload()))
    assert [_status(body["code"], "ZZZZ-ZZZZ-ZZZZ").status_code for _ in range(3)] == [404] * 3
    closed = _status(body["code"], body["secret"])
    assert closed.status_code == 429
    assert "ngày mai" in _json(closed)["detail"]
    assert _status(other["code"], other["secret"]).status_code == 200  # other codes unaffected
    time_machine.move_to(on(2026, 12, 4), tick=False)
    assert _status(body["code"], body["secret"]).status_code == 200


def test_a_secret_has_sixty_bits_in_three_groups_without_look_alikes() -> None:
    secret = _json(_submit(_payload()))["secret"]
    groups = secret.split("-")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert not set(secret) & set("ILOU")
    assert len(codes.ALPHABET) ** 12 >= 2**60


def test_denouncer_and_staff_never_appear_in_the_public_status(
    denunciation: tuple[PetitionItem, dict[str, str]],
) -> None:
    item, body = denunciation
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER, first_name="Vàng", last_name="A Lử")
    handler = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER, first_name="Tẩn", last_name="Mý")
    item_accept(item=item, by=leader, handler=handler)
    response = _status(body["code"], body["secret"])
    assert response.status_code == 200
    text = _text(response)
    for secret_word in (DENOUNCER, DENOUNCER_PHONE, "to.giac@", "A Lử", "Mý", leader.username):
        assert secret_word not in text
    assert len(response.json()["timeline"]) >= 2  # received, then accepted


# --- staff: reading --------------------------------------------------------------------------


def test_list_needs_a_token() -> None:
    assert APIClient().get(reverse("complaints-api:item-list")).status_code == 401


def test_list_and_detail_are_scoped_to_the_officers_unit(
    denunciation: tuple[PetitionItem, dict[str, str]],
) -> None:
    item, _body = denunciation
    tan_phong = _token_client(staff_of("ubnd-phuong-tan-phong", User.Role.LEADER))
    muong_kim = _token_client(staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER))
    assert _list(tan_phong).json()["count"] == 0
    assert _detail(tan_phong, item).status_code == 404
    assert _act(tan_phong, item, "start-processing").status_code == 404
    assert [row["id"] for row in _list(muong_kim).json()["results"]] == [item.pk]
    assert _detail(muong_kim, item).status_code == 200


def test_list_row_shows_the_mask_for_a_denouncer(
    denunciation: tuple[PetitionItem, dict[str, str]],
) -> None:
    item, _body = denunciation
    province = _token_client(staff_of("ban-tiep-cong-dan-tinh", User.Role.HANDLER))
    response = _list(province)
    assert response.status_code == 200
    (row,) = [r for r in response.json()["results"] if r["id"] == item.pk]
    assert row["code"] == item.petition.code
    assert row["agency"] == {"code": "ubnd-xa-muong-kim", "name": item.agency.name}
    assert row["submitter"] and DENOUNCER not in _text(response)


def test_detail_masks_the_denouncer_outside_the_responsible_agency(
    denunciation: tuple[PetitionItem, dict[str, str]],
) -> None:
    item, _body = denunciation
    province = _token_client(staff_of("ban-tiep-cong-dan-tinh", User.Role.LEADER))
    response = _detail(province, item)
    assert response.status_code == 200
    text = _text(response)
    assert DENOUNCER not in text and DENOUNCER_PHONE not in text and "to.giac@" not in text
    assert [s["masked"] for s in response.json()["submitters"]] == [True]
    assert not IdentityReveal.objects.exists()


def test_detail_reveals_the_denouncer_to_the_handler_and_logs_it(
    denunciation: tuple[PetitionItem, dict[str, str]],
) -> None:
    item, _body = denunciation
    handler = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)
    response = _detail(_token_client(handler), item)
    assert response.status_code == 200
    body = response.json()
    assert body["submitters"][0]["full_name"] == DENOUNCER
    assert body["petition"]["contact_phone"] == DENOUNCER_PHONE
    assert [e["kind"] for e in body["timeline"]][0] == "received"
    assert IdentityReveal.objects.filter(user=handler, purpose="api").count() == 1


def test_list_filters_by_kind_status_overdue_and_text(time_machine: TimeMachineFixture) -> None:
    officer = _token_client(staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER))
    time_machine.move_to(on(2026, 3, 2), tick=False)
    late = submit_item(
        items=[ItemDataFactory(kind="complaint", summary="Khiếu nại bồi thường ruộng bậc thang")]
    )
    time_machine.move_to(on(2026, 5, 4), tick=False)
    fresh = submit_item(items=[ItemDataFactory(summary="Kiến nghị sửa nhà văn hóa bản")])

    def ids(**params: str) -> list[int]:
        response = _list(officer, **params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [fresh.pk, late.pk]
    assert ids(kind="complaint") == [late.pk]
    assert ids(overdue="true") == [late.pk]
    assert ids(overdue="false") == [fresh.pk]
    assert ids(q="ruong bac thang") == [late.pk]
    assert ids(status="received") == [fresh.pk, late.pk]
    assert ids(status="accepted") == []
    assert _list(officer, kind="no-such-kind").status_code == 400


def test_list_runs_the_same_number_of_queries_for_3_and_30_items() -> None:
    officer = _token_client(staff_of("ubnd-tinh", User.Role.LEADER))
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)

    def make(n: int) -> None:
        for _ in range(n):
            item = submit_item()
            item_accept(item=item, by=leader, handler=leader)  # a handler on every row

    def count_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = _list(officer)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    make(3)
    count_queries()  # per-process reference caches (gov.memo) warm, as in a running worker
    few, rows = count_queries()
    assert rows == 3
    make(27)
    many, rows = count_queries()
    assert rows == 30
    assert many == few


# --- staff: actions --------------------------------------------------------------------------


def test_transfer_then_accept_at_the_target_agency(
    denunciation: tuple[PetitionItem, dict[str, str]],
) -> None:
    item, _body = denunciation
    muong_kim = _token_client(staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER))
    response = _act(
        muong_kim, item, "transfer", target="ubnd-phuong-tan-phong", note="Đúng thẩm quyền"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.TRANSFERRED
    assert "transferred_out" in [e["kind"] for e in response.json()["timeline"]]

    tan_phong_leader = staff_of("ubnd-phuong-tan-phong", User.Role.LEADER)
    tan_phong_handler = staff_of("ubnd-phuong-tan-phong", User.Role.HANDLER)
    tan_phong = _token_client(tan_phong_leader)
    (row,) = _list(tan_phong).json()["results"]
    new = PetitionItem.objects.get(pk=row["id"])
    assert new.transferred_from == item
    today = new.started_on.strftime("%d/%m/%Y")
    response = _act(tan_phong, new, "accept", handler=tan_phong_handler.username, accepted_on=today)
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["handler"]) == (
        Status.ACCEPTED,
        tan_phong_handler.username,
    )
    assert response.json()["accepted_on"] == new.started_on.isoformat()


def test_an_illegal_transition_is_a_400_with_the_reason(
    denunciation: tuple[PetitionItem, dict[str, str]],
) -> None:
    item, _body = denunciation
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    client = _token_client(leader)
    assert _act(client, item, "transfer", target="ubnd-phuong-tan-phong").status_code == 200
    response = _act(client, item, "accept", handler=leader.username)
    assert response.status_code == 400
    assert set(response.json()) == {"detail"} and response.json()["detail"]
    item.refresh_from_db()
    assert item.status == Status.TRANSFERRED and item.handler is None


def test_a_reception_officer_cannot_conclude(
    denunciation: tuple[PetitionItem, dict[str, str]],
) -> None:
    item, _body = denunciation
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    item_accept(item=item, by=leader, handler=leader)
    officer = _token_client(staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER))
    response = _act(officer, item, "conclude", conclusion="Tố cáo đúng một phần.")
    assert response.status_code == 400 and "detail" in response.json()
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED


def test_accept_names_an_unknown_handler_in_the_field(
    denunciation: tuple[PetitionItem, dict[str, str]],
) -> None:
    item, _body = denunciation
    client = _token_client(staff_of("ubnd-xa-muong-kim", User.Role.LEADER))
    other_agency = staff_of("ubnd-phuong-tan-phong", User.Role.HANDLER)
    response = _act(client, item, "accept", handler=other_agency.username)
    assert response.status_code == 400
    assert other_agency.username in response.json()["handler"][0]


def test_a_denunciation_through_its_whole_life(
    denunciation: tuple[PetitionItem, dict[str, str]],
) -> None:
    item, _body = denunciation
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    client = _token_client(leader)
    today = item.started_on.strftime("%d/%m/%Y")
    steps = [
        ("start-processing", {}, Status.PROCESSING),
        ("classify", {"kind": "denunciation", "sector": "can-bo-cong-chuc"}, Status.PROCESSING),
        ("accept", {"handler": leader.username, "accepted_on": today}, Status.ACCEPTED),
        ("start-verification", {}, Status.VERIFYING),
        ("extend", {"reason": "Cần xác minh thêm", "especially_complex": True}, Status.VERIFYING),
        ("conclude", {"conclusion": "Tố cáo đúng.", "concluded_on": today}, Status.CONCLUDED),
        ("close", {"note": "Đã thông báo kết luận"}, Status.CLOSED),
    ]
    for action, data, expected in steps:
        response = _act(client, item, action, **data)
        assert response.status_code == 200, (action, response.json())
        assert response.json()["status"] == expected, action
    body = response.json()
    assert body["sector"]["code"] == "can-bo-cong-chuc"
    assert body["extensions_used"] == 1 and body["is_especially_complex"]
    assert body["concluded_on"] == item.started_on.isoformat()


@pytest.mark.parametrize(
    ("action", "data", "expected"),
    [
        ("guide", {"guidance": "Gửi đơn đến Tòa án nhân dân tỉnh."}, Status.GUIDED),
        ("file", {"filing_ground": "not_specific"}, Status.FILED),
        ("withdraw", {"note": "Công dân có đơn rút ngày 20/11"}, Status.WITHDRAWN),
    ],
)
def test_closing_actions_reach_their_status(action: str, data: dict, expected: str) -> None:
    item = submit_item()
    client = _token_client(staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER))
    response = _act(client, item, action, **data)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == expected


def test_link_duplicate_only_to_an_item_in_scope() -> None:
    original, duplicate = submit_item(), submit_item()
    elsewhere = submit_item(
        receiving_agency=agency("ubnd-phuong-tan-phong"), location_unit=unit("phuong-tan-phong")
    )
    client = _token_client(staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER))
    refused = _act(client, duplicate, "link-duplicate", original=elsewhere.pk)
    assert refused.status_code == 400 and "original" in refused.json()
    response = _act(client, duplicate, "link-duplicate", original=original.pk)
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["duplicate_of"]) == (
        Status.FILED,
        original.pk,
    )


# --- schema ----------------------------------------------------------------------------------


def test_schema_validates_without_warnings(tmp_path: Path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/items/{id}/actions/transfer/:" in out.read_text()


def test_schema_is_served_with_the_api_paths() -> None:
    response = APIClient().get(reverse("api-schema"))
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/v1/petitions/", "/api/v1/petitions/status/", "/api/v1/items/{id}/"):
        assert f"{path}:" in text
