"""Writing and reading the audit log (``gov.models.AuditRecord``).

``audit_record()`` is the one way to write a record: every login, case view, search, export,
identity reveal, attachment download and account change goes through it. Who reads the log is
decided here too (``audit_log_for``): the provincial Inspectorate (Thanh tra tỉnh) reads all of
it; the leaders of an agency read what its staff did and what concerns it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .http import client_ip
from .models import Agency, AuditRecord, User
from .notifications import notification_send

if TYPE_CHECKING:
    from django.http import HttpRequest

DIGEST_SALT = "gov.audit.digest"
# What one account may do in a day before the readers of the log are alerted, and the setting
# that changes each limit.
ALERT_LIMITS = {
    AuditRecord.Kind.IDENTITY_REVEAL: (
        "PORTAL_AUDIT_REVEAL_ALERT",
        [AuditRecord.Kind.IDENTITY_REVEAL],
    ),
    AuditRecord.Kind.EXPORT: (
        "PORTAL_AUDIT_EXPORT_ALERT",
        [AuditRecord.Kind.EXPORT, AuditRecord.Kind.PERSONAL_DATA_EXPORT],
    ),
    AuditRecord.Kind.PERSONAL_DATA_EXPORT: (
        "PORTAL_AUDIT_EXPORT_ALERT",
        [AuditRecord.Kind.EXPORT, AuditRecord.Kind.PERSONAL_DATA_EXPORT],
    ),
}
ALERT_SUBJECT = "gov.auditalert"


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
    the record too. ``data`` must hold no plain identity nor search term (use ``digest``).
    A reveal or an export past the day's limit alerts the readers of the log."""
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
    if actor is not None and kind in ALERT_LIMITS:
        _alert_if_over_limit(record)
    return record


# --- readers ------------------------------------------------------------------------------------


