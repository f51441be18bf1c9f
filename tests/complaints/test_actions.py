"""The officer's actions on a petition item are declared once, in ``complaints.actions.REGISTRY``
(issue 19, item 2): the case page, its POST, the API's ``actions/<slug>/`` and the API's
schema all read it. Adding an action is one entry and one service: a test action registered
here appears in all four."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from importlib import import_module
from types import ModuleType
from typing import Any

import pytest
from django import forms
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, include, path, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from complaints import actions, events
from complaints.action_forms import ActionForm
from complaints.actions import ItemAction
from complaints.api import urls as api_urls
from complaints.models import ItemEvent, PetitionItem, Status
from complaints.services.common import _locked_for
from gov.authority import Act
from gov.models import User
from tests.complaints.factories import submit_item
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db

ACTION_PATH = re.compile(r"^/api/v1/items/\{id\}/actions/([\w-]+)/$")


def _page_actions(user: User, item: PetitionItem) -> set[str]:
    """The actions the case page offers: the slugs its forms post to."""
    client = Client()
    client.force_login(user)
    page = client.get(reverse("complaints:case", args=[item.pk])).content.decode()
    prefix = re.escape(f"/can-bo/don/{item.pk}/")
    return set(re.findall(rf'action="{prefix}([\w-]+)/"', page))


def _schema_actions() -> dict[str, dict[str, Any]]:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return {m[1]: ops["post"] for p, ops in paths.items() if (m := ACTION_PATH.match(p))}


def _item_in(status: str) -> PetitionItem:
    """An item of Mường Kim in ``status`` (set directly: the test needs the state, not the
    path to it)."""
    item = submit_item()
    PetitionItem.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    return item


# What the case page offered before the registry, by status (the template's own conditions),
# for an account that may process and resolve (a leader); an online sender not yet confirmed.
BEING_PROCESSED = {"classify", "accept", "transfer", "guide", "duplicate", "file"}
OFFERED: dict[str, set[str]] = {
    Status.RECEIVED: {"start-processing", *BEING_PROCESSED, "withdraw", "contact"},
    Status.PROCESSING: {*BEING_PROCESSED, "withdraw", "contact"},
    Status.ACCEPTED: {"start-verification", "extend", "conclude", "withdraw", "contact"},
    Status.VERIFYING: {"extend", "conclude", "withdraw", "contact"},
    Status.CONCLUDED: {"close"},
    Status.CLOSED: set(),
    Status.TRANSFERRED: set(),
    Status.GUIDED: set(),
    Status.FILED: set(),
    Status.WITHDRAWN: set(),
}
RESOLVING = {"start-verification", "extend", "conclude", "close"}


@pytest.mark.parametrize("status", list(OFFERED))
def test_the_case_page_offers_the_actions_the_status_allows(status: str) -> None:
    item = _item_in(status)
    assert _page_actions(staff_of("ubnd-xa-muong-kim", User.Role.LEADER), item) == OFFERED[status]


@pytest.mark.parametrize("status", list(OFFERED))
def test_a_reception_officer_is_not_offered_what_only_resolvers_may_do(status: str) -> None:
    """Before the registry the page offered the resolution's actions to the agency's reception
    officers too, and the service refused them; it now asks each action's own act."""
    item = _item_in(status)
    officer = staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER)
    assert _page_actions(officer, item) == OFFERED[status] - RESOLVING


def test_a_confirmed_sender_is_not_offered_for_confirmation_again() -> None:
    item = submit_item(by=staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER))
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    assert _page_actions(leader, item) == OFFERED[Status.RECEIVED] - {"contact"}


def test_every_entry_is_in_the_api_and_its_schema_and_nothing_else_is() -> None:
    served = {a.api_slug: a for a in actions.REGISTRY.values() if a.api_slug}
    routes = {
        (p.name or "").removeprefix("item-")
        for p in api_urls.urlpatterns
        if isinstance(p, URLPattern) and "/actions/" in str(p.pattern)
    }
    assert routes == set(served)
    schema = _schema_actions()
    assert set(schema) == set(served)
    for slug, operation in schema.items():
        spec = served[slug]
        assert operation["description"].startswith(spec.doc)
        statuses = ", ".join(s for s in Status.values if s in spec.states)
        assert f"status is {statuses};" in operation["description"]
    # The one entry the page has and the API does not (confirming a sender after a call).
    assert {a.slug for a in actions.REGISTRY.values() if not a.api_slug} == {"contact"}


