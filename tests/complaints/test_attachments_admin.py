"""Attachments on the public form, and the routing table in the admin."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from complaints.models import RoutingRule
from complaints.routing import route_by_table
from demo.accounts import DEMO_PASSWORD, demo_seed
from gov.models import AdministrativeUnit, Agency, Sector

pytestmark = pytest.mark.django_db
SUBMIT = reverse("complaints:submit")


def _to_documents_step(client: Client) -> None:
    client.get(SUBMIT)
    steps = [
        (
            "content",
            {
                "kind": "feedback",
                "sector": Sector.objects.get(code="giao-thong").pk,
                "summary": "Cầu treo qua suối bị hỏng ván, trẻ em đi học rất nguy hiểm.",
            },
        ),
        (
            "place",
            {
                "location_unit": AdministrativeUnit.objects.get(code="xa-muong-kim").pk,
                "receiving_agency": Agency.objects.get(code="ubnd-xa-muong-kim").pk,
            },
        ),
        ("submitter", {"submitter_type": "person", "full_name": "Lò Văn Bảy", "address": "Bản 6"}),
    ]
    for step, data in steps:
        client.post(
            SUBMIT,
            {"petition_wizard-current_step": step, **{f"{step}-{k}": v for k, v in data.items()}},
        )


def test_a_photo_is_attached_to_the_petition(client: Client) -> None:
    _to_documents_step(client)
    # A real JPEG: files are checked by their bytes (tests/security/test_uploads_form.py).
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(jpeg, "JPEG")
    photo = SimpleUploadedFile("cau-treo.jpg", jpeg.getvalue(), content_type="image/jpeg")
    r = client.post(
        SUBMIT, {"petition_wizard-current_step": "documents", "documents-file_1": photo}
    )
    assert r.status_code == 200 and "cau-treo.jpg" in r.content.decode()  # listed in the review
    r = client.post(SUBMIT, {"petition_wizard-current_step": "review", "review-confirm": "on"})
    assert r.status_code == 302
    from complaints.models import Petition

    attachment = Petition.objects.latest("id").attachments.get()
    assert attachment.original_name == "cau-treo.jpg"
    assert attachment.size == attachment.file.size > 0  # the re-encoded photo's size


def test_a_file_of_the_wrong_type_is_refused_with_a_message(client: Client) -> None:
    _to_documents_step(client)
    bad = SimpleUploadedFile(
        "virus.exe", b"MZ" + b"0" * 100, content_type="application/octet-stream"
    )
    r = client.post(SUBMIT, {"petition_wizard-current_step": "documents", "documents-file_1": bad})
    body = r.content.decode()
    assert r.status_code == 200 and "virus.exe" in body
    assert 'aria-invalid="true"' in body and "errorlist" in body


def test_routing_rules_are_edited_in_the_admin_and_used() -> None:
    demo_seed()
    client = Client()
    assert client.login(username="quantri", password=DEMO_PASSWORD)
    assert client.get(reverse("admin:complaints_routingrule_changelist")).status_code == 200
    sector = Sector.objects.get(code="giao-thong")
    province = AdministrativeUnit.objects.get(code="lai-chau")
    assert (
        route_by_table(kind="feedback", sector=sector, unit=province).agency.code == "so-xay-dung"
    )
    rule = RoutingRule.objects.get(sector=sector, kind="feedback", unit_level=1)
    response = client.post(
        reverse("admin:complaints_routingrule_change", args=[rule.pk]),
        {
            "sector": sector.pk,
            "unit_level": 1,
            "kind": "feedback",
            "target": "fixed_agency",
            "agency_kind": "",
            "agency": Agency.objects.get(code="so-tai-chinh").pk,
            "priority": 50,
            "note": "Thử",
            "source": "Thử",
        },
    )
    assert response.status_code == 302
    assert (
        route_by_table(kind="feedback", sector=sector, unit=province).agency.code == "so-tai-chinh"
    )
