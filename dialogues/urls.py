"""Public pages (/doi-thoai/, /loi-hua/) and the staff pages under /can-bo/."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "dialogues"

urlpatterns = [
    path("doi-thoai/", views.public_dialogues, name="public_dialogues"),
    path("loi-hua/", views.public_promises, name="promises"),
    # the commitment tracker
    path("can-bo/cam-ket/", views.commitments, name="commitments"),
    path("can-bo/cam-ket/moi/", views.commitment_new, name="commitment_new"),
    path("can-bo/cam-ket/<int:pk>/", views.commitment, name="commitment"),
    path(
        "can-bo/cam-ket/<int:pk>/<slug:action>/",
        views.commitment_action,
        name="commitment_action",
    ),
    # dialogues
    path("can-bo/doi-thoai/", views.dialogues, name="dialogues"),
    path("can-bo/doi-thoai/moi/", views.dialogue_new, name="dialogue_new"),
    path("can-bo/doi-thoai/<int:pk>/", views.dialogue, name="dialogue"),
    path("can-bo/doi-thoai/<int:pk>/<slug:action>/", views.dialogue_action, name="dialogue_action"),
    # grassroots mediation
    path("can-bo/hoa-giai/", views.mediation, name="mediation"),
    path("can-bo/hoa-giai/ket-qua/", views.grassroots, name="grassroots"),
    path("can-bo/hoa-giai/to/moi/", views.team_new, name="team_new"),
    path("can-bo/hoa-giai/to/<int:pk>/", views.team, name="team"),
    path("can-bo/hoa-giai/to/<int:pk>/<slug:action>/", views.team_action, name="team_action"),
    path("can-bo/hoa-giai/vu-viec/moi/", views.mediation_new, name="mediation_new"),
    path("can-bo/hoa-giai/vu-viec/<int:pk>/", views.mediation_case, name="mediation_case"),
    path(
        "can-bo/hoa-giai/vu-viec/<int:pk>/<slug:action>/",
        views.mediation_action,
        name="mediation_action",
    ),
    # the People's Council
    path("can-bo/hdnd/", views.council, name="council"),
    path("can-bo/hdnd/ky-hop/moi/", views.session_new, name="session_new"),
    path("can-bo/hdnd/ky-hop/<int:pk>/", views.session, name="session"),
    path("can-bo/hdnd/ky-hop/<int:pk>/<slug:action>/", views.session_action, name="session_action"),
    path("can-bo/hdnd/chat-van/<int:pk>/tra-loi/", views.question_answer, name="question_answer"),
    path("can-bo/hdnd/cu-tri/", views.voters, name="voters"),
    path("can-bo/hdnd/cu-tri/moi/", views.meeting_new, name="meeting_new"),
    path("can-bo/hdnd/cu-tri/<int:pk>/", views.meeting, name="meeting"),
    path("can-bo/hdnd/cu-tri/<int:pk>/<slug:action>/", views.meeting_action, name="meeting_action"),
    path("can-bo/hdnd/kien-nghi/<int:pk>/", views.recommendation, name="recommendation"),
]
