"""Writes to the shared reference data and accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .audit import audit_record, log_readers, notify_readers
from .models import Agency, AuditRecord, User

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

ADMINISTRATORS_GROUP = "Quản trị viên"
# Models an administrator manages in the admin (reference data and accounts).
ADMINISTERED_MODELS = {
    "gov": ["administrativeunit", "agency", "sector", "calendarday", "timelimitrule", "user"],
    "complaints": ["routingrule", "petitionitem", "hotspot"],
}


def administrators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    query = Q()
    for app_label, models in ADMINISTERED_MODELS.items():
        query |= Q(content_type__app_label=app_label, content_type__model__in=models)
    group.permissions.set(Permission.objects.filter(query))
    return group


@transaction.atomic
def staff_account_upsert(
    *,
    username: str,
    agency: Agency,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    position: str = "",
    email: str | None = None,
    by: User | None = None,
) -> User:
    """Create or update a staff account. Administrators get the admin site and its group.
    A change of an existing account's role, agency or password is audited (``by`` is None for
    the command line). ``email`` None leaves an existing account's address as it is (an
    administrator may have set it) and gives a new one none."""
    if role not in User.Role.values:
        raise ValueError(f"Unknown role {role!r}")
    before = User.objects.filter(username=username).values("pk", "role", "agency_id").first()
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "agency": agency,
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            "position": position,
            **({"email": email} if email is not None else {}),
            "is_active": True,
            "is_staff": role == User.Role.ADMINISTRATOR,
        },
    )
    # Seeding the same password again (the demo, every deployment) is no change to audit.
    password_changed = password is not None and not user.check_password(password)
    if password_changed:
        user.set_password(password)
        user.save(update_fields=["password"])
    if before is not None:
        account_changes_record(
            account=user, before_role=before["role"], before_agency_id=before["agency_id"], by=by
        )
        if password_changed:
            account_password_set_record(account=user, by=by)
    if role == User.Role.ADMINISTRATOR:
        user.groups.add(administrators_group())
    else:
        user.groups.remove(*Group.objects.filter(name=ADMINISTRATORS_GROUP))
    return user


def leaders_of_unit(unit_id: int) -> list[User]:
    """Leaders of the agencies seated at a unit (the People's Committee of a commune, ...)."""
    return list(User.objects.filter(is_active=True, role=User.Role.LEADER, agency__unit_id=unit_id))


# --- account changes, audited --------------------------------------------------------------------


def _official(text: StrOrPromise, **params: StrOrPromise | int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text) % params


def account_changes_record(
    *,
    account: User,
    before_role: str,
    before_agency_id: int | None,
    by: User | None,
    request: HttpRequest | None = None,
) -> list[AuditRecord]:
    """Audit a change of ``account``'s role or agency (nothing if neither changed) and tell the
    leaders of the old and the new agency."""
    written = []
    old = Agency.objects.filter(pk=before_agency_id).first() if before_agency_id else None
    new = account.agency
    changes: list[tuple[str, dict[str, object]]] = []
    if before_role != account.role:
        changes.append((AuditRecord.Kind.ROLE_CHANGE, {"from": before_role, "to": account.role}))
    if before_agency_id != account.agency_id:
        changes.append(
            (
                AuditRecord.Kind.AGENCY_CHANGE,
                {"from": before_agency_id, "to": account.agency_id},
            )
        )
    roles = dict(User.Role.choices)
    for kind, data in changes:
        record = audit_record(
            kind=kind,
            actor=by,
            request=request if by is not None else None,
            subject=account,
            agency=new or old,
            other_agency=old if old != new else None,
            data=data,
        )
        written.append(record)
        title = _official(
            _("Account %(account)s changed by %(by)s: %(what)s"),
            account=account.display_name,
            by=by.display_name if by is not None else _("the command line"),
            what=_official(
                _("role %(old)s → %(new)s"),
                old=roles.get(before_role, "—"),
                new=roles.get(account.role, "—"),
            )
            if kind == AuditRecord.Kind.ROLE_CHANGE
            else _official(
                _("agency %(old)s → %(new)s"),
                old=old.name if old else "—",
                new=new.name if new else "—",
            ),
        )
        notify_readers(
            record, title=title, recipients=log_readers(before_agency_id, account.agency_id)
        )
    return written


def account_password_set_record(
    *, account: User, by: User | None, request: HttpRequest | None = None
) -> AuditRecord | None:
    """Audit a password set for ``account`` by someone else, and tell the leaders of the
    account's agency and of the one who set it. A staff member's own change is not audited."""
    if by is not None and by.pk == account.pk:
        return None
    record = audit_record(
        kind=AuditRecord.Kind.PASSWORD_SET,
        actor=by,
        request=request if by is not None else None,
        subject=account,
        agency=account.agency,
    )
    title = _official(
        _("Password of %(account)s set by %(by)s"),
        account=account.display_name,
        by=by.display_name if by is not None else _("the command line"),
    )
    notify_readers(
        record,
        title=title,
        recipients=log_readers(account.agency_id, by.agency_id if by is not None else None),
    )
    return record


def account_created_record(
    *, account: User, by: User | None, request: HttpRequest | None = None
) -> AuditRecord:
    """Audit a new staff account and tell the leaders of its agency."""
    record = audit_record(
        kind=AuditRecord.Kind.ACCOUNT_CREATED,
        actor=by,
        request=request if by is not None else None,
        subject=account,
        agency=account.agency,
        data={"role": account.role},
    )
    title = _official(
        _("Account %(account)s (%(role)s) created by %(by)s"),
        account=account.display_name,
        role=account.get_role_display() or "—",
        by=by.display_name if by is not None else _("the command line"),
    )
    notify_readers(record, title=title, recipients=log_readers(account.agency_id))
    return record
