"""URLs of the petitions API, mounted at /api/v1/."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "complaints-api"

urlpatterns = [
    path("petitions/", views.PetitionSubmitView.as_view(), name="petition-submit"),
    path("petitions/status/", views.PetitionStatusView.as_view(), name="petition-status"),
    path("items/", views.ItemListView.as_view(), name="item-list"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item-detail"),
    path(
        "items/<int:pk>/attachments/<int:attachment_pk>/",
        views.ItemAttachmentView.as_view(),
        name="item-attachment",
    ),
    *(
        path(f"items/<int:pk>/actions/{slug}/", view.as_view(), name=f"item-{slug}")
        for slug, view in views.ACTIONS.items()
    ),
]
