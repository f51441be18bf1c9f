"""Files citizens upload (issue 13, item 8), on the form: checked by their bytes, images re-encoded without EXIF, the content type the server's."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from PIL import Image

from complaints import uploads
from complaints.models import Attachment, Petition
from tests.security.uploads_helpers import (  # noqa: F401 (autouse fixtures run in every test here)
    DISGUISED,
    GPS_IFD,
    LONG_NAME,
    ORIENTATION,
    _media,
    _post_step,
    _to_documents_step,
    _upload_and_send,
    docx,
    jpeg_with_gps,
    pdf,
    png,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("case", DISGUISED, ids=list(DISGUISED))
def test_form_refuses_a_file_whose_bytes_are_not_what_its_name_says(
    client: Client, case: str
) -> None:
    name, data = DISGUISED[case]
    _to_documents_step(client)
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    response = _post_step(client, "documents", {"file_1": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert name in body and "errorlist" in body
    assert "review-confirm" not in body  # still on the documents step
    assert not Attachment.objects.exists()


def test_form_message_is_vietnamese_and_what_was_typed_is_kept(client: Client) -> None:
    _to_documents_step(client, full_name="Lò Thị Giữ Lại")
    name, data = DISGUISED["a program named .pdf"]
    response = _post_step(client, "documents", {"file_1": SimpleUploadedFile(name, data)})
    assert "không phải là tệp PDF, JPG, PNG hay Word" in response.content.decode()
    # The citizen attaches the real document and sends: the earlier steps were kept.
    _upload_and_send(client, "don.pdf", pdf(), "application/pdf")
    assert Petition.objects.latest("id").submitters.get().full_name == "Lò Thị Giữ Lại"


def test_photo_is_stored_without_its_gps_position(client: Client) -> None:
    _to_documents_step(client)
    attachment = _upload_and_send(client, "hien-truong.jpg", jpeg_with_gps(), "image/jpeg")
    with attachment.file.open("rb") as f, Image.open(f) as stored:
        assert stored.format == "JPEG"
        exif = stored.getexif()
        assert not exif.get_ifd(GPS_IFD) and GPS_IFD not in exif
        assert b"Exif" not in Path(attachment.file.path).read_bytes()[:4096]


def test_photo_orientation_is_applied_before_exif_is_dropped(client: Client) -> None:
    _to_documents_step(client)
    attachment = _upload_and_send(client, "doc.jpg", jpeg_with_gps(rotated=True), "image/jpeg")
    with attachment.file.open("rb") as f, Image.open(f) as stored:
        assert stored.size == (20, 40)  # turned as the camera meant, not lying on its side
        assert ORIENTATION not in stored.getexif()


def test_content_type_is_derived_from_the_bytes_not_the_client(client: Client) -> None:
    _to_documents_step(client)
    attachment = _upload_and_send(client, "so-do.png", png(), "text/html")
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "so-do.png"
    stored = Path(attachment.file.name).name
    assert "so-do" not in stored and stored.endswith(".png")  # a random name on disk


def test_a_jpeg_named_png_is_stored_and_named_as_the_jpeg_it_is(client: Client) -> None:
    _to_documents_step(client)
    attachment = _upload_and_send(client, "anh.png", jpeg_with_gps(), "image/png")
    assert attachment.content_type == "image/jpeg" and attachment.original_name == "anh.jpg"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("quyet-dinh.pdf", pdf(), "application/pdf"),
        (
            "don.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_documents_are_accepted_with_their_content_type(
    client: Client, name: str, data: bytes, content_type: str
) -> None:
    _to_documents_step(client)
    attachment = _upload_and_send(client, name, data, "application/octet-stream")
    assert attachment.content_type == content_type and attachment.original_name == name


def test_an_upload_name_of_300_bytes_is_cut_on_a_character_boundary(client: Client) -> None:
    assert len(LONG_NAME.encode()) > 300
    _to_documents_step(client)
    attachment = _upload_and_send(client, LONG_NAME, png(), "image/png")
    stored = attachment.original_name.encode("utf-8")
    assert len(stored) <= 200 and attachment.original_name.endswith(".png")
    assert LONG_NAME.startswith(attachment.original_name[:-4].rstrip())


@override_settings(PORTAL_ATTACHMENT_MAX_PIXELS=10_000)
def test_an_image_with_too_many_pixels_is_refused_before_decoding(client: Client) -> None:
    _to_documents_step(client)
    upload = SimpleUploadedFile("lon.png", png((200, 200)), content_type="image/png")
    body = _post_step(client, "documents", {"file_1": upload}).content.decode()
    assert "lon.png" in body and "errorlist" in body and "review-confirm" not in body


def test_a_kept_file_swept_away_does_not_break_the_form(client: Client) -> None:
    _to_documents_step(client)
    _post_step(client, "documents", {"file_1": SimpleUploadedFile("a.png", png())})
    folder = Path(settings.MEDIA_ROOT) / uploads.WIZARD_UPLOADS
    for kept in folder.iterdir():
        kept.unlink()
    response = _post_step(client, "review", {"confirm": "on"})
    assert response.status_code in {200, 302}


def test_media_is_not_served_publicly(client: Client) -> None:
    _to_documents_step(client)
    attachment = _upload_and_send(client, "so-do.png", png(), "image/png")
    assert client.get(settings.MEDIA_URL + attachment.file.name).status_code == 404