def test_where_an_action_moves_the_item_its_statuses_are_the_lifecycles() -> None:
    """The statuses an entry is offered in are those the lifecycle table moves from."""
    moves = {
        "start-processing": Status.PROCESSING,
        "accept": Status.ACCEPTED,
        "transfer": Status.TRANSFERRED,
        "guide": Status.GUIDED,
        "duplicate": Status.FILED,
        "file": Status.FILED,
        "start-verification": Status.VERIFYING,
        "conclude": Status.CONCLUDED,
        "close": Status.CLOSED,
        "withdraw": Status.WITHDRAWN,
    }
    for slug, to in moves.items():
        assert actions.REGISTRY[slug].states == actions.leading_to(to), slug
    assert actions.leading_to(Status.ACCEPTED) == {Status.RECEIVED, Status.PROCESSING}


# --- one entry and one service: a new action everywhere ---------------------------------------


@transaction.atomic
def item_stamp(*, item: PetitionItem, by: User, note: str) -> PetitionItem:
    """A new action's service: locks the item, asks who may, writes an event."""
    item = _locked_for(item, by, Act.PETITION_PROCESS)
    events.flagged(item, flag="stamped", note=note)
    return item


class StampForm(ActionForm):
    note = forms.CharField(max_length=40)


class StampSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=40)


STAMP = ItemAction(
    slug="stamp",
    title="Stamp it",
    done="stamped",
    service=item_stamp,
    act=Act.PETITION_PROCESS,
    states=frozenset({Status.RECEIVED}),
    form=StampForm,
    serializer=StampSerializer,
    api_slug="stamp-it",
    doc="Stamp the item.",
)


@pytest.fixture
def stamp(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[ItemAction]:
    """STAMP in the registry, and the URLs built again from it as at start-up."""
    monkeypatch.setitem(actions.REGISTRY, STAMP.slug, STAMP)
    root = import_module(settings.ROOT_URLCONF)
    api, *others = root.urlpatterns
    assert str(api.pattern) == "api/v1/"
    fixed = [p for p in api_urls.urlpatterns if "/actions/" not in str(p.pattern)]
    urlconf = ModuleType("stamped_urls")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("api/v1/", include(([*fixed, *api_urls.action_patterns()], "complaints-api"))),
        *others,
    ]
    monkeypatch.setitem(sys.modules, urlconf.__name__, urlconf)
    settings.ROOT_URLCONF = urlconf.__name__
    yield STAMP


def _stamps(item: PetitionItem) -> list[str]:
    return list(
        ItemEvent.objects.filter(item=item, kind=ItemEvent.Kind.FLAGGED, data__flag="stamped")
        .order_by("id")
        .values_list("note", flat=True)
    )


def test_a_new_entry_is_on_the_case_page_and_its_post_calls_its_service(stamp: ItemAction) -> None:
    item = submit_item()
    handler = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)
    assert "stamp" in _page_actions(handler, item)
    client = Client()
    client.force_login(handler)
    url = reverse("complaints:case_action", args=[item.pk, "stamp"])
    refused = client.post(url, {"stamp-note": "x" * 41})
    assert refused.status_code == 400 and "Stamp it" in refused.content.decode()
    response = client.post(url, {"stamp-note": "Đóng dấu"}, follow=True)
    assert response.status_code == 200 and "stamped" in response.content.decode()
    assert _stamps(item) == ["Đóng dấu"]
    # Only in the statuses the entry names.
    PetitionItem.objects.filter(pk=item.pk).update(status=Status.PROCESSING)
    assert "stamp" not in _page_actions(handler, item)


def test_a_new_entry_is_served_by_the_api_and_described_in_its_schema(stamp: ItemAction) -> None:
    item = submit_item()
    handler = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=handler).key}")
    url = reverse("complaints-api:item-stamp-it", args=[item.pk])
    assert url == f"/api/v1/items/{item.pk}/actions/stamp-it/"
    assert set(client.post(url, {}, format="json").json()) == {"note"}
    response = client.post(url, {"note": "Qua API"}, format="json")
    assert response.status_code == 200 and response.json()["id"] == item.pk
    assert _stamps(item) == ["Qua API"]
    operation = _schema_actions()["stamp-it"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Stamp"}
    assert operation["description"].startswith("Stamp the item.")
    assert "status is received;" in operation["description"]
    # Out of another agency's scope: a 404, as for every item it may not read.
    other = APIClient()
    other.force_authenticate(staff_of("ubnd-phuong-tan-phong", User.Role.HANDLER))
    assert other.post(url, {"note": "x"}, format="json").status_code == 404
