"""Top-level URLs. Public pages need no account; staff pages live under /can-bo/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from gov import health
from gov import views as gov_views
from gov.forms import GuardedAdminAuthenticationForm

admin.site.site_header = _("Lai Châu petitions portal: administration")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Reference data and accounts")
# A tampered wizard, a host not allowed: the portal's 400 page, in Vietnamese (gov.input).
handler400 = "gov.input.bad_request"
admin.site.login_form = GuardedAdminAuthenticationForm  # wrong passwords limited (gov.login_guard)

# The API first: the public submission, the busiest path, is matched without trying every
# page's pattern before it.
urlpatterns = [
    path("api/v1/", include("complaints.api.urls")),
    # What an operator, a load balancer and Prometheus ask (gov.health); no personal data.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", gov_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("gov.urls")),
    path("", include("complaints.urls")),
    path("", include("dialogues.urls")),
    path("", include("reception.urls")),
    path("", include("dashboard.urls")),
    path("", include("privacy.urls")),
    path("quan-tri/", admin.site.urls),
]
