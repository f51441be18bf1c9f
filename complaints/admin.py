"""Admin for the routing table (editable) and read-only views of petitions for administrators.
Petitions change only through the services (the case page, the API), never in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from gov.admin import ReadOnlyAdmin
from gov.scoping import scoped

from .models import Hotspot, PetitionItem, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = [
        "unit_level",
        "sector",
        "kind",
        "target",
        "agency_kind",
        "agency",
        "priority",
        "note",
    ]
    list_filter = ["unit_level", "kind", "target", "sector"]
    search_fields = ["note", "source", "agency__name"]
    autocomplete_fields = ["agency"]
    list_select_related = ["sector", "agency"]


class ReadOnlyScopedAdmin(ReadOnlyAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(request.user, super().get_queryset(request))


@admin.register(PetitionItem)
class PetitionItemAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "__str__",
        "kind",
        "sector",
        "status",
        "agency",
        "due_on",
        "is_skip_level",
        "is_mass",
    ]
    list_filter = ["kind", "status", "is_skip_level", "is_mass", "sector"]
    search_fields = ["petition__code"]
    list_select_related = ["petition", "sector", "agency"]
    show_full_result_count = False
    exclude = ["search_text"]


@admin.register(Hotspot)
class HotspotAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "unit",
        "sector",
        "size",
        "unverified",
        "first_received_on",
        "last_received_on",
        "state",
    ]
    list_filter = ["state", "sector"]
    list_select_related = ["unit", "sector"]
