"""The one place that decides what a staff account may see.

A staff member sees the subtree of their agency's administrative unit: an officer of a commune
sees that commune and its villages; an officer of a provincial agency sees the whole province.
A superuser sees everything; anyone else (anonymous, inactive, without an agency) sees nothing.

Every scoped model names the path of the unit that places it in the tree, as ``SCOPE_PATH``
(``"path"`` for units, ``"unit__path"`` for agencies, ...). Every list and every object lookup
that a staff member makes goes through ``scoped()`` or ``get_scoped_or_404()``; an object out of
scope is a 404, never a 403, so its existence is not revealed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from gov.models import AdministrativeUnit, User

M = TypeVar("M", bound=Model)


def scope_root(user: User) -> AdministrativeUnit | None:
    """The unit whose subtree ``user`` may see; ``None`` for a superuser (no limit)."""
    if user.is_superuser:
        return None
    return user.agency.unit


def can_see_anything(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.agency_id)
    )


def scoped(user: object, queryset: QuerySet[M]) -> QuerySet[M]:
    """``queryset`` narrowed to what ``user`` may see."""
    if not can_see_anything(user):
        return queryset.none()
    root = scope_root(user)
    if root is None or _whole_tree(root, queryset.model):
        return queryset
    lookup = f"{queryset.model.SCOPE_PATH}__startswith"
    return queryset.filter(**{lookup: root.path})


def _whole_tree(root: AdministrativeUnit, model: type[Model]) -> bool:
    """Whether the filter would keep every row: ``root`` is the one unit without a parent (the
    province) and the model's path is its own column, never empty. A provincial officer's lists
    then read no pattern per row (a hundred thousand open items cost 16 ms more to match)."""
    if root.parent_id is not None:
        return False
    field_name = model.SCOPE_PATH
    if "__" in field_name or model._meta.get_field(field_name).null:
        return False
    from gov import memo
    from gov.models import AdministrativeUnit

    roots = memo.remembered(
        ("scope-roots",),
        lambda: list(
            AdministrativeUnit.objects.filter(parent__isnull=True).values_list("pk", flat=True)
        ),
    )
    return roots == [root.pk]


def get_scoped_or_404(user: object, queryset: QuerySet[M], **lookup: object) -> M:
    return get_object_or_404(scoped(user, queryset), **lookup)