def reads_whole_log(user: object) -> bool:
    """The provincial Inspectorate's inspectors and leaders (and a superuser)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.is_superuser:
        return True
    agency = user.agency
    return bool(
        agency is not None
        and agency.kind == Agency.Kind.INSPECTORATE
        and agency.unit.parent_id is None
        and user.role in {User.Role.LEADER, User.Role.HANDLER}
    )


def may_read_log(user: object) -> bool:
    return reads_whole_log(user) or bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.agency_id
        and user.role == User.Role.LEADER
    )


def concerning(agency_id: int) -> Q:
    return Q(actor_agency_id=agency_id) | Q(agency_id=agency_id) | Q(other_agency_id=agency_id)


def audit_log_for(user: object) -> QuerySet[AuditRecord]:
    """The records ``user`` may read, newest first: all for the Inspectorate; for an agency's
    leaders, those whose actor belonged to the agency or that concern it; nothing otherwise."""
    qs = AuditRecord.objects.select_related("actor", "actor_agency", "agency", "other_agency")
    if reads_whole_log(user):
        return qs.order_by("-at", "-id")
    if may_read_log(user):
        return qs.filter(concerning(user.agency_id)).order_by("-at", "-id")
    return qs.none()


def log_readers(*agency_ids: int | None) -> QuerySet[User]:
    """Who is told of a record: the leaders of the agencies concerned (and, for alerts, of the
    provincial Inspectorate)."""
    ids = {a for a in agency_ids if a}
    return User.objects.filter(is_active=True, role=User.Role.LEADER, agency_id__in=ids)


def inspectorate_ids() -> list[int]:
    return list(
        Agency.objects.filter(
            kind=Agency.Kind.INSPECTORATE, unit__parent__isnull=True, valid_to__isnull=True
        ).values_list("pk", flat=True)
    )


def notify_readers(
    record: AuditRecord, *, title: str, recipients: QuerySet[User] | list[User]
) -> int:
    """An in-app notification of ``record`` to each recipient (once each)."""
    url = reverse("gov:audit_log") + f"?record={record.pk}"
    sent = 0
    for recipient in recipients:
        sent += notification_send(
            recipient=recipient,
            kind=f"audit:{record.kind}",
            title=title,
            dedupe_key=f"audit:{record.pk}",
            url=url,
        )
    return sent


# --- alerts -------------------------------------------------------------------------------------


def _day_start(now: dt.datetime) -> dt.datetime:
    today = timezone.localtime(now).date()
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


def _alert_if_over_limit(record: AuditRecord) -> None:
    setting, kinds = ALERT_LIMITS[record.kind]
    limit = getattr(settings, setting)
    done = AuditRecord.objects.filter(
        actor_id=record.actor_id, kind__in=kinds, at__gte=_day_start(record.at)
    )
    if done[: limit + 1].count() <= limit:
        return
    day = timezone.localtime(record.at).date()
    claim = f"{record.actor_id}:{setting}:{day.isoformat()}"
    try:
        # The alert record is the claim: a unique constraint lets one of two workers that cross
        # the limit at once write it, and the other writes nothing.
        with transaction.atomic():
            alert = AuditRecord.objects.create(
                kind=AuditRecord.Kind.ALERT,
                actor=record.actor,
                actor_agency_id=record.actor_agency_id,
                username=record.username,
                subject_type=ALERT_SUBJECT,
                subject_id=claim,
                data={"kind": record.kind, "limit": limit, "day": day.isoformat()},
            )
    except IntegrityError:
        return
    with translation.override(settings.LANGUAGE_CODE):
        what = (
            _("revealed protected identities")
            if record.kind == AuditRecord.Kind.IDENTITY_REVEAL
            else _("exported data")
        )
        title = str(
            _("Audit alert: %(user)s %(what)s more than %(n)s times today")
            % {"user": record.actor.display_name, "what": what, "n": limit}
        )
    notify_readers(
        alert, title=title, recipients=log_readers(record.actor_agency_id, *inspectorate_ids())
    )


# --- what the page shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class Described:
    subject: str
    agencies: str
    details: str
    kind: str = ""


@lru_cache(maxsize=8)
def _kind_labels(language: str) -> dict[str, str]:
    with translation.override(language):
        return {value: str(label) for value, label in AuditRecord.Kind.choices}


def kind_label(kind: str) -> str:
    """The kind in words, from a table made once per language: Django's
    ``get_kind_display()`` hashes every lazy label of the choices at each call (1.8 ms a row:
    18 s of an export of 10,000 rows, docs/performance-audit.md)."""
    return _kind_labels(translation.get_language() or settings.LANGUAGE_CODE).get(kind, kind)


DETAIL_LABELS = {
    "purpose": _("purpose"),
    "file": _("file"),
    "rows": _("rows"),
    "path": _("page"),
    "q": _("search term (keyed hash)"),
    "where": _("where"),
    "kind": _("kind"),
    "limit": _("limit"),
    "day": _("day"),
    "role": _("role"),
    "factor": _("second factor"),
    "failures": _("wrong codes in a row"),
    "act": _("act"),
    "route": _("page"),
    "status": _("response code"),
}
FACTORS = {"authenticator": _("authenticator app"), "recovery": _("recovery code")}


def _subject_label(subject_type: str) -> str:
    if subject_type == "export":
        return str(_("file"))
    if subject_type == ALERT_SUBJECT:
        return str(_("alert"))
    try:
        return str(apps.get_model(subject_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return subject_type


def _detail_value(record: AuditRecord, key: str, value: object) -> str:
    roles = dict(User.Role.choices)
    if key == "q":
        return f"{str(value)[:12]}…"
    if key == "act":
        from gov.authority import Act

        return str(Act(str(value)).label) if value in Act.values else str(value)
    if key == "factor":
        return str(FACTORS.get(str(value), "—"))
    if key == "kind" and value in AuditRecord.Kind.values:
        return str(AuditRecord.Kind(value).label)
    if record.kind == AuditRecord.Kind.ROLE_CHANGE and key in {"from", "to"} or key == "role":
        return str(roles.get(value, "—"))
    return str(value)


def describe(record: AuditRecord) -> Described:
    """A record in words, without a query more (the page's rows are read with their agencies)."""
    subject = ""
    if record.subject_type:
        subject = _subject_label(record.subject_type)
        if record.subject_id and record.subject_type != ALERT_SUBJECT:
            subject = f"{subject} #{record.subject_id}"
    agencies = ", ".join(a.name for a in (record.agency, record.other_agency) if a is not None)
    data = record.data if isinstance(record.data, dict) else {}
    if record.kind == AuditRecord.Kind.AGENCY_CHANGE:
        parts = [
            str(_("from %(old)s to %(new)s"))
            % {
                "old": record.other_agency.name if record.other_agency else "—",
                "new": record.agency.name if record.agency else "—",
            }
        ]
    elif record.kind == AuditRecord.Kind.ROLE_CHANGE:
        parts = [
            str(_("from %(old)s to %(new)s"))
            % {
                "old": _detail_value(record, "from", data.get("from")),
                "new": _detail_value(record, "to", data.get("to")),
            }
        ]
    else:
        parts = [
            f"{DETAIL_LABELS.get(key, key)}: {_detail_value(record, key, value)}"
            for key, value in data.items()
        ]
    return Described(
        subject=subject, agencies=agencies, details="; ".join(parts), kind=kind_label(record.kind)
    )


# --- shorthands for views -----------------------------------------------------------------------


def audit_case_view(request: HttpRequest, case: models.Model) -> AuditRecord:
    """A staff member opened a case (the case page, the API's item): the agency that owns the
    case is concerned, so that its leaders see who reads their files."""
    owner = getattr(case, "agency", None)
    user = request.user
    return audit_record(
        kind=AuditRecord.Kind.CASE_VIEW,
        request=request,
        subject=case,
        agency=owner if owner is not None and owner.pk != user.agency_id else None,
    )


def audit_search(request: HttpRequest, term: str, *, where: str) -> AuditRecord | None:
    """A staff search: the term only as a keyed hash (``digest``)."""
    if not str(term).strip():
        return None
    return audit_record(
        kind=AuditRecord.Kind.SEARCH,
        request=request,
        data={"q": digest(term), "where": where},
    )
