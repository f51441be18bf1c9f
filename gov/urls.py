from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from . import second_factor_views, views
from .forms import GuardedAuthenticationForm

app_name = "gov"

urlpatterns = [
    path("don-vi-hanh-chinh/", views.unit_directory, name="unit_directory"),
    path("thoi-han-giai-quyet/", views.time_limits, name="time_limits"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            template_name="gov/login.html",
            redirect_authenticated_user=True,
            authentication_form=GuardedAuthenticationForm,
        ),
        name="login",
    ),
    path("dang-nhap/xac-minh/", second_factor_views.otp_verify, name="otp_verify"),
    path("dang-nhap/thiet-lap-xac-thuc/", second_factor_views.otp_enrol, name="otp_enrol"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("can-bo/bao-mat/", second_factor_views.account_security, name="account_security"),
    path("can-bo/bao-mat/ma-du-phong/", second_factor_views.recovery_codes, name="recovery_codes"),
    path(
        "can-bo/bao-mat/ma-du-phong/tao-moi/",
        second_factor_views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path(
        "can-bo/tai-khoan/<int:pk>/dat-lai-xac-thuc/",
        second_factor_views.second_factor_reset,
        name="second_factor_reset",
    ),
    path("can-bo/", views.staff_home, name="staff_home"),
    path("can-bo/thong-bao/da-doc/", views.notifications_mark_read, name="notifications_read"),
    path("can-bo/nhat-ky/", views.audit_log, name="audit_log"),
    path("can-bo/don-vi/<slug:code>/", views.staff_unit, name="staff_unit"),
    path("can-bo/co-quan/<slug:code>/", views.staff_agency, name="staff_agency"),
]
