from __future__ import annotations

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("bao-ve-du-lieu-ca-nhan/", views.notice, name="notice"),
    path("tra-cuu-don/ngung-tin-nhan/", views.consent_withdraw, name="consent_withdraw"),
    path("can-bo/du-lieu-ca-nhan/", views.person_data, name="person_data"),
]
