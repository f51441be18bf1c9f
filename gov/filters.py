"""The audit log's filters (django-filter)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gov.db import in_vietnamese_order

from .audit import concerning, reads_whole_log
from .models import Agency, AuditRecord
from .widgets import DateRangeInputs, FastSelect


def _agencies(request: HttpRequest | None) -> QuerySet[Agency]:
    """The Inspectorate filters by any agency; an agency's leaders only read their own."""
    user = getattr(request, "user", None)
    qs = Agency.objects.all()
    if not reads_whole_log(user):
        qs = qs.filter(pk=getattr(user, "agency_id", None))
    return qs.order_by(in_vietnamese_order("name"))


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=AuditRecord.Kind.choices, empty_label=_("All"), widget=FastSelect
    )
    username = django_filters.CharFilter(
        label=_("Account (user name)"), method="filter_username", max_length=150
    )
    at = django_filters.DateFromToRangeFilter(
        label=_("Between (dd/mm/yyyy)"), method="filter_at", widget=DateRangeInputs()
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"),
        # django-filter calls it with the request; its stubs know only a QuerySet here.
        queryset=_agencies,  # type: ignore[arg-type]
        empty_label=_("All"),
        method="filter_agency",
        widget=FastSelect,
    )
    # A notification links to its record.
    record = django_filters.NumberFilter(field_name="pk", widget=forms.HiddenInput)

    class Meta:
        model = AuditRecord
        fields: list[str] = []

    def filter_username(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(username=value.strip()) if value.strip() else qs

    def filter_at(self, qs: QuerySet, name: str, value: slice | None) -> QuerySet:
        """Whole local days, as a range of times: read from the index on the time."""
        if not value:
            return qs
        if value.start:
            qs = qs.filter(at__gte=_midnight(value.start))
        if value.stop:
            qs = qs.filter(at__lt=_midnight(value.stop + dt.timedelta(days=1)))
        return qs

    def filter_agency(self, qs: QuerySet, name: str, value: Agency | None) -> QuerySet:
        return qs.filter(concerning(value.pk)) if value is not None else qs
