"""The admin site of the portal: Django's, admitting a staff account only once its second factor
is verified in this session (``gov.second_factor``). ``gov.middleware.SecondFactorMiddleware``
already sends an unverified session to the verification page; this holds even without it."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from gov import second_factor


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor.satisfied(request)
