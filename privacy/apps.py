from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data protection (bảo vệ dữ liệu cá nhân: Law 91/2025/QH15, Decree 356/2025):
    the privacy notice, how long each kind of record keeps a person's identity, the job that
    anonymises what has passed its time, and a person's data exported on their request."""

    name = "privacy"
    verbose_name = _("Personal data protection")
    default_auto_field = "django.db.models.BigAutoField"
