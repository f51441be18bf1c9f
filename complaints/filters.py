"""The officer inbox filters (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gov.db import in_vietnamese_order
from gov.forms import StaffChoiceField
from gov.models import AdministrativeUnit, Agency, Sector, User
from gov.scoping import scoped
from gov.widgets import DateRangeInputs, FastSelect

from . import selectors
from .models import PetitionItem, Status

YES_NO = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class YesNoFilter(django_filters.TypedChoiceFilter):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            choices=YES_NO,
            empty_value=None,
            coerce=lambda v: v in (True, "true", "True", "1"),
            **kwargs,
        )


class HandlerFilter(django_filters.ModelChoiceFilter):
    field_class = StaffChoiceField  # type: ignore[assignment]  # django-filter-stubs: a subclass is refused


def _agencies(request: object) -> QuerySet[Agency]:
    """The agencies the officer may see: those whose items the inbox can hold."""
    return scoped(getattr(request, "user", None), Agency.objects.all()).order_by(
        in_vietnamese_order("name")
    )


def _handlers(request: object) -> QuerySet[User]:
    """The handlers of those agencies (and their other staff, who may be assigned items)."""
    user = getattr(request, "user", None)
    return (
        scoped(user, User.objects.filter(is_active=True, agency__isnull=False))
        .only("id", "username", "first_name", "last_name")
        .order_by(in_vietnamese_order("last_name"), in_vietnamese_order("first_name"), "username")
    )


class InboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search (with or without diacritics)"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PetitionItem.Kind.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), empty_label=_("All")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Commune or ward"),
        field_name="place_commune",  # the commune of the petition's place, villages included
        empty_label=_("All"),
        queryset=AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.COMMUNE, valid_to__isnull=True
        ).order_by(in_vietnamese_order("name")),
    )
    # The overview's rows by agency and by handler lead here.
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"), queryset=_agencies, empty_label=_("All")
    )
    handler = HandlerFilter(label=_("Handler"), queryset=_handlers, empty_label=_("All"))
    overdue = YesNoFilter(label=_("Overdue"), method="filter_overdue")
    # due_on_after / due_on_before: the overview's aging bands lead here.
    due_on = django_filters.DateFromToRangeFilter(
        label=_("Due between (dd/mm/yyyy)"),
        widget=DateRangeInputs(),
    )
    due_within = django_filters.NumberFilter(
        label=_("Due within (working days)"),
        method="filter_due_within",
        widget=forms.NumberInput(attrs={"min": 0, "max": 60}),
    )
    skip_level = YesNoFilter(label=_("Skip-level"), field_name="is_skip_level")
    mass = YesNoFilter(label=_("Mass complaint"), field_name="is_mass")
    open_only = YesNoFilter(label=_("Open only"), method="filter_open")
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("due_on", "due_on"),
            ("received_on", "received"),
            ("status", "status"),
            ("id", "id"),
        ],
        field_labels={
            "due_on": _("Deadline"),
            "received_on": _("Date received"),
            "status": _("Status"),
            "id": _("Number"),
        },
        empty_label=_("Deadline, nearest first"),
    )

    class Meta:
        model = PetitionItem
        fields: list[str] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for f in self.filters.values():  # the page is rendered on every visit: fast selects
            if isinstance(
                f,
                django_filters.ChoiceFilter
                | django_filters.TypedChoiceFilter
                | django_filters.ModelChoiceFilter,
            ):
                f.extra.setdefault("widget", FastSelect)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.text_search(qs, value) if value.strip() else qs

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        if value:
            return selectors.overdue(qs)
        return qs.exclude(selectors.open_items_q(), due_on__lt=timezone.localdate())

    def filter_due_within(self, qs: QuerySet, name: str, value: int) -> QuerySet:
        if value is None or value < 0:
            return qs
        return selectors.due_within(qs, working_days=min(int(value), 60))

    def filter_open(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return (
            qs.filter(selectors.open_items_q()) if value else qs.exclude(selectors.open_items_q())
        )
