"""Writing the audit log (``gov.models.AuditRecord``).

``audit_record()`` is the one way to write a record: every login, case view, search, export,
identity reveal, attachment download and account change goes through it.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from django.db import models
from django.utils.crypto import salted_hmac

from .http import client_ip
from .models import Agency, AuditRecord

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import User

DIGEST_SALT = "gov.audit.digest"


def digest(value: str) -> str:
    """A keyed hash (HMAC-SHA256 under the site's secret) of a value the log must not hold in
    clear (a search term, a name): two records of the same term can be matched, but the term
    cannot be recovered from a dump of the database without the key."""
    normalised = " ".join(str(value).split()).casefold()
    return salted_hmac(DIGEST_SALT, normalised, algorithm="sha256").hexdigest()


def _subject(subject: object) -> tuple[str, str]:
    if subject is None:
        return "", ""
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    if isinstance(subject, tuple) and len(subject) == 2:
        return str(subject[0])[:60], str(subject[1])[:64]
    return str(subject)[:60], ""


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = client_ip(request)
    try:  # a proxy header could carry anything; the column holds addresses only
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def audit_record(
    *,
    kind: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
    subject: object = None,
    agency: Agency | None = None,
    other_agency: Agency | None = None,
    data: dict | None = None,
    username: str = "",
) -> AuditRecord:
    """Append one record. ``subject``: a model instance, a ``(type, id)`` pair, or a type name.
    ``agency``/``other_agency``: the agencies concerned besides the actor's, whose leaders read
    the record too. ``data`` must hold no plain identity nor search term (use ``digest``)."""
    if kind not in AuditRecord.Kind.values:
        raise ValueError(f"Unknown audit kind {kind!r}")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    subject_type, subject_id = _subject(subject)
    record = AuditRecord.objects.create(
        kind=kind,
        actor=actor,
        actor_agency_id=actor.agency_id if actor is not None else None,
        username=(username or (actor.get_username() if actor is not None else ""))[:150],
        ip=_ip(request),
        subject_type=subject_type,
        subject_id=subject_id,
        agency=agency,
        other_agency=other_agency,
        data=data or {},
    )
    return record
