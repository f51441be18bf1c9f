"""Antivirus scan of citizens' files (issue 13, item 8; ASVS V5.4.3), against a real clamd
started here with the project's one-signature database (``tests/clamd.py``): an infected file
is refused in Vietnamese with what was typed kept; with clamd unreachable the petition is
stored and its file held ("awaiting scan") until the periodic job scans it; nobody downloads a
file that is not known to be clean."""

from __future__ import annotations

import io
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from complaints import scanning
from complaints.models import Attachment, Petition
from tests import clamd as clamd_server
from tests.conftest import IN_CI
from tests.security.uploads_helpers import (
    _api_submit,
    _payload,
    _post_step,
    _to_documents_step,
    _upload_and_send,
    docx,
    pdf,
    png,
)

pytestmark = pytest.mark.django_db
Scan = Attachment.Scan


@pytest.fixture(scope="session")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[clamd_server.Clamd]:
    """One real clamd for the session, on a Unix socket of its own."""
    if clamd_server.binary() is None:
        if IN_CI:
            pytest.fail("clamd is missing: `make clamav` installs Debian's clamav-daemon")
        pytest.skip("clamd is not installed (apt-get install clamav-daemon, or `make clamav`)")
    server = clamd_server.started(tmp_path_factory.mktemp("clamd"))
    yield server
    server.stop()


@pytest.fixture
def scanner(clamd: clamd_server.Clamd, settings: Any) -> str:
    settings.PORTAL_UPLOAD_SCANNER = clamd.url
    return clamd.url


@pytest.fixture
def scanner_down(settings: Any, tmp_path: Path) -> str:
    """A scanner configured where nothing listens (clamd stopped, its socket gone)."""
    settings.PORTAL_UPLOAD_SCANNER = f"unix://{tmp_path / 'clamd.sock'}"
    return settings.PORTAL_UPLOAD_SCANNER


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def infected_docx() -> bytes:
    """A Word document whose text holds the antivirus test string: clamd finds it inside the
    ZIP, as it would a macro virus."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        zipfile.ZipFile(io.BytesIO(docx())) as plain,
    ):
        for info in plain.infolist():
            archive.writestr(info.filename, plain.read(info))
        archive.writestr("word/media/note.bin", clamd_server.EICAR)
    return out.getvalue()


# --- the client, against clamd ----------------------------------------------------------------


def test_clamd_finds_the_test_signature_and_passes_a_plain_file(clamd: Any) -> None:
    found = scanning.scan(b"%PDF-1.7\n" + clamd_server.EICAR, url=clamd.url, timeout=10)
    assert found == scanning.Verdict(infected=True, signature=clamd_server.SIGNATURE)
    assert scanning.scan(pdf(), url=clamd.url, timeout=10) == scanning.Verdict(infected=False)


def test_a_file_over_clamds_stream_limit_is_a_scanner_error_not_a_verdict(
    tmp_path: Path,
) -> None:
    if clamd_server.binary() is None and not IN_CI:
        pytest.skip("clamd is not installed")
    small = clamd_server.started(tmp_path, stream_max="1M")
    try:
        with pytest.raises(scanning.ScannerUnavailable, match="size limit exceeded"):
            scanning.scan(b"\0" * (2 * 1024 * 1024), url=small.url, timeout=10)
    finally:
        small.stop()


def test_nothing_listening_is_a_scanner_error(scanner_down: str) -> None:
    with pytest.raises(scanning.ScannerUnavailable):
        scanning.scan(pdf(), timeout=2)


def test_a_scanner_that_never_answers_is_given_up_after_the_timeout() -> None:
    """A real socket that accepts and reads nothing back (a hung clamd)."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(1)
        port = hung.getsockname()[1]
        with pytest.raises(scanning.ScannerUnavailable, match="timed out"):
            scanning.scan(png(), url=f"clamd://127.0.0.1:{port}", timeout=0.5)


@pytest.mark.parametrize(
    "url", ["127.0.0.1:3310", "clamd://127.0.0.1", "unix://relative.sock", "http://clamd:3310"]
)
def test_a_malformed_scanner_address_stops_the_start(settings: Any, url: str) -> None:
    settings.PORTAL_UPLOAD_SCANNER = url
    [error] = scanning.check_scanner_address()
    assert error.id == "complaints.E201"


# --- sending a petition -----------------------------------------------------------------------


def test_a_clean_file_is_scanned_stored_clean_and_downloadable(scanner: str) -> None:
    response = _api_submit(_payload(("don.pdf", pdf())))
    assert response.status_code == 201, response.json()
    attachment = Attachment.objects.get()
    assert attachment.scan_status == Scan.CLEAN and attachment.scanned_at is not None


def test_api_refuses_an_infected_file_in_vietnamese_and_stores_nothing(scanner: str) -> None:
    response = _api_submit(_payload(("don.docx", infected_docx()), ("anh.png", png())))
    assert response.status_code == 400
    [message] = response.json()["attachments"]
    assert message.startswith("don.docx: phần mềm diệt virus phát hiện")
    assert clamd_server.SIGNATURE in message
    assert not Petition.objects.exists() and not Attachment.objects.exists()


