"""The privacy notice where data are asked, consent to SMS/Zalo news given and withdrawn, and a
person's data exported on their request (Law 91/2025)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Channel, ItemEvent, Petition, PetitionItem
from complaints.services import SubmitterData
from gov import privacy_notice
from gov.models import AdministrativeUnit, Agency, AuditRecord, Sector, User
from tests.complaints.factories import ItemDataFactory, muong_kim_staff, submit
from tests.gov.factories import staff_of
from tests.reception.factories import log_session, log_visit

pytestmark = pytest.mark.django_db
SUBMIT = reverse("complaints:submit")
PERSON_DATA = reverse("privacy:person_data")


def _step(client: Client, step: str, data: dict) -> object:
    payload = {"petition_wizard-current_step": step}
    payload.update({f"{step}-{k}": v for k, v in data.items()})
    return client.post(SUBMIT, payload)


def _to_submitter_step(client: Client) -> None:
    client.get(SUBMIT)
    _step(
        client,
        "content",
        {
            "kind": "recommendation",
            "sector": Sector.objects.get(code="dat-dai").pk,
            "summary": "Đề nghị sửa lại cầu treo bản Nà Phát bị hỏng sau mưa lũ tháng trước.",
        },
    )
    _step(
        client,
        "place",
        {
            "location_unit": AdministrativeUnit.objects.get(code="xa-muong-kim").pk,
            "receiving_agency": Agency.objects.get(code="ubnd-xa-muong-kim").pk,
        },
    )


def _person(**fields: str) -> dict:
    return {
        "submitter_type": "person",
        "full_name": "Lò Thị Tin",
        "address": "Bản Nà Phát",
        "group_size": 1,
        **fields,
    }


def test_notice_page_says_who_why_how_long_and_rights(client: Client) -> None:
    page = client.get(reverse("privacy:notice")).content.decode()
    assert "Luật 91/2025/QH15" in page
    for words in ("Mục đích xử lý", "Quyền của bạn", "15 năm", "5 năm"):
        assert words in page, words
    assert privacy_notice.VERSION in page


def test_form_shows_the_notice_where_it_asks_for_identity(client: Client) -> None:
    _to_submitter_step(client)
    page = _step(client, "submitter", {}).content.decode()  # invalid: the step is shown again
    assert 'href="/bao-ve-du-lieu-ca-nhan/"' in page and "Dữ liệu cá nhân của bạn" in page
    assert "SMS hoặc Zalo" in page


def test_consent_without_a_phone_is_refused_and_keeps_what_was_typed(client: Client) -> None:
    _to_submitter_step(client)
    page = _step(client, "submitter", _person(phone_consent="on")).content.decode()
    assert "Ghi số điện thoại" in page and "Lò Thị Tin" in page


def test_consent_given_on_the_form_is_recorded_with_the_notice(client: Client) -> None:
    _to_submitter_step(client)
    _step(client, "submitter", _person(phone="0912 345 678", phone_consent="on"))
    _step(client, "documents", {})
    assert _step(client, "review", {"confirm": "on"}).status_code == 302
    petition = Petition.objects.get()
    assert petition.phone_consent_at is not None
    assert petition.privacy_notice == privacy_notice.VERSION


def test_no_consent_unless_ticked(client: Client) -> None:
    _to_submitter_step(client)
    _step(client, "submitter", _person(phone="0912 345 678"))
    _step(client, "documents", {})
    _step(client, "review", {"confirm": "on"})
    assert Petition.objects.get().phone_consent_at is None


def test_api_consent_needs_a_phone(client: Client) -> None:
    body = {
        "receiving_agency": "ubnd-xa-muong-kim",
        "location_unit": "xa-muong-kim",
        "content": "Đề nghị sửa lại cầu treo bản Nà Phát bị hỏng sau mưa lũ tháng trước.",
        "submitters": [{"full_name": "Lò Thị Tin", "address": "Bản Nà Phát"}],
        "items": [{"kind": "recommendation", "sector": "dat-dai", "summary": "Sửa cầu treo."}],
        "phone_consent": True,
    }
    url = "/api/v1/petitions/"
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert "số điện thoại" in refused.json()["contact_phone"][0]
    ok = client.post(url, {**body, "contact_phone": "0912345678"}, content_type="application/json")
    assert ok.status_code == 201
    assert Petition.objects.get(code=ok.json()["code"]).phone_consent_at is not None


def test_citizen_stops_sms_from_the_status_page(client: Client) -> None:
    result = submit(contact_phone="0912345678", phone_consent=True)
    petition = result.petition
    assert petition.phone_consent_at is not None
    page = client.post(
        reverse("complaints:status"), {"code": petition.code, "secret": result.secret}
    ).content.decode()
    assert "Ngừng nhận tin nhắn" in page
    response = client.post(reverse("privacy:consent_withdraw"), follow=True)
    petition.refresh_from_db()
    assert petition.phone_consent_at is None
    body = response.content.decode()
    assert "Bạn đã ngừng nhận tin" in body  # the public timeline says so
    assert ItemEvent.objects.filter(petition=petition, kind="consent_withdrawn").count() == 1


def test_withdrawal_needs_the_petition_opened_first(client: Client) -> None:
    submit(contact_phone="0912345678", phone_consent=True)
    assert client.post(reverse("privacy:consent_withdraw")).status_code == 404
    assert Petition.objects.get().phone_consent_at is not None


# --- a person's data, on request ---------------------------------------------------------------


def _petition_of_person(by: User, **fields: object) -> Petition:
    return submit(
        by=by,
        channel=Channel.COUNTER,
        submitters=[
            SubmitterData(
                full_name="Lò Văn Hỏi",
                id_number="011223344556",
                phone="0987654321",
                address="Bản 1",
            )
        ],
        **fields,
    ).petition


def test_leader_exports_a_persons_data_by_id_number(client: Client) -> None:
    staff = muong_kim_staff()
    petition = _petition_of_person(staff.reception)
    session = log_session(by=staff.reception, date=petition.received_on)
    log_visit(
        session=session, by=staff.reception, id_number="011 223 344 556", full_name="Lò Văn Hỏi"
    )
    other = submit(by=staff.reception, channel=Channel.COUNTER).petition  # someone else
    client.force_login(staff.leader)
    assert client.get(PERSON_DATA).status_code == 200
    page = client.post(
        PERSON_DATA, {"id_number": "011223344556", "reference": "Đơn ngày 01/12/2026"}
    ).content.decode()
    assert petition.code in page and other.code not in page
    response = client.post(
        PERSON_DATA,
        {"id_number": "011223344556", "reference": "Đơn ngày 01/12/2026", "download": "1"},
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert [p["code"] for p in data["petitions"]] == [petition.code]
    assert data["petitions"][0]["submitters"][0]["id_number"] == "011223344556"
    assert len(data["reception_visits"]) == 1
    assert data["request_reference"] == "Đơn ngày 01/12/2026"
    exported = AuditRecord.objects.get(kind=AuditRecord.Kind.PERSONAL_DATA_EXPORT)
    assert exported.actor == staff.leader and exported.data["petitions"] == [petition.code]
    searches = AuditRecord.objects.filter(kind=AuditRecord.Kind.SEARCH, actor=staff.leader)
    assert searches.count() == 2 and "011223344556" not in str(searches[0].data)


def test_person_found_by_phone_too(client: Client) -> None:
    staff = muong_kim_staff()
    petition = submit(
        by=staff.reception,
        channel=Channel.COUNTER,
        submitters=[SubmitterData(full_name="Lò Văn Hỏi", phone="0987 654 321", address="Bản 1")],
    ).petition
    client.force_login(staff.handler)
    page = client.post(PERSON_DATA, {"phone": "0987654321", "reference": "Tại quầy"})
    assert petition.code in page.content.decode()


def test_request_needs_an_identifier_and_a_reference(client: Client) -> None:
    client.force_login(muong_kim_staff().leader)
    page = client.post(PERSON_DATA, {"id_number": "", "phone": "12"}).content.decode()
    assert "số định danh" in page or "số CCCD" in page or "Căn cước" in page
    assert "yêu cầu" in page


def test_other_communes_and_reception_officers_get_nothing(client: Client) -> None:
    staff = muong_kim_staff()
    petition = _petition_of_person(staff.reception)
    client.force_login(staff_of("ubnd-phuong-tan-phong", User.Role.LEADER))
    page = client.post(PERSON_DATA, {"id_number": "011223344556", "reference": "x"})
    assert petition.code not in page.content.decode()
    client.force_login(staff.reception)
    assert client.get(PERSON_DATA).status_code == 404


def test_protected_identity_is_withheld_from_who_may_not_see_it(client: Client) -> None:
    staff = muong_kim_staff()
    petition = _petition_of_person(
        staff.reception,
        items=[ItemDataFactory(kind=PetitionItem.Kind.DENUNCIATION, denounced_person="Ông X")],
    )
    assert petition.identity_protected
    province = staff_of("ubnd-tinh", User.Role.LEADER)  # sees the item, not the identity
    client.force_login(province)
    page = client.post(
        PERSON_DATA, {"id_number": "011223344556", "reference": "x"}
    ).content.decode()
    assert petition.code not in page
    assert f"{petition.receiving_agency.name}: 1" in page  # who holds it, to answer for it
    client.force_login(staff.leader)
    page = client.post(
        PERSON_DATA, {"id_number": "011223344556", "reference": "x"}
    ).content.decode()
    assert petition.code in page
