"""Files citizens upload (issue 13, item 8; item 9's upload name over 255 bytes): through the API, names capped by bytes, abandoned form files swept."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from PIL import Image
from time_machine import TimeMachineFixture

from complaints import uploads
from complaints.models import Attachment, Petition
from tests.security.uploads_helpers import (  # noqa: F401 (autouse fixtures run in every test here)
    DISGUISED,
    GPS_IFD,
    LONG_NAME,
    _api_submit,
    _media,
    _payload,
    jpeg_with_gps,
    pdf,
    png,
)

pytestmark = pytest.mark.django_db


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
