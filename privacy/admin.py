from __future__ import annotations

from django.contrib import admin

from .models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """The archivist corrects the periods here; a new period is a new row with its start date,
    so the record of what applied before stays."""

    list_display = ["record_kind", "years", "valid_from", "counted_from", "source", "confidence"]
    list_filter = ["record_kind", "confidence"]
    ordering = ["record_kind", "-valid_from"]
