"""The Django admin for reference data and accounts, in Vietnamese, with search and filters.

Lists and lookups go through ``gov.scoping`` like every other page, so an administrator of a
commune manages only that commune's units, agencies and accounts.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import second_factor
from .models import AdministrativeUnit, Agency, CalendarDay, Sector, TimeLimitRule, User
from .scoping import scoped


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(request.user, super().get_queryset(request))


class CurrentFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "current"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Current")), ("no", _("Former"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_to__isnull=False)
        return queryset


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ScopedAdmin):
    list_display = [
        "name",
        "unit_type",
        "parent",
        "former_district",
        "valid_from",
        "valid_to",
        "successor",
        "is_remote",
        "confidence",
    ]
    list_filter = [
        CurrentFilter,
        "level",
        "unit_type",
        "is_remote",
        "is_ethnic_minority_area",
        "former_district",
        "confidence",
    ]
    search_fields = ["name", "name_folded", "code", "gso_code"]
    autocomplete_fields = ["parent", "successor", "former_district"]
    readonly_fields = ["level", "path"]
    list_select_related = ["parent", "successor", "former_district"]
    list_per_page = 50

    def get_readonly_fields(
        self, request: HttpRequest, obj: AdministrativeUnit | None = None
    ) -> list[str]:
        # The code is part of every descendant's tree path: it cannot change once saved.
        return [*self.readonly_fields, "code"] if obj else self.readonly_fields


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "name_en", "sort_order"]
    search_fields = ["name", "name_en", "code"]
    list_editable = ["sort_order"]


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    list_display = ["name", "kind", "unit", "parent", "valid_from", "valid_to", "confidence"]
    list_filter = [CurrentFilter, "kind", "unit__level", "sectors"]
    search_fields = ["name", "short_name", "name_en", "code", "unit__name"]
    autocomplete_fields = ["unit", "parent", "successor"]
    filter_horizontal = ["sectors"]
    list_select_related = ["unit", "parent"]
    list_per_page = 50


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "role",
        "agency",
        "is_active",
        "is_staff",
    ]
    list_filter = ["role", "is_active", "is_staff", "agency__kind"]
    search_fields = ["username", "first_name", "last_name", "email", "agency__name"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Agency and role"), {"fields": ["agency", "role", "position", "phone"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Agency and role"), {"fields": ["agency", "role", "position"]}),
    ]

    actions = ["second_factor_reset"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(request.user, super().get_queryset(request))

    @admin.action(description=_("Reset the second factor of the selected accounts"))
    def second_factor_reset(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = refused = 0
        for user in queryset.select_related("agency__unit"):
            if second_factor.can_reset(by=request.user, user=user):
                second_factor.second_factor_reset(user=user, by=request.user, request=request)
                done += 1
            else:
                refused += 1
        if done:
            self.message_user(
                request,
                _(
                    "Second factor reset for %(n)s accounts: they set it up again at their next login."
                )
                % {"n": done},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                _("%(n)s accounts were left as they were: yours, or one you may not reset.")
                % {"n": refused},
                messages.WARNING,
            )


# Authenticators and recovery codes are managed by their owners (enrolment) and reset from the
# accounts (above), never read or edited here: django-otp's own pages would show their secrets.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "reason", "source", "created_by"]
    list_filter = ["kind"]
    search_fields = ["reason", "source"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at"]

    def save_model(
        self, request: HttpRequest, obj: CalendarDay, form: object, change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "stage",
        "variant",
        "days",
        "day_type",
        "max_times",
        "effective_from",
        "source",
        "confidence",
    ]
    list_filter = ["kind", "stage", "variant", "day_type", "confidence"]
    search_fields = ["source", "note"]
    date_hierarchy = "effective_from"
