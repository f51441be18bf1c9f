"""What the tests of uploaded files (``test_uploads_*.py``, ``test_active_content.py``,
``test_scanning.py``) share: files of each kind built in memory, the form's steps and the API's
submission with files, a petition with a file, and media files kept in a temporary folder
(autouse)."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from rest_framework.test import APIClient

from complaints import uploads
from complaints.models import Attachment, Petition
from gov.models import AdministrativeUnit, Agency, Sector

SUBMIT = reverse("complaints:submit")
API_SUBMIT = reverse("complaints-api:petition-submit")
GPS_IFD = 0x8825
ORIENTATION = 0x0112
LONG_NAME = "Ảnh chụp hiện trường cầu treo bản Nà Phát " * 6 + ".jpg"  # 300+ bytes of UTF-8


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Each test its own media folder: the sweep counts what is there."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


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


PHOTO_NAME = "ảnh hiện trường.png"


def _with_file(**fields: Any) -> Any:
    from tests.complaints.factories import submit

    upload = SimpleUploadedFile(PHOTO_NAME, png(), content_type="text/html")
    return submit(attachments=[upload], **fields).petition
