"""Views of the petitions API. Thin: a serializer parses, a service writes, a selector reads.

The citizen's two endpoints need no account and are throttled per address; the staff
endpoints take a token (or the web session) and see only what ``gov.scoping`` allows.
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated, Throttled
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from complaints import downloads, guessing, selectors, services, volume
from complaints.actions import ItemAction
from complaints.confidentiality import identity_for
from complaints.models import PetitionItem, Status
from gov.audit import audit_case_view, audit_search
from gov.errors import refusal_api_errors, refusal_detail
from gov.input import StorableJSONParser
from gov.models import User
from gov.throttling import AnonCountThrottle

from . import serializers as s

NO_STORE = {"Cache-Control": "no-store"}
# Writes take JSON only: nested items and submitters have no form encoding. Text that cannot be
# stored (a lone surrogate, a NUL) is refused whole (gov.input).
JSON_ONLY = [StorableJSONParser]
BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='Invalid input: messages per field, or {"detail": ...} when refused.',
)
NOT_FOUND = OpenApiResponse(s.ErrorSerializer, description="Not found, or out of your scope.")


# --- public ----------------------------------------------------------------------------------


# Generous rates (settings): many citizens reach the portal through one mobile carrier's shared
# address. The submission budget is the form's too (complaints.volume).
class PetitionSubmitThrottle(AnonCountThrottle):
    scope = volume.SUBMIT_SCOPE
    rate_setting = "PORTAL_SUBMIT_RATE"


class PetitionStatusThrottle(AnonCountThrottle):
    scope = "petition-status"
    rate_setting = "PORTAL_STATUS_RATE"


@extend_schema(
    tags=["public"],
    responses={
        201: s.SubmissionResultSerializer,
        400: BAD_REQUEST,
        429: OpenApiResponse(s.ErrorSerializer, description="Too many petitions from here."),
    },
)
class PetitionSubmitView(generics.GenericAPIView):
    """Send a petition online, without an account. The answer holds the tracking code and the
    secret; the secret is shown only here."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    parser_classes = JSON_ONLY
    throttle_classes = [PetitionSubmitThrottle]
    serializer_class = s.PetitionSubmitSerializer

    def throttled(self, request: Request, wait: float | None) -> None:
        raise Throttled(wait=wait, detail=volume.api_retry_message(wait or 1))

    def post(self, request: Request) -> Response:
        if volume.challenge_required(request):
            # The form asks a question at this point; the API has no page to ask it on.
            raise Throttled(
                wait=volume.seconds_to_tomorrow(),
                detail=_(
                    "Many petitions were sent from your network address today. Please send this"
                    " one through the form at %(url)s, which asks a short question first."
                )
                % {"url": request.build_absolute_uri(reverse("complaints:submit"))},
            )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = services.petition_submit(data=s.submission(serializer.validated_data), by=None)
        except DjangoValidationError as exc:
            raise ApiValidationError(refusal_api_errors(exc)) from exc
        volume.count_stored(request)
        # Three strings, as SubmissionResultSerializer documents them (the schema's answer).
        body = {
            "code": result.petition.code,
            "secret": result.secret,
            "status_url": request.build_absolute_uri(reverse("complaints-api:petition-status")),
        }
        return Response(body, status=status.HTTP_201_CREATED, headers=NO_STORE)


