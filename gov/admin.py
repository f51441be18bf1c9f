"""The Django admin for reference data and accounts, in Vietnamese, with search and filters.

Lists and lookups go through ``gov.scoping`` like every other page, so an administrator of a
commune manages only that commune's units, agencies and accounts.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import second_factor, services
from .models import (
    AdministrativeUnit,
    Agency,
    CalendarDay,
    JobRun,
    Sector,
    TimeLimitRule,
    User,
)
from .scoping import scoped

# What only a superuser sees and changes on an account: a non-superuser administrator who could
# tick these would make itself a superuser or give itself any permission.
SUPERUSER_ONLY_FIELDS = {"is_superuser", "is_staff", "groups", "user_permissions"}
# What nobody changes on their own account unless a superuser: moving oneself to another agency
# or role would open what that agency or role sees (a denouncer's name, say).
OWN_LOCKED_FIELDS = ["role", "agency"]


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


class NamedStaffForm(forms.ModelForm):
    """An account with a role names a person: family name, the rest of the name and a title are
    required, since they are shown wherever the person is named (``User.staff_label``). The name
    is written in the Vietnamese order: ``first_name`` holds the family name ("Lò"),
    ``last_name`` the rest ("Văn Pâng"), and the labels say so.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {"first_name": _("Family name"), "last_name": _("Middle and given names")}
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        role = data.get("role", self.instance.role if self.instance.pk else "")
        if role:
            for name in ("first_name", "last_name", "position"):
                if name in self.fields and not (data.get(name) or "").strip():
                    self.add_error(
                        name,
                        _(
                            "A staff account needs the person's full name and title: they are "
                            "shown wherever the person is named."
                        ),
                    )
        return data


class NamedStaffChangeForm(NamedStaffForm, UserChangeForm):
    pass


class NamedStaffCreationForm(NamedStaffForm, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts. A superuser manages every account. An administrator who is not one manages the
    accounts of its scope below its own rank (reception officers, handlers, leaders): it never
    sees nor changes superuser status, staff status, groups or permissions, cannot give the
    administrator role, cannot open a superuser's or another administrator's account (nor set
    their password), and cannot change its own role or agency. Every change of a role or an
    agency and every password set by someone else is written to the audit log and shown to the
    leaders of the agencies concerned (``gov.services.account_changes_record``)."""

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
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Agency and role"), {"fields": ["agency", "role", "position"]}),
    ]
    form = NamedStaffChangeForm
    add_form = NamedStaffCreationForm

    actions = ["second_factor_reset"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = scoped(request.user, super().get_queryset(request))
        if request.user.is_superuser:
            return qs
        # Superusers and the other administrators are not a non-superuser's to manage.
        return qs.exclude(is_superuser=True).exclude(
            models.Q(role=User.Role.ADMINISTRATOR) & ~models.Q(pk=request.user.pk)
        )

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {**opts, "fields": [f for f in opts["fields"] if f not in SUPERUSER_ONLY_FIELDS]},
            )
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            readonly += OWN_LOCKED_FIELDS
        return readonly

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.Field:
        if db_field.name == "agency":
            # Only the agencies of the administrator's scope, whatever id is posted.
            kwargs["queryset"] = scoped(request.user, Agency.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field:
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [
                (value, label)
                for value, label in db_field.get_choices(include_blank=True)
                if value != User.Role.ADMINISTRATOR
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and not request.user.is_superuser:
            if obj.is_superuser:
                return False
            if obj.role == User.Role.ADMINISTRATOR and obj.pk != request.user.pk:
                return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: User, form: forms.Form, change: bool) -> None:
        before = (
            User.objects.filter(pk=obj.pk).values("role", "agency_id").first() if change else None
        )
        super().save_model(request, obj, form, change)
        if before is not None:
            services.account_changes_record(
                account=obj,
                before_role=before["role"],
                before_agency_id=before["agency_id"],
                by=request.user,
                request=request,
            )
        else:
            services.account_created_record(account=obj, by=request.user, request=request)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
        # Saved: Django sends the administrator on to the account's page (a refused form is
        # shown again, or sent back to the password page itself).
        if (
            request.method == "POST"
            and response.status_code == 302
            and response.url != request.get_full_path()
        ):
            account = self.get_object(request, id)
            if account is not None and account.pk != request.user.pk:
                services.account_password_set_record(
                    account=account, by=request.user, request=request
                )
        return response

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


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page that only reads: the portal's own code writes its rows."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    """Read only: each periodic job writes its own row (gov.jobs); /readyz reads the same."""

    list_display = [
        "name",
        "last_succeeded_at",
        "last_finished_at",
        "last_duration_seconds",
        "last_outcome",
    ]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "reason", "source", "created_by"]
    list_filter = ["kind"]
    search_fields = ["reason", "source"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at"]

    def save_model(
        self, request: HttpRequest, obj: CalendarDay, form: forms.ModelForm, change: bool
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