def test_form_refuses_an_infected_file_and_keeps_what_was_typed(
    client: Client, scanner: str
) -> None:
    _to_documents_step(client, full_name="Lò Thị Sạch")
    upload = SimpleUploadedFile("don.docx", infected_docx())
    assert "review-confirm" in _post_step(client, "documents", {"file_1": upload}).content.decode()
    body = _post_step(client, "review", {"confirm": "on"}).content.decode()
    assert "don.docx: phần mềm diệt virus phát hiện" in body
    assert 'name="documents-file_1"' in body and not Petition.objects.exists()
    _upload_and_send(client, "don.pdf", pdf(), "application/pdf")
    petition = Petition.objects.get()
    assert petition.submitters.get().full_name == "Lò Thị Sạch"
    assert petition.attachments.get().scan_status == Scan.CLEAN


# --- clamd unreachable: the petition is kept, its file held --------------------------------


def _staff_case(attachment: Attachment) -> SimpleNamespace:
    from tests.complaints.factories import muong_kim_staff

    item = attachment.petition.items.get()
    return SimpleNamespace(item=item, handler=muong_kim_staff().handler)


def _download(client: Client, case: SimpleNamespace, attachment: Attachment) -> Any:
    return client.get(reverse("complaints:attachment", args=[case.item.pk, attachment.pk]))


def _api_detail(case: SimpleNamespace) -> dict[str, Any]:
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=case.handler)[0].key}"
    )
    return api.get(reverse("complaints-api:item-detail", args=[case.item.pk])).json()


def _downloads() -> Any:
    from gov.models import AuditRecord

    return AuditRecord.objects.filter(kind=AuditRecord.Kind.ATTACHMENT_DOWNLOAD)


def test_with_clamd_down_the_petition_is_stored_and_its_file_held_until_scanned(
    client: Client, scanner_down: str, clamd: Any, settings: Any
) -> None:
    response = _api_submit(_payload(("so-do.png", png())))
    assert response.status_code == 201, response.json()
    attachment = Attachment.objects.get()
    assert attachment.scan_status == Scan.PENDING and attachment.scanned_at is None
    case = _staff_case(attachment)
    client.force_login(case.handler)
    page = client.get(reverse("complaints:case", args=[case.item.pk])).content.decode()
    assert "so-do.png" in page and "đang chờ quét virus" in page
    assert reverse("complaints:attachment", args=[case.item.pk, attachment.pk]) not in page
    assert _download(client, case, attachment).status_code == 404
    [listed] = _api_detail(case)["attachments"]
    assert listed["scan_status"] == "pending" and listed["download_url"] is None
    # Still down: the job leaves it waiting.
    assert scanning.attachments_scan_pending().waiting == 1
    assert Attachment.objects.get().scan_status == Scan.PENDING
    # clamd is back: the job scans it; it can be opened.
    settings.PORTAL_UPLOAD_SCANNER = clamd.url
    assert scanning.attachments_scan_pending() == scanning.ScanSweep(clean=1, infected=0, waiting=0)
    attachment.refresh_from_db()
    assert attachment.scan_status == Scan.CLEAN and attachment.scanned_at is not None
    response = _download(client, case, attachment)
    assert response.status_code == 200 and _downloads().count() == 1
    assert _api_detail(case)["attachments"][0]["download_url"]


def test_a_held_file_found_infected_later_is_never_sent(
    client: Client, scanner_down: str, clamd: Any, settings: Any
) -> None:
    response = _api_submit(_payload(("don.docx", infected_docx())))
    assert response.status_code == 201  # clamd was down: the petition is not lost for it
    settings.PORTAL_UPLOAD_SCANNER = clamd.url
    out = io.StringIO()
    call_command("sweep", stdout=out)
    assert "files scanned: 0 clean, 1 infected, 0 waiting" in out.getvalue()
    attachment = Attachment.objects.get()
    assert attachment.scan_status == Scan.INFECTED
    assert attachment.scan_signature == clamd_server.SIGNATURE
    case = _staff_case(attachment)
    client.force_login(case.handler)
    page = client.get(reverse("complaints:case", args=[case.item.pk])).content.decode()
    assert "phát hiện virus" in page and clamd_server.SIGNATURE in page
    assert _download(client, case, attachment).status_code == 404
    assert scanning.attachments_scan_pending() == scanning.ScanSweep(clean=0, infected=0, waiting=0)
    assert not _downloads().exists()


def test_files_stored_without_a_scanner_are_held_and_scanned_once_one_is_configured(
    client: Client, clamd: Any, settings: Any
) -> None:
    settings.PORTAL_UPLOAD_SCANNER = ""
    response = _api_submit(_payload(("so-do.png", png())))
    assert response.status_code == 201
    attachment = Attachment.objects.get()
    assert attachment.scan_status == Scan.SKIPPED
    case = _staff_case(attachment)
    client.force_login(case.handler)
    assert _download(client, case, attachment).status_code == 200  # no scanner: as before
    settings.PORTAL_UPLOAD_SCANNER = clamd.url
    assert _download(client, case, attachment).status_code == 404  # fails closed
    assert scanning.attachments_scan_pending().clean == 1
    assert _download(client, case, attachment).status_code == 200


def test_the_scan_job_runs_every_ten_minutes_in_beat() -> None:
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["attachments-scan-pending"]
    assert entry["task"] == "complaints.tasks.attachments_scan_pending_task"
    assert str(entry["schedule"].minute) == str({0, 10, 20, 30, 40, 50})


def test_production_deploy_check_warns_when_files_are_not_scanned(settings: Any) -> None:
    settings.PORTAL_UPLOAD_SCANNER = ""
    [warning] = scanning.check_scanner_deployed()
    assert warning.id == "complaints.W201" and "freshclam" in warning.msg
    settings.PORTAL_UPLOAD_SCANNER = "clamd://127.0.0.1:3310"
    assert scanning.check_scanner_deployed() == []
