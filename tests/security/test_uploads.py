"""Files citizens upload (issue 13, item 8; item 9's upload name over 255 bytes): checked by
their bytes on the form and the API, images re-encoded without EXIF, the content type the
server's, names capped by bytes, abandoned form files swept."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from complaints import uploads
from complaints.models import Attachment, Petition
from gov.models import AdministrativeUnit, Agency, Sector

pytestmark = pytest.mark.django_db
SUBMIT = reverse("complaints:submit")
API_SUBMIT = reverse("complaints-api:petition-submit")
GPS_IFD = 0x8825
ORIENTATION = 0x0112
LONG_NAME = "Ảnh chụp hiện trường cầu treo bản Nà Phát " * 6 + ".jpg"  # 300+ bytes of UTF-8


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Each test its own media folder: the sweep counts what is there."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


# --- files -----------------------------------------------------------------------------------


def jpeg_with_gps(*, rotated: bool = False) -> bytes:
    """A phone photo: 40×20 pixels, a GPS position in its EXIF, and (``rotated``) an EXIF
    orientation asking viewers to turn it a quarter."""
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (22.0, 23.0, 45.0), 3: "E", 4: (103.0, 28.0, 10.0)})
    if rotated:
        exif[ORIENTATION] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the position is there
    return data


def png(size: tuple[int, int] = (30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 90, 160)).save(out, "PNG")
    return out.getvalue()


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(main: str = uploads.WORD_MAIN, *, macros: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" '
            f'ContentType="{main}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return out.getvalue()


DISGUISED = {
    "a program named .pdf": ("don-khieu-nai.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
    "HTML named .html.pdf": (
        "bang-chung.html.pdf",
        b"<!DOCTYPE html><html><body><script>fetch('/can-bo/')</script></body></html>",
    ),
    "an SVG with script named .png": (
        "anh.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
    ),
    "a PDF header before garbage": ("to-cao.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50),
    "a macro-enabled Word file named .docx": (
        "don.docx",
        docx("application/vnd.ms-word.document.macroEnabled.main+xml", macros=True),
    ),
    "a spreadsheet named .docx": (
        "bang.docx",
        docx("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    ),
}


# --- the form --------------------------------------------------------------------------------


def _post_step(client: Client, step: str, data: dict[str, Any]) -> Any:
    return client.post(
        SUBMIT,
        {"petition_wizard-current_step": step, **{f"{step}-{k}": v for k, v in data.items()}},
    )


def _to_documents_step(client: Client, full_name: str = "Lò Văn Bảy") -> None:
    client.get(SUBMIT)
    _post_step(
        client,
        "content",
        {
            "kind": "feedback",
            "sector": Sector.objects.get(code="giao-thong").pk,
            "summary": "Cầu treo qua suối bị hỏng ván, trẻ em đi học rất nguy hiểm.",
        },
    )
    _post_step(
        client,
        "place",
        {
            "location_unit": AdministrativeUnit.objects.get(code="xa-muong-kim").pk,
            "receiving_agency": Agency.objects.get(code="ubnd-xa-muong-kim").pk,
        },
    )
    _post_step(
        client,
        "submitter",
        {"submitter_type": "person", "full_name": full_name, "address": "Bản 6"},
    )


def _upload_and_send(client: Client, name: str, data: bytes, content_type: str) -> Attachment:
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    response = _post_step(client, "documents", {"file_1": upload})
    assert response.status_code == 200, response.content[:500]
    assert "review-confirm" in response.content.decode()  # on to the last step
    response = _post_step(client, "review", {"confirm": "on"})
    assert response.status_code == 302
    return Petition.objects.latest("id").attachments.get()


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


# --- the API ---------------------------------------------------------------------------------


def _payload(*files: tuple[str, bytes]) -> dict[str, Any]:
    return {
        "receiving_agency": "ubnd-xa-muong-kim",
        "location_unit": "xa-muong-kim",
        "content": "Đề nghị sửa chữa cầu treo bản Nà Phát bị hỏng sau mưa lũ.",
        "submitters": [{"full_name": "Lò Văn Kiến"}],
        "items": [{"kind": "recommendation", "sector": "giao-thong", "summary": "Cầu treo hỏng."}],
        "attachments": [
            {"name": name, "content": base64.b64encode(data).decode()} for name, data in files
        ],
    }


def _api_submit(payload: dict[str, Any]) -> Any:
    return APIClient().post(API_SUBMIT, payload, format="json")


@pytest.mark.parametrize("case", DISGUISED, ids=list(DISGUISED))
def test_api_refuses_a_file_whose_bytes_are_not_what_its_name_says(case: str) -> None:
    name, data = DISGUISED[case]
    response = _api_submit(_payload((name, data)))
    assert response.status_code == 400
    [message] = response.json()["attachments"]
    assert name in message
    assert not Petition.objects.exists()


def test_api_message_is_vietnamese() -> None:
    response = _api_submit(_payload(DISGUISED["an SVG with script named .png"]))
    assert "không phải là tệp PDF, JPG, PNG hay Word" in response.json()["attachments"][0]


def test_api_stores_a_photo_without_gps_under_the_derived_type() -> None:
    response = _api_submit(_payload(("anh.jpg", jpeg_with_gps()), ("don.pdf", pdf())))
    assert response.status_code == 201, response.json()
    photo, document = Attachment.objects.order_by("id")
    assert (photo.content_type, document.content_type) == ("image/jpeg", "application/pdf")
    with photo.file.open("rb") as f, Image.open(f) as stored:
        assert not stored.getexif().get_ifd(GPS_IFD)


def test_api_takes_an_upload_name_of_300_bytes() -> None:
    response = _api_submit(_payload((LONG_NAME, png())))
    assert response.status_code == 201, response.json()
    name = Attachment.objects.get().original_name
    assert len(name.encode()) <= 200 and name.endswith(".png")


@pytest.mark.parametrize(
    ("content", "field"), [("not base64!", "content"), ("", "content")], ids=["garbage", "empty"]
)
def test_api_refuses_content_that_is_not_base64(content: str, field: str) -> None:
    payload = _payload()
    payload["attachments"] = [{"name": "a.pdf", "content": content}]
    response = _api_submit(payload)
    assert response.status_code == 400
    assert field in response.json()["attachments"]["0"]


def test_api_takes_at_most_three_files() -> None:
    response = _api_submit(_payload(*[("a.png", png())] * 4))
    assert response.status_code == 400 and "attachments" in response.json()


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\dan\\đơn.pdf", "đơn.pdf"),
        ("anh\u202egpj.exe", "anhgpj.exe"),  # the right-to-left override dropped
        ("\x00\x1f.pdf", "document.pdf"),
        ("lone\ud83d.pdf", "lone.pdf"),
    ],
)
def test_safe_name(given: str, expected: str) -> None:
    from django.utils import translation

    with translation.override("en"):
        assert uploads.safe_name(given) == expected


def test_safe_name_cuts_by_bytes_on_a_character_boundary() -> None:
    name = uploads.safe_name("ả" * 100 + ".pdf")  # "ả" is 3 bytes: 196 bytes hold 65 of them
    assert name == "ả" * 65 + ".pdf" and len(name.encode()) == 199


# --- the sweep of abandoned form files -------------------------------------------------------


def _kept(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"x")
    return path


def test_sweep_deletes_old_form_files_and_keeps_fresh_ones(
    time_machine: TimeMachineFixture,
) -> None:
    folder = Path(settings.MEDIA_ROOT) / uploads.WIZARD_UPLOADS
    old = _kept(folder, "old.upload")
    day_ago = (dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=25)).timestamp()
    os.utime(old, (day_ago, day_ago))
    fresh = _kept(folder, "fresh.upload")
    assert uploads.abandoned_uploads_sweep() == 1
    assert not old.exists() and fresh.exists()
    assert uploads.abandoned_uploads_sweep() == 0  # twice: nothing more, no error
    time_machine.move_to(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=25), tick=False)
    assert uploads.abandoned_uploads_sweep() == 1 and not fresh.exists()


def test_sweep_skips_a_file_another_sweep_took(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Path(settings.MEDIA_ROOT) / uploads.WIZARD_UPLOADS
    gone = _kept(folder, "gone.upload")
    listdir = uploads.WizardUploadStorage.listdir

    def listed_then_taken(self: uploads.WizardUploadStorage, path: str) -> Any:
        listed = listdir(self, path)
        gone.unlink()  # a parallel sweep deletes it between the listing and the deletion
        return listed

    monkeypatch.setattr(uploads.WizardUploadStorage, "listdir", listed_then_taken)
    assert uploads.abandoned_uploads_sweep() == 0


def test_sweep_runs_daily_in_beat_and_in_the_sweep_command() -> None:
    from django.core.management import call_command

    entry = settings.CELERY_BEAT_SCHEDULE["abandoned-uploads-sweep"]
    assert entry["task"] == "complaints.tasks.abandoned_uploads_sweep_task"
    out = io.StringIO()
    call_command("sweep", stdout=out)
    assert "abandoned form files deleted" in out.getvalue()


# --- staff open attachments: scoped, logged, downloaded --------------------------------------

PHOTO_NAME = "ảnh hiện trường.png"


def _with_file(**fields: Any) -> Any:
    from tests.complaints.factories import submit

    upload = SimpleUploadedFile(PHOTO_NAME, png(), content_type="text/html")
    return submit(attachments=[upload], **fields).petition


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


@pytest.fixture
def case() -> Any:
    from tests.complaints.factories import muong_kim_staff

    petition = _with_file()
    return SimpleNamespace(
        petition=petition,
        item=petition.items.get(),
        attachment=petition.attachments.get(),
        mk=muong_kim_staff(),
    )


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
