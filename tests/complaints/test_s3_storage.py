"""Citizens' files on an S3-compatible bucket (``PORTAL_MEDIA_S3_*``, django-storages), against
moto's S3 server started here on a free port (``moto[server]``, a real HTTP endpoint): a file
sent through the public API or form lands in the private bucket and never on the disk, staff
download it only through the portal's scoped, logged view, the antivirus scans it from the
bucket, replacing or abandoning a file deletes its object."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import boto3
import environ
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import scanning, uploads
from complaints.models import Attachment
from complaints.services import attachment_recheck
from laichau_portal.media import S3_BACKEND, media_s3_options
from tests.complaints.factories import muong_kim_staff
from tests.gov.factories import staff_of
from tests.pgcluster import free_port
from tests.security.test_scanning import clamd  # noqa: F401  # the session's real clamd
from tests.security.uploads_helpers import (
    _api_submit,
    _payload,
    _post_step,
    _to_documents_step,
    png,
)

pytestmark = pytest.mark.django_db
PREFIX = "portal"
Scan = Attachment.Scan


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """moto's S3 server in a process of its own, on 127.0.0.1 and a free port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert process.poll() is None and time.monotonic() < deadline, "moto did not start"
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


@pytest.fixture
def bucket(
    s3_server: str, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> SimpleNamespace:
    """A new bucket, and the portal's settings made from ``PORTAL_MEDIA_S3_*`` as in production."""
    name = f"laichau-{uuid.uuid4().hex[:12]}"
    for variable, value in {
        "PORTAL_MEDIA_S3_BUCKET": name,
        "PORTAL_MEDIA_S3_ENDPOINT_URL": s3_server,
        "PORTAL_MEDIA_S3_REGION": "ap-southeast-1",
        "PORTAL_MEDIA_S3_ACCESS_KEY_ID": "portal-test",
        "PORTAL_MEDIA_S3_SECRET_ACCESS_KEY": "portal-test-secret",
        "PORTAL_MEDIA_S3_PREFIX": PREFIX,
    }.items():
        monkeypatch.setenv(variable, value)
    options = media_s3_options(environ.Env())
    assert options is not None
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="ap-southeast-1",
        aws_access_key_id="portal-test",
        aws_secret_access_key="portal-test-secret",
    )
    client.create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"}
    )
    settings.PORTAL_MEDIA_S3 = options
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": options},
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")  # nothing may land there
    settings.PORTAL_UPLOAD_SCANNER = ""

    def keys(under: str = "") -> list[str]:
        listed = client.list_objects_v2(Bucket=name, Prefix=f"{PREFIX}/{under}")
        return sorted(o["Key"] for o in listed.get("Contents", []))

    def body(key: str) -> bytes:
        return client.get_object(Bucket=name, Key=key)["Body"].read()

    return SimpleNamespace(name=name, client=client, keys=keys, body=body, media=tmp_path / "media")


def _on_disk(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_no_bucket_means_the_local_disk() -> None:
    assert media_s3_options(environ.Env()) is None  # PORTAL_MEDIA_S3_BUCKET is not set
    assert isinstance(uploads.wizard_upload_storage(), uploads.WizardUploadStorage)


def test_a_citizens_file_is_kept_private_in_the_bucket_and_read_through_the_portal(
    bucket: SimpleNamespace, client: Client
) -> None:
    response = _api_submit(_payload(("so-do.png", png())))
    assert response.status_code == 201, response.json()
    attachment = Attachment.objects.get()
    key = f"{PREFIX}/{attachment.file.name}"
    assert bucket.keys("attachments/") == [key] and _on_disk(bucket.media) == []
    # Private: the owner's grant only, nothing for everyone or every AWS account.
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert not any("URI" in g["Grantee"] for g in grants)
    item = attachment.petition.items.get()
    url = reverse("complaints:attachment", args=[item.pk, attachment.pk])
    handler = muong_kim_staff().handler
    client.force_login(handler)
    case = client.get(reverse("complaints:case", args=[item.pk])).content.decode()
    assert url in case and bucket.name not in case  # no address of the bucket is ever shown
    download = client.get(url)
    assert download.status_code == 200 and "Location" not in download
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(cast("FileResponse", download).streaming_content) == bucket.body(key)  # type: ignore[arg-type]
    # Still scoped: another commune's handler and a visitor get nothing.
    other = Client()
    other.force_login(staff_of("ubnd-phuong-tan-phong", "handler"))
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code in {302, 404}


def test_the_antivirus_scans_a_held_file_from_the_bucket(
    bucket: SimpleNamespace,
    client: Client,
    clamd: Any,  # noqa: F811  # the fixture imported above
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.PORTAL_UPLOAD_SCANNER = f"unix://{tmp_path / 'nothing.sock'}"  # clamd unreachable
    assert _api_submit(_payload(("so-do.png", png()))).status_code == 201
    attachment = Attachment.objects.get()
    assert attachment.scan_status == Scan.PENDING
    item = attachment.petition.items.get()
    client.force_login(muong_kim_staff().handler)
    url = reverse("complaints:attachment", args=[item.pk, attachment.pk])
    assert client.get(url).status_code == 404  # held until scanned
    settings.PORTAL_UPLOAD_SCANNER = clamd.url
    assert scanning.attachments_scan_pending() == scanning.ScanSweep(clean=1, infected=0, waiting=0)
    assert client.get(url).status_code == 200


def test_replacing_a_file_deletes_its_old_object(bucket: SimpleNamespace) -> None:
    assert _api_submit(_payload(("so-do.png", png()))).status_code == 201
    attachment = Attachment.objects.get()
    old = f"{PREFIX}/{attachment.file.name}"
    assert attachment_recheck(attachment=attachment) is True
    attachment.refresh_from_db()
    new = f"{PREFIX}/{attachment.file.name}"
    assert new != old and bucket.keys("attachments/") == [new]


def test_the_forms_kept_file_waits_in_the_bucket_and_an_abandoned_one_is_deleted(
    bucket: SimpleNamespace, client: Client
) -> None:
    _to_documents_step(client)
    upload = SimpleUploadedFile("so-do.png", png(), content_type="image/png")
    response = _post_step(client, "documents", {"file_1": upload})
    assert "review-confirm" in response.content.decode()
    [kept] = bucket.keys(f"{uploads.WIZARD_UPLOADS}/")
    assert kept.endswith(".upload") and "so-do" not in kept and _on_disk(bucket.media) == []
    assert uploads.abandoned_uploads_sweep() == 0  # not old yet
    later = timezone.now() + dt.timedelta(hours=25)
    assert uploads.abandoned_uploads_sweep(now=later) == 1
    assert bucket.keys(f"{uploads.WIZARD_UPLOADS}/") == []
