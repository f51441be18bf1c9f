from __future__ import annotations

from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("gui-don/", views.PetitionWizard.as_view(), name="submit"),
    path("gui-don/da-gui/", views.petition_sent, name="sent"),
    path("gui-don/xac-nhan-lien-he/<str:token>/", views.contact_confirm, name="contact_confirm"),
    path("tra-cuu-don/", views.petition_status, name="status"),
    path(
        "tra-cuu-don/khieu-nai-lan-hai/<int:pk>/", views.second_complaint, name="second_complaint"
    ),
    path("can-bo/don/", views.inbox, name="inbox"),
    path("can-bo/don/tiep-nhan/", views.intake, name="intake"),
    path("can-bo/don/<int:pk>/", views.case, name="case"),
    path(
        "can-bo/don/<int:pk>/tep/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("can-bo/don/<int:pk>/<slug:action>/", views.case_action, name="case_action"),
    path("can-bo/van-ban/<int:pk>/", views.letter, name="letter"),
]
