"""Public pages (/doi-thoai/, /loi-hua/) and the staff pages under /can-bo/."""

from __future__ import annotations

from django.urls import path

from .views import commitments, council, dialogues, mediation

app_name = "dialogues"

urlpatterns = [
    path("doi-thoai/", dialogues.public_dialogues, name="public_dialogues"),
    path("loi-hua/", commitments.public_promises, name="promises"),
    # the commitment tracker
    path("can-bo/cam-ket/", commitments.commitments, name="commitments"),
    path("can-bo/cam-ket/moi/", commitments.commitment_new, name="commitment_new"),
    path("can-bo/cam-ket/<int:pk>/", commitments.commitment, name="commitment"),
    path(
        "can-bo/cam-ket/<int:pk>/<slug:action>/",
        commitments.commitment_action,
        name="commitment_action",
    ),
    # dialogues
    path("can-bo/doi-thoai/", dialogues.dialogues, name="dialogues"),
    path("can-bo/doi-thoai/moi/", dialogues.dialogue_new, name="dialogue_new"),
    path("can-bo/doi-thoai/<int:pk>/", dialogues.dialogue, name="dialogue"),
    path(
        "can-bo/doi-thoai/<int:pk>/<slug:action>/",
        dialogues.dialogue_action,
        name="dialogue_action",
    ),
    # grassroots mediation
    path("can-bo/hoa-giai/", mediation.mediation, name="mediation"),
    path("can-bo/hoa-giai/ket-qua/", mediation.grassroots, name="grassroots"),
    path("can-bo/hoa-giai/to/moi/", mediation.team_new, name="team_new"),
    path("can-bo/hoa-giai/to/<int:pk>/", mediation.team, name="team"),
    path("can-bo/hoa-giai/to/<int:pk>/<slug:action>/", mediation.team_action, name="team_action"),
    path("can-bo/hoa-giai/vu-viec/moi/", mediation.mediation_new, name="mediation_new"),
    path("can-bo/hoa-giai/vu-viec/<int:pk>/", mediation.mediation_case, name="mediation_case"),
    path(
        "can-bo/hoa-giai/vu-viec/<int:pk>/<slug:action>/",
        mediation.mediation_action,
        name="mediation_action",
    ),
    # the People's Council
    path("can-bo/hdnd/", council.council, name="council"),
    path("can-bo/hdnd/ky-hop/moi/", council.session_new, name="session_new"),
    path("can-bo/hdnd/ky-hop/<int:pk>/", council.session, name="session"),
    path(
        "can-bo/hdnd/ky-hop/<int:pk>/<slug:action>/", council.session_action, name="session_action"
    ),
    path("can-bo/hdnd/chat-van/<int:pk>/tra-loi/", council.question_answer, name="question_answer"),
    path("can-bo/hdnd/cu-tri/", council.voters, name="voters"),
    path("can-bo/hdnd/cu-tri/moi/", council.meeting_new, name="meeting_new"),
    path("can-bo/hdnd/cu-tri/<int:pk>/", council.meeting, name="meeting"),
    path(
        "can-bo/hdnd/cu-tri/<int:pk>/<slug:action>/", council.meeting_action, name="meeting_action"
    ),
    path("can-bo/hdnd/kien-nghi/<int:pk>/", council.recommendation, name="recommendation"),
]