@extend_schema(
    tags=["public"],
    responses={
        200: s.PublicStatusSerializer,
        400: BAD_REQUEST,
        404: OpenApiResponse(s.ErrorSerializer, description="No petition matches."),
        429: OpenApiResponse(s.ErrorSerializer, description="Too many attempts."),
    },
)
class PetitionStatusView(generics.GenericAPIView):
    """Follow a petition with its tracking code and secret. A wrong secret and an unknown code
    get the same answer, and wrong guesses are limited per address."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    parser_classes = JSON_ONLY
    throttle_classes = [PetitionStatusThrottle]
    serializer_class = s.StatusQuerySerializer

    def post(self, request: Request) -> Response:
        query = self.get_serializer(data=request.data)
        query.is_valid(raise_exception=True)
        found = guessing.look_up(
            request, query.validated_data["code"], query.validated_data["secret"]
        )
        petition = found.petition
        if petition is None:
            if found.limited:
                raise Throttled(detail=found.refusal)
            return Response(
                {"detail": found.refusal}, status=status.HTTP_404_NOT_FOUND, headers=NO_STORE
            )
        body = s.PublicStatusSerializer(
            {
                "code": petition.code,
                "received_on": petition.received_on,
                "items": selectors.public_items(petition),
                "timeline": [e for e in selectors.public_timeline(petition) if e.public_text],
            }
        ).data
        return Response(body, headers=NO_STORE)


# --- staff: reading --------------------------------------------------------------------------


class ItemFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=PetitionItem.Kind.choices)
    status = filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Status.choices)
    overdue = filters.BooleanFilter(label=gettext_lazy("Overdue"), method="filter_overdue")
    q = filters.CharFilter(
        label=gettext_lazy("Search (with or without diacritics)"), method="filter_q"
    )

    class Meta:
        model = PetitionItem
        fields: list[str] = []

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        if value:
            return selectors.overdue(qs)
        return qs.exclude(selectors.open_items_q(), due_on__lt=timezone.localdate())

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.text_search(qs, value) if value.strip() else qs


@extend_schema(
    tags=["staff"],
    responses={
        200: s.ItemListSerializer(many=True),
        404: OpenApiResponse(s.ErrorSerializer, description="No such page."),
    },
)
class ItemListView(generics.ListAPIView):
    """The items you may see, newest first, in a fixed number of queries whatever their count.
    The submitter is shown as lists may show it: a mask when the identity is protected."""

    serializer_class = s.ItemListSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ItemFilter

    def get_queryset(self) -> QuerySet[PetitionItem]:
        return selectors.items_for(self.request.user)

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        response = super().list(request, *args, **kwargs)
        audit_search(request, request.query_params.get("q", ""), where="api")
        return response


def _detail(request: Request, pk: int) -> dict[str, Any]:
    """The detail of an item in the user's scope; the submitters go through the confidentiality
    accessor, which logs the reveal of a protected identity."""
    item = selectors.item_get(request.user, pk)
    audit_case_view(request, item)
    submitters = identity_for(request.user, item.petition, purpose="api")
    context = {
        "request": request,
        "submitters": submitters,
        "identity_visible": not any(v.masked for v in submitters),
        "timeline": selectors.staff_timeline(request.user, item),
        "attachments": list(selectors.attachments_for(request.user, item)),
    }
    return s.ItemDetailSerializer(item, context=context).data


@extend_schema(tags=["staff"], responses={200: s.ItemDetailSerializer, 404: NOT_FOUND})
class ItemDetailView(generics.GenericAPIView):
    """One item, its petition, its submitters as you may see them, and the staff timeline."""

    serializer_class = s.ItemDetailSerializer

    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(request, pk))


@extend_schema(
    tags=["staff"],
    responses={
        (200, "application/octet-stream"): OpenApiResponse(
            OpenApiTypes.BINARY,
            description="The file, as a download (Content-Disposition: attachment), of the "
            "content type derived from its bytes (PDF, JPEG, PNG or Word). Each download is "
            "written to the audit log.",
        ),
        404: NOT_FOUND,
    },
)
class ItemAttachmentView(APIView):
    """A file attached to the item's petition. A protected identity's files only for those
    who may see the identity; anything else you may not open is a 404."""

    def get(self, request: Request, pk: int, attachment_pk: int) -> HttpResponseBase:
        item, attachment = selectors.attachment_get(request.user, pk, attachment_pk)
        return downloads.attachment_response(request, item, attachment)


# --- staff: actions --------------------------------------------------------------------------


@extend_schema(
    tags=["staff"],
    responses={200: s.ItemDetailSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
)
class ItemActionView(generics.GenericAPIView):
    """Base of the actions: find the item in scope, validate the input with the action's
    serializer, call its service, and answer with the item's detail. A refusal by the service
    is a 400 with its message. One subclass per entry of ``complaints.actions.REGISTRY``."""

    spec: ClassVar[ItemAction]
    serializer_class: type[BaseSerializer] = s.NoInputSerializer
    parser_classes = JSON_ONLY

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "item": getattr(self, "item", None)}

    def post(self, request: Request, pk: int) -> Response:
        user = request.user
        if not isinstance(user, User):  # IsAuthenticated lets only accounts in
            raise NotAuthenticated
        self.item = selectors.item_get(user, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            self.spec.perform(self.item, user, serializer.validated_data)
        except DjangoValidationError as exc:  # gov.errors.Refused, or an input's error
            return Response({"detail": refusal_detail(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(_detail(request, pk))


def _statuses(spec: ItemAction) -> str:
    return ", ".join(value for value in Status.values if value in spec.states)


@functools.cache
def action_view(spec: ItemAction) -> type[ItemActionView]:
    """The view of one registry entry: its serializer, and its text and statuses as the
    schema's description (/api/v1/items/<id>/actions/<api_slug>/)."""

    class View(ItemActionView):
        serializer_class = spec.serializer

    name = "".join(part.capitalize() for part in (spec.api_slug or spec.slug).split("-"))
    View.spec = spec
    View.__name__ = View.__qualname__ = f"Item{name}View"
    View.__doc__ = (
        f"{spec.doc}\n\nApplies to an item whose status is {_statuses(spec)}; otherwise a 400."
    )
    return View
