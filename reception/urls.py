from __future__ import annotations

from django.urls import path

from .views import calendar, compliance, log, sessions

app_name = "reception"

urlpatterns = [
    path("lich-tiep-cong-dan/", calendar.public_calendar, name="calendar"),
    path("can-bo/tiep-dan/", calendar.sessions, name="sessions"),
    path("can-bo/tiep-dan/lich/moi/", calendar.schedule_add, name="schedule_add"),
    path(
        "can-bo/tiep-dan/lich/dinh-ky/",
        calendar.schedule_add_recurring,
        name="schedule_add_recurring",
    ),
    path("can-bo/tiep-dan/lich/<int:pk>/huy/", calendar.schedule_cancel, name="schedule_cancel"),
    path("can-bo/tiep-dan/buoi/moi/", sessions.session_log, name="session_log"),
    path("can-bo/tiep-dan/buoi/<int:pk>/", sessions.session_detail, name="session"),
    path("can-bo/tiep-dan/so/", log.reception_log, name="log"),
    path("can-bo/tiep-dan/tuan-thu/", compliance.compliance, name="compliance"),
]
