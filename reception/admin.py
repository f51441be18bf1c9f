"""Admin for the reception frequency rules (editable: they are law as data) and read-only,
scoped views of the calendar, the sessions and the visits, which change only through the
services. The visit admin shows no name, address, ID number or phone: a protected visitor's
identity must not leak through a list, a search or a detail page."""

from __future__ import annotations

from django.contrib import admin

from complaints.admin import ReadOnlyScopedAdmin

from .models import FrequencyRule, ReceptionSession, Schedule, Visit


@admin.register(FrequencyRule)
class FrequencyRuleAdmin(admin.ModelAdmin):
    list_display = [
        "agency_kind",
        "unit_level",
        "days",
        "period",
        "delegation_allowed",
        "effective_from",
        "source",
        "confidence",
    ]
    list_filter = ["agency_kind", "unit_level", "period", "delegation_allowed", "confidence"]
    search_fields = ["source"]
    date_hierarchy = "effective_from"


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "date",
        "start_time",
        "end_time",
        "agency",
        "host",
        "kind",
        "is_published",
        "is_cancelled",
    ]
    list_filter = ["kind", "is_published", "is_cancelled"]
    search_fields = ["agency__name", "host", "place"]
    list_select_related = ["agency"]
    date_hierarchy = "date"


@admin.register(ReceptionSession)
class ReceptionSessionAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "date",
        "agency",
        "kind",
        "presider_type",
        "presider_name",
        "delegation_warning",
    ]
    list_filter = ["kind", "presider_type"]
    search_fields = ["agency__name", "presider_name"]
    list_select_related = ["agency"]
    date_hierarchy = "date"


@admin.register(Visit)
class VisitAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "__str__",
        "session",
        "kind",
        "sector",
        "outcome",
        "group_size",
        "is_group",
        "identity_protected",
    ]
    list_filter = ["kind", "outcome", "is_group", "identity_protected", "sector"]
    list_select_related = ["session", "session__agency", "sector"]
    exclude = ["full_name", "id_number", "address", "phone", "representatives"]
    show_full_result_count = False
