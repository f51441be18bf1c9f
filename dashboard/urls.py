from __future__ import annotations

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("can-bo/tong-quan/", views.overview, name="overview"),
]
