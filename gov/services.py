"""Writes to the shared reference data and accounts."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .models import Agency, User

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
    email: str = "",
) -> User:
    """Create or update a staff account. Administrators get the admin site and its group."""
    if role not in User.Role.values:
        raise ValueError(f"Unknown role {role!r}")
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "agency": agency,
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            "position": position,
            "email": email,
            "is_active": True,
            "is_staff": role == User.Role.ADMINISTRATOR,
        },
    )
    if password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
    if role == User.Role.ADMINISTRATOR:
        user.groups.add(administrators_group())
    else:
        user.groups.remove(*Group.objects.filter(name=ADMINISTRATORS_GROUP))
    return user


def notification_send(
    *, recipient: User, kind: str, title: str, dedupe_key: str, body: str = "", url: str = ""
) -> bool:
    """Notify a staff member in the app, once per ``dedupe_key``. Returns whether it is new."""
    from .models import Notification

    _, created = Notification.objects.get_or_create(
        recipient=recipient,
        dedupe_key=dedupe_key,
        defaults={"kind": kind, "title": title[:200], "body": body, "url": url[:255]},
    )
    return created


def leaders_of_unit(unit_id: int) -> list[User]:
    """Leaders of the agencies seated at a unit (the People's Committee of a commune, ...)."""
    return list(User.objects.filter(is_active=True, role=User.Role.LEADER, agency__unit_id=unit_id))
