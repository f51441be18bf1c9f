"""Files citizens upload (issue 13, item 8): staff open attachments scoped, logged, downloaded."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from complaints.models import Attachment
from tests.security.uploads_helpers import (  # noqa: F401 (autouse fixtures run in every test here)
    DISGUISED,
    GPS_IFD,
    PHOTO_NAME,
    _media,
    _with_file,
    jpeg_with_gps,
)

pytestmark = pytest.mark.django_db


def _download(client: Client, item: Any, attachment: Attachment) -> Any:
    return client.get(reverse("complaints:attachment", args=[item.pk, attachment.pk]))


def _api_download(user: Any, item: Any, attachment: Attachment) -> Any:
    from rest_framework.authtoken.models import Token

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api.get(reverse("complaints-api:item-attachment", args=[item.pk, attachment.pk]))


def _downloads() -> Any:
    from gov.models import AuditRecord

    return AuditRecord.objects.filter(kind=AuditRecord.Kind.ATTACHMENT_DOWNLOAD)


def test_handler_downloads_from_the_case_page_with_safe_headers_and_a_log(
    client: Client, case: Any
) -> None:
    client.force_login(case.mk.handler)
    page = client.get(reverse("complaints:case", args=[case.item.pk])).content.decode()
    url = reverse("complaints:attachment", args=[case.item.pk, case.attachment.pk])
    assert url in page and PHOTO_NAME in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E1%BA%A3nh%20hi%E1%BB%87n%20tr%C6%B0%E1%BB%9Dng.png"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == case.attachment.file.open("rb").read()
    [record] = _downloads()
    assert record.actor == case.mk.handler
    assert (record.subject_type, record.subject_id) == (
        "complaints.attachment",
        str(case.attachment.pk),
    )
    assert record.data == {"item": case.item.pk, "petition": case.petition.pk}


def test_api_lists_attachments_with_a_download_url_that_works(case: Any) -> None:
    from rest_framework.authtoken.models import Token

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=case.mk.handler).key}")
    detail = api.get(reverse("complaints-api:item-detail", args=[case.item.pk])).json()
    [listed] = detail["attachments"]
    assert listed["name"] == PHOTO_NAME and listed["content_type"] == "image/png"
    response = api.get(listed["download_url"])
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _downloads().count() == 1


def test_another_communes_staff_get_404_and_no_log(client: Client, case: Any) -> None:
    from tests.gov.factories import staff_of

    other = staff_of("ubnd-phuong-tan-phong")
    client.force_login(other)
    assert _download(client, case.item, case.attachment).status_code == 404
    assert _api_download(other, case.item, case.attachment).status_code == 404
    assert not _downloads().exists()


def test_an_attachment_is_reached_only_through_its_own_petitions_item(
    client: Client, case: Any
) -> None:
    from tests.complaints.factories import submit_item

    own_item = submit_item()  # another petition of the same commune, which the handler sees
    client.force_login(case.mk.handler)
    assert _download(client, own_item, case.attachment).status_code == 404


@pytest.fixture
def denunciation() -> Any:
    """A denunciation with a photo, sent to the provincial Citizen Reception Board, which
    transferred it to the commune whose official it denounces."""
    from complaints.models import PetitionItem
    from complaints.services import item_start_processing, item_transfer
    from gov.models import User
    from tests.complaints.factories import ItemDataFactory, agency, muong_kim_staff, sector
    from tests.gov.factories import staff_of

    board = staff_of("ban-tiep-cong-dan-tinh", User.Role.RECEPTION_OFFICER)
    petition = _with_file(
        receiving_agency=agency("ban-tiep-cong-dan-tinh"),
        items=[
            ItemDataFactory(
                kind=PetitionItem.Kind.DENUNCIATION,
                sector=sector("can-bo-cong-chuc"),
                summary="Tố cáo công chức địa chính nhận tiền của dân",
                denounced_person="Công chức địa chính xã Mường Kim",
                denounced_agency=agency("ubnd-xa-muong-kim"),
            )
        ],
    )
    at_board = petition.items.get()
    item_start_processing(item=at_board, by=board)
    item = item_transfer(item=at_board, by=board, target=agency("ubnd-xa-muong-kim"))
    return SimpleNamespace(
        petition=petition,
        at_board=at_board,
        item=item,
        attachment=petition.attachments.get(),
        mk=muong_kim_staff(),
    )


def test_a_denunciations_files_follow_the_denouncers_protection(
    client: Client, denunciation: Any
) -> None:
    from gov.models import User
    from tests.gov.factories import staff_of

    d = denunciation
    assert d.petition.identity_protected
    board_handler = staff_of("ban-tiep-cong-dan-tinh", User.Role.HANDLER)
    for user, item in [
        (board_handler, d.at_board),  # sees its transferred item, not the denouncer
        (board_handler, d.item),
        (d.mk.reception, d.item),  # sees the commune's item, not the denouncer
    ]:
        client.force_login(user)
        assert _download(client, item, d.attachment).status_code == 404
        assert _api_download(user, item, d.attachment).status_code == 404
        page = client.get(reverse("complaints:case", args=[item.pk])).content.decode()
        assert PHOTO_NAME not in page
    assert not _downloads().exists()
    client.force_login(d.mk.handler)
    assert _download(client, d.item, d.attachment).status_code == 200
    assert _downloads().get().actor == d.mk.handler


def test_files_stored_before_the_checks_are_rechecked_once(case: Any) -> None:
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    old_photo = Attachment.objects.create(
        petition=case.petition,
        file=ContentFile(jpeg_with_gps(), name="photo.jpg"),
        original_name="photo.jpg",
        size=1,
        content_type="text/html",  # what the client said, stored as it was before
    )
    name, data = DISGUISED["a program named .pdf"]
    old_program = Attachment.objects.create(
        petition=case.petition,
        file=ContentFile(data, name=name),
        original_name=name,
        size=len(data),
        content_type="application/pdf",
    )
    old_path = Path(old_photo.file.path)
    out = io.StringIO()
    call_command("recheck_attachments", stdout=out)
    assert "checked: 1, refused (sent as octet-stream): 1" in out.getvalue()
    old_photo.refresh_from_db()
    old_program.refresh_from_db()
    assert old_photo.content_type == "image/jpeg" and not old_path.exists()
    with old_photo.file.open("rb") as f, Image.open(f) as stored:
        assert not stored.getexif().get_ifd(GPS_IFD)
    assert old_program.content_type == "application/octet-stream"
    out = io.StringIO()
    call_command("recheck_attachments", stdout=out)  # again: only the refused one is looked at
    assert "checked: 0, refused (sent as octet-stream): 1" in out.getvalue()
