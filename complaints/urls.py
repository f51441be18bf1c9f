from __future__ import annotations

from django.urls import path

from .views import cases, staff, status, wizard

app_name = "complaints"

urlpatterns = [
    path("gui-don/", wizard.PetitionWizard.as_view(), name="submit"),
    path("gui-don/da-gui/", wizard.petition_sent, name="sent"),
    path("gui-don/xac-nhan-lien-he/<str:token>/", status.contact_confirm, name="contact_confirm"),
    path("tra-cuu-don/", status.petition_status, name="status"),
    path(
        "tra-cuu-don/khieu-nai-lan-hai/<int:pk>/", status.second_complaint, name="second_complaint"
    ),
    path("can-bo/don/", staff.inbox, name="inbox"),
    path("can-bo/don/tiep-nhan/", staff.intake, name="intake"),
    path("can-bo/don/<int:pk>/", cases.case, name="case"),
    path(
        "can-bo/don/<int:pk>/tep/<int:attachment_pk>/",
        cases.attachment_download,
        name="attachment",
    ),
    path("can-bo/don/<int:pk>/<slug:action>/", cases.case_action, name="case_action"),
    path("can-bo/van-ban/<int:pk>/", staff.letter, name="letter"),
]
