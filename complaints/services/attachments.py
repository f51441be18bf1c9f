"""A petition's files: checked by their bytes before anything is written (complaints.uploads),
scanned (complaints.scanning), stored under a random name; and files stored before that,
checked again."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from complaints import scanning, uploads
from complaints.models import Attachment, Petition
from gov.errors import Refused


def attachments_prepare(files: Sequence[File]) -> list[uploads.Prepared]:
    """Every file checked by its bytes and made ready to store (``complaints.uploads``),
    before anything is written; the refusals as the "attachments" field's errors."""
    prepared, refused = [], []
    for upload in files:
        try:
            ready = uploads.prepare(upload)
            # What is stored is what is scanned (complaints.scanning).
            status = scanning.status_on_upload(ready.data, name=ready.original_name)
            prepared.append(dataclasses.replace(ready, scan_status=status))
        except ValidationError as exc:
            refused.extend(exc.messages)
    if refused:
        raise Refused({"attachments": refused})
    return prepared


def _attachment_save(petition: Petition, prepared: uploads.Prepared) -> Attachment:
    return Attachment.objects.create(
        petition=petition,
        file=prepared.content,  # under a random name
        original_name=prepared.original_name,
        size=prepared.size,
        content_type=prepared.kind.content_type,  # the content's, never the client's
        scan_status=prepared.scan_status,
        scanned_at=timezone.now() if prepared.scan_status == Attachment.Scan.CLEAN else None,
    )


def attachment_recheck(*, attachment: Attachment) -> bool:
    """Check a file stored before files were checked by their bytes, as a new one would be: an
    image re-encoded without its metadata (GPS), the content type derived, the stored name
    random. A file refused keeps its bytes but is sent as "application/octet-stream" (the
    download view trusts no other type); returns whether it passed."""
    with attachment.file.open("rb") as f:
        upload = File(io.BytesIO(f.read()), name=attachment.original_name)
    try:
        [prepared] = attachments_prepare([upload])
    except ValidationError:
        attachment.content_type = "application/octet-stream"
        attachment.save(update_fields=["content_type"])
        return False
    old = attachment.file.name
    with transaction.atomic():
        attachment.file.save(prepared.content.name, prepared.content, save=False)
        attachment.original_name = prepared.original_name
        attachment.size = prepared.size
        attachment.content_type = prepared.kind.content_type
        attachment.scan_status = prepared.scan_status
        attachment.scanned_at = (
            timezone.now() if prepared.scan_status == Attachment.Scan.CLEAN else None
        )
        attachment.save(
            update_fields=[
                "file",
                "original_name",
                "size",
                "content_type",
                "scan_status",
                "scanned_at",
            ]
        )
    attachment.file.storage.delete(old)
    return True


def attachment_add(*, petition: Petition, upload: UploadedFile) -> Attachment:
    """Attach a citizen's file to ``petition``: checked by its bytes, images re-encoded
    without their metadata (GPS), stored under a random name with the derived content type."""
    [prepared] = attachments_prepare([upload])
    return _attachment_save(petition, prepared)
