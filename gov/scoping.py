"""The one place that decides what a staff account may see.

A staff member of a commune (or of any unit below the province) sees the subtree of their
agency's unit: that commune and its villages. At the province, reading follows need-to-know:

- the agencies named in ``PORTAL_PROVINCE_READERS`` (by default the Inspectorate, the Citizen
  Reception Board and the People's Committee's leaders) see the whole province;
- every other provincial agency (a department, the office, the council) sees, of the records
  that belong to an agency, those its agency is linked to, each kind saying by what link
  (``need_to_know``):

  ==================================  =========================================================
  petition item, hotspot              held by it, or referred to it or by it
  reception session, visit            its own sessions
  reception calendar entry            its own entries (the public calendar shows the rest)
  dialogue                            organised by it, taken part in, or a promise in its name
  council session, question           its council's, or where it was questioned
  council resolution                  its council's, or one that made a promise in its name
  voter meeting, recommendation       its council's, or where a recommendation is assigned to it
  commitment (promise)                in its name, or made in a record above that it sees
  mediation team, case                none: they are the commune's, and name the parties
  ==================================  =========================================================

  Of the rest (units, agencies, staff), the province. Public pages (``/loi-hua/``,
  ``/doi-thoai/``) do not go through here.

A superuser sees everything; anyone else (anonymous, inactive, without an agency) sees nothing.

Every scoped model names the path of the unit that places it in the tree, as ``SCOPE_PATH``
(``"path"`` for units, ``"unit__path"`` for agencies, ...); a model whose rows belong to an
agency also says which of them an agency-limited reader sees, as a class method
``need_to_know(agency_id) -> Q``. Every list and every object lookup that a staff member makes
goes through ``scoped()`` or ``get_scoped_or_404()``; an object out of scope is a 404, never a
403, so its existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from gov.models import AdministrativeUnit, User

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    """What one account reads: the subtree of ``root`` (``None``: no limit), and, when
    ``agency_id`` is set, of the records that belong to an agency only those that
    ``need_to_know`` gives that agency."""

    root: AdministrativeUnit | None
    agency_id: int | None = None

    @property
    def key(self) -> str:
        """Equal for two accounts that see the same rows (a cache of figures shares it)."""
        if self.agency_id is not None:
            return f"agency:{self.agency_id}"
        return self.root.path if self.root is not None else "*"


def reads_whole_province(user: User) -> bool:
    """Whether ``user``'s provincial agency is one of ``PORTAL_PROVINCE_READERS``: an entry
    ``kind`` takes every role of the agencies of that kind, ``kind:role|role`` those roles."""
    for entry in settings.PORTAL_PROVINCE_READERS:
        kind, _sep, roles = entry.strip().partition(":")
        if kind == user.agency.kind and (not roles or user.role in roles.split("|")):
            return True
    return False


def scope_of(user: User) -> Scope:
    """``user``'s scope; ``user`` is a staff account that may see something."""
    if user.is_superuser:
        return Scope(root=None)
    unit = user.agency.unit
    if unit.parent_id is not None or reads_whole_province(user):
        return Scope(root=unit)
    return Scope(root=unit, agency_id=user.agency_id)


def scope_root(user: User) -> AdministrativeUnit | None:
    """The unit whose subtree ``user`` may see; ``None`` for a superuser (no limit)."""
    return scope_of(user).root


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
    scope = scope_of(user)
    model = queryset.model
    if scope.agency_id is not None and hasattr(model, "need_to_know"):
        return queryset.filter(model.need_to_know(scope.agency_id))
    root = scope.root
    if root is None or _whole_tree(root, model):
        return queryset
    lookup = f"{model.SCOPE_PATH}__startswith"
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
