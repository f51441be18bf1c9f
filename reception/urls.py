from __future__ import annotations

from django.urls import path

from . import views

app_name = "reception"

urlpatterns = [
    path("lich-tiep-cong-dan/", views.public_calendar, name="calendar"),
    path("can-bo/tiep-dan/", views.sessions, name="sessions"),
    path("can-bo/tiep-dan/lich/moi/", views.schedule_add, name="schedule_add"),
    path(
        "can-bo/tiep-dan/lich/dinh-ky/",
        views.schedule_add_recurring,
        name="schedule_add_recurring",
    ),
    path("can-bo/tiep-dan/lich/<int:pk>/huy/", views.schedule_cancel, name="schedule_cancel"),
    path("can-bo/tiep-dan/buoi/moi/", views.session_log, name="session_log"),
    path("can-bo/tiep-dan/buoi/<int:pk>/", views.session_detail, name="session"),
    path("can-bo/tiep-dan/so/", views.reception_log, name="log"),
    path("can-bo/tiep-dan/tuan-thu/", views.compliance, name="compliance"),
]
