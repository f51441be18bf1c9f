"""Read-only views of accountability records for administrators, narrowed to their scope.
Dialogues, mediation, council records and commitments change only through the services (the
staff pages), never in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from complaints.admin import ReadOnlyScopedAdmin

from .models import (
    Commitment,
    CommitmentEvent,
    CouncilSession,
    Dialogue,
    FollowUpEvent,
    MediationCase,
    MediationTeam,
    Mediator,
    Question,
    VoterRecommendation,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MediatorInline(ReadOnlyInline):
    model = Mediator
    fields = ["full_name", "gender", "is_ethnic_minority", "ethnicity", "is_leader", "is_active"]
    readonly_fields = fields


class CommitmentEventInline(ReadOnlyInline):
    model = CommitmentEvent
    fields = ["at", "kind", "actor", "note"]
    readonly_fields = fields


class FollowUpEventInline(ReadOnlyInline):
    model = FollowUpEvent
    fields = ["at", "kind", "actor", "note"]
    readonly_fields = fields


@admin.register(Dialogue)
class DialogueAdmin(ReadOnlyScopedAdmin):
    list_display = ["topic", "date", "agency", "unit", "state", "announced_on", "results_due_on"]
    list_filter = ["state"]
    search_fields = ["topic", "leader_name", "place"]
    list_select_related = ["agency", "unit"]
    date_hierarchy = "date"
    inlines = [FollowUpEventInline]


@admin.register(MediationTeam)
class MediationTeamAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "unit", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    inlines = [MediatorInline]


@admin.register(MediationCase)
class MediationCaseAdmin(ReadOnlyScopedAdmin):
    list_display = ["__str__", "team", "assigned_on", "start_due_on", "started_on", "outcome"]
    list_filter = ["outcome", "escalated"]
    search_fields = ["parties", "dispute"]
    list_select_related = ["team"]
    inlines = [FollowUpEventInline]


@admin.register(CouncilSession)
class CouncilSessionAdmin(ReadOnlyScopedAdmin):
    list_display = ["__str__", "council", "start_date", "end_date"]
    search_fields = ["title", "term"]
    list_select_related = ["council"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyScopedAdmin):
    list_display = ["__str__", "session", "asked_agency", "asked_on", "state", "answer_due_on"]
    list_filter = ["state"]
    search_fields = ["deputy", "content", "asked_official"]
    list_select_related = ["session__council", "asked_agency"]
    inlines = [FollowUpEventInline]


@admin.register(VoterRecommendation)
class VoterRecommendationAdmin(ReadOnlyScopedAdmin):
    list_display = ["__str__", "assigned_agency", "sector", "reply_due_on", "replied_on"]
    list_filter = ["sector"]
    search_fields = ["content", "reply"]
    list_select_related = ["assigned_agency", "sector"]
    inlines = [FollowUpEventInline]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyScopedAdmin):
    list_display = ["__str__", "source", "owner_agency", "made_on", "deadline", "state"]
    list_filter = ["state", "source", "is_public"]
    search_fields = ["content", "owner_name"]
    list_select_related = ["owner_agency"]
    inlines = [CommitmentEventInline]
