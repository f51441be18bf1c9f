"""Refused authorisations are audited (issue 13; ASVS 5.0 V16.3.2): a write that
``gov.authority`` refuses and a staff object route answered 404 are written to the audit log
(kind ``access_refused``) with the route, the act and the object asked for, no personal data,
at most once per account and route a minute, and the Inspectorate finds them on the audit
page's filter."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from dialogues.models import Dialogue
from gov.models import AuditRecord, User
from tests.complaints.factories import agency, submit_item
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db
Role = User.Role
REFUSED = AuditRecord.Kind.ACCESS_REFUSED


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refusals() -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(kind=REFUSED).order_by("id"))


def test_a_refused_write_is_audited_with_the_act_route_object_and_owner(
    ward: SimpleNamespace,
) -> None:
    url = reverse("dialogues:dialogue_action", args=[ward.dialogue.pk, "cancel"])
    response = client_of(ward.province).post(url, {"cancel-reason": "Không cần thiết."})
    assert response.status_code == 400  # refused by gov.authority, as a form error
    ward.dialogue.refresh_from_db()
    assert ward.dialogue.state == Dialogue.State.PLANNED  # the refusal rolled back, not the log
    [record] = refusals()
    assert (record.actor, record.actor_agency, record.agency) == (
        ward.province,
        ward.province.agency,
        ward.dialogue.agency,  # the owner's leaders read who reached for their record
    )
    assert record.data == {
        "route": "dialogues:dialogue_action",
        "status": 400,
        "act": "dialogue_cancel",
    }
    assert record.subject_type == "dialogues:dialogue_action"
    assert record.subject_id == f"action=cancel,pk={ward.dialogue.pk}"
    assert "Không cần thiết" not in str(AuditRecord.objects.filter(kind=REFUSED).values().get())


def test_a_staff_object_route_answered_404_is_audited_without_personal_data() -> None:
    item = submit_item()  # held by Mường Kim
    outsider = staff_of("ubnd-phuong-tan-phong", Role.HANDLER)
    url = reverse("complaints:case", args=[item.pk])
    assert client_of(outsider).get(url, {"q": "Nguyễn Văn Bí Mật"}).status_code == 404
    [record] = refusals()
    assert (record.actor, record.subject_type, record.subject_id) == (
        outsider,
        "complaints:case",
        f"pk={item.pk}",
    )
    assert record.data == {"route": "complaints:case", "status": 404}
    row = str(AuditRecord.objects.filter(kind=REFUSED).values().get())
    assert "Bí Mật" not in row and item.petition.submitter_display not in row


def test_the_api_s_404_is_audited_too() -> None:
    item = submit_item()
    outsider = staff_of("ubnd-phuong-tan-phong", Role.HANDLER)
    answer = client_of(outsider).get(reverse("complaints-api:item-detail", args=[item.pk]))
    assert answer.status_code == 404
    [record] = refusals()
    assert record.data["route"] == "complaints-api:item-detail"


def test_what_the_account_may_open_is_not_a_refusal() -> None:
    item = submit_item()
    handler = staff_of("ubnd-xa-muong-kim", Role.HANDLER)
    assert client_of(handler).get(reverse("complaints:case", args=[item.pk])).status_code == 200
    assert client_of(handler).get("/can-bo/khong-co-trang-nay/").status_code == 404  # no object
    assert refusals() == []


def test_a_crawler_gets_one_record_per_route_a_minute() -> None:
    items = [submit_item() for _ in range(3)]
    crawler = client_of(staff_of("ubnd-phuong-tan-phong", Role.HANDLER))
    for _ in range(5):
        for item in items:
            assert crawler.get(reverse("complaints:case", args=[item.pk])).status_code == 404
    assert len(refusals()) == 1
    crawler.get(reverse("complaints-api:item-detail", args=[items[0].pk]))  # another route
    other = client_of(staff_of("ubnd-phuong-tan-phong", Role.LEADER))  # another account
    other.get(reverse("complaints:case", args=[items[0].pk]))
    assert [r.data["route"] for r in refusals()] == [
        "complaints:case",
        "complaints-api:item-detail",
        "complaints:case",
    ]


def test_the_audit_page_filters_refusals(ward: SimpleNamespace) -> None:
    url = reverse("dialogues:dialogue_action", args=[ward.dialogue.pk, "cancel"])
    client_of(ward.province).post(url, {"cancel-reason": "Không cần thiết."})
    item = submit_item()
    client_of(staff_of("so-nong-nghiep-moi-truong", Role.HANDLER)).get(
        reverse("complaints:case", args=[item.pk])
    )
    inspector = client_of(staff_of("thanh-tra-tinh", Role.LEADER))
    page = inspector.get(reverse("gov:audit_log")).content.decode()
    assert '<option value="access_refused">Từ chối truy cập</option>' in page
    page = inspector.get(reverse("gov:audit_log"), {"kind": "access_refused"}).content.decode()
    assert "hủy cuộc đối thoại" in page  # the act, in words
    assert f"pk={item.pk}" in page and "complaints:case" in page
    # The owner's leader reads the refusal that concerns its dialogue, not the other one.
    owner = client_of(ward.leader)
    page = owner.get(reverse("gov:audit_log"), {"kind": "access_refused"}).content.decode()
    assert agency("ubnd-phuong-tan-phong") == ward.leader.agency
    assert "hủy cuộc đối thoại" in page and "complaints:case" not in page
