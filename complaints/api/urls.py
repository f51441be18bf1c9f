"""URLs of the petitions API, mounted at /api/v1/. The actions' come from the one registry,
``complaints.actions.REGISTRY``: one path per entry that has an API slug."""

from __future__ import annotations

from django.urls import URLPattern, path

from complaints import actions

from . import views

app_name = "complaints-api"


def action_patterns() -> list[URLPattern]:
    return [
        path(
            f"items/<int:pk>/actions/{slug}/",
            views.action_view(spec).as_view(),
            name=f"item-{slug}",
        )
        for slug, spec in actions.api_actions().items()
    ]


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
    *action_patterns(),
]
