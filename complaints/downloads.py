"""Staff open a citizen's file: through an item they may see (``selectors.attachment_get``),
logged in the audit trail, and sent so that no browser renders it in the portal's origin.

Uploaded files have no public URL (nothing routes ``MEDIA_URL``); this response is the only
way to read one. The page and the API send the same response.
"""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, HttpRequest

from gov.audit import audit_record
from gov.models import AuditRecord

from .models import Attachment, PetitionItem
from .uploads import CONTENT_TYPES

log = logging.getLogger(__name__)

# Even if a browser were to show the file, it runs nothing and reaches nothing.
SANDBOX = "default-src 'none'; sandbox"


def attachment_response(
    request: HttpRequest, item: PetitionItem, attachment: Attachment
) -> FileResponse:
    """The file as a download (``Content-Disposition: attachment`` with the citizen's name, in
    RFC 5987 ``filename*`` when it is not ASCII), of the content type the portal derived, not
    sniffed, not cached; one audit record per download."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        log.warning("Attachment %s: its file is missing from storage", attachment.pk)
        raise Http404 from None
    audit_record(
        kind=AuditRecord.Kind.ATTACHMENT_DOWNLOAD,
        request=request,
        subject=attachment,
        agency=item.agency,
        data={"item": item.pk, "petition": item.petition_id},
    )
    # Rows stored before the content was checked hold the client's type: not trusted.
    content_type = (
        attachment.content_type
        if attachment.content_type in CONTENT_TYPES
        else "application/octet-stream"
    )
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = SANDBOX
    return response
