from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class GovConfig(AppConfig):
    """Shared government structure: administrative units, agencies, sectors, staff accounts,
    the working-day calendar and the legal time limits."""

    name = "gov"
    verbose_name = _("Government structure and legal rules")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks
        from django.db.backends.signals import connection_created

        from . import crypto, db, deploy_checks, refusals, signals  # noqa: F401
        from .fast import driver

        checks.register(crypto.check_keys, checks.Tags.security)
        checks.register(deploy_checks.check_site_url, checks.Tags.security, deploy=True)

        driver.cache_statements_with_many_parameters()
        connection_created.connect(db.register_vietnamese_collation)


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin on the portal's own site, which admits only a verified second factor."""

    default = False  # "gov" in INSTALLED_APPS is GovConfig
    default_site = "gov.admin_site.PortalAdminSite"
