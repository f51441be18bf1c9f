"""The cross-unit and cross-agency matrix (issue 13, item 11): every URL that names an object,
web, API and admin, as every kind of account, over records of two communes and two provincial
departments (``tests.security.world``).

For each route × account × record: a GET shows the record to those the scoping rules let read
it (``gov.scoping``, and the few rules a view adds: ``tests.security.routes.reads``) and
answers anyone else exactly as for an id that does not exist: 404 for staff pages and the API
(never 403, never 500), the login page for an anonymous visitor, the admin's "no such object"
for an administrator. A POST of what a writer would send, by an account that may not read the
record, is a 404 and changes no row. A few cells are asserted by hand, so that the oracle
cannot drift with the code it checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from gov.models import Notification, User
from tests.security.routes import (
    Route,
    admin_in_scope,
    all_routes,
    content_type_args,
    object_routes,
    reads,
    set_aside,
)
from tests.security.world import ANONYMOUS, World, logged_in, world_fixture

pytestmark = pytest.mark.django_db

MISSING = {
    "pk": 999_999_999,
    "id": 999_999_999,
    "object_id": 999_999_999,
    "attachment_pk": 999_999_999,
    "code": "khong-co-don-vi-nay",
    "token": "khong-hop-le",
}
# Cells asserted by hand: (route, account, owner of the record) → status.
BY_HAND = {
    ("complaints:case", "commune_b.handler", "commune_a"): 404,
    ("complaints:case", "department_a.leader", "commune_a"): 404,
    ("complaints:case", "inspectorate", "commune_b"): 200,
    ("complaints:case", "department_a.handler", "department_a"): 200,
    ("complaints-api:item-detail", "department_b.handler", "department_a"): 404,
    ("complaints-api:item-detail", "provincial_leader", "department_b"): 200,
    ("complaints:letter", "commune_a.reception", "commune_b"): 404,
    ("dialogues:mediation_case", "department_a.leader", "commune_a"): 404,
    ("dialogues:mediation_case", "commune_a.handler", "commune_a"): 200,
    ("dialogues:dialogue", "provincial_leader", "commune_b"): 200,
    ("dialogues:commitment", "department_b.handler", "department_a"): 404,
    # Another department's reception calendar entry (Schedule had no need-to-know).
    ("reception:schedule_cancel", "department_b.reception", "department_a"): 404,
    ("reception:schedule_cancel", "department_a.reception", "department_a"): 200,
    ("reception:session", "department_b.leader", "department_a"): 404,
    ("admin:complaints_petitionitem_change", "commune_a.admin", "commune_a"): 200,
    ("admin:complaints_petitionitem_change", "commune_a.handler", "commune_a"): 302,
}


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    yield from world_fixture(django_db_blocker, Path(tmp_path_factory.mktemp("media")))


@pytest.fixture(scope="module")
def clients(world: World, django_db_blocker: object) -> dict[str, Client]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return logged_in(world)


def _url(name: str, args: dict[str, object]) -> str:
    return reverse(name, kwargs=args)


def _missing(args: dict[str, object]) -> dict[str, object]:
    return {k: MISSING.get(k, v) for k, v in args.items()}


def _fingerprint() -> dict[str, list[tuple]]:
    """Every row of the records a refused write could touch, as stored."""
    models: list[type[Model]] = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"complaints", "reception", "dialogues", "privacy"}
    ]
    models += [User, Notification]
    return {m._meta.label: list(m._default_manager.order_by("pk").values_list()) for m in models}


def _send(client: Client, route: Route, url: str, data: dict[str, object] | None) -> int:
    if data is None:
        return client.get(url).status_code
    if route.api:
        return client.post(url, data=data, content_type="application/json").status_code
    return client.post(url, data).status_code


def _refusal(route: Route, account: str, status: int, missing: int | None, where: str) -> str:
    """What anyone who may not read gets: for staff outside the admin, 404; for the others,
    what a missing id gets (``missing``). Empty when it is so."""
    if status == 200 or status >= 500:
        return f"{where}: {status}"
    if missing is None:
        return "" if status == 404 else f"{where}: {status}, not 404"
    return "" if status == missing else f"{where}: {status}, a missing id gets {missing}"


def _cells(world: World, name: str, route: Route) -> Iterator[tuple[str, str, Model]]:
    """(account, owner, record) to GET. A POST-only route: three accounts, one record (no GET
    shows anything). The admin turns away an account that is not an administrator before it
    looks anything up: such accounts try one record; the administrators try every one."""
    records = world.records[route.kind]
    first = next(iter(records.items()))
    for account, user in world.accounts.items():
        if not route.shows:
            if account in POST_ONLY_PROBES:
                yield account, *first
            continue
        if route.admin and not (user is not None and user.is_staff):
            yield account, *first
            continue
        for label, record in records.items():
            yield account, label, record


POST_ONLY_PROBES = {ANONYMOUS, "commune_a.handler", "department_b.leader"}


def test_every_object_route_is_in_the_matrix() -> None:
    """A new URL with an object parameter fails here until the matrix knows how to fill it."""
    known = set(all_routes()) | set(set_aside())
    found = object_routes()
    assert found, "the resolver lists no object route"
    unknown = {name: route for name, route in found.items() if name not in known}
    assert not unknown, f"routes the matrix cannot fill: {unknown}"
    gone = set(all_routes()) - set(found)
    assert not gone, f"routes in the matrix that no longer exist: {gone}"


def test_view_on_site_names_no_object(world: World, clients: dict[str, Client]) -> None:
    """The admin's "view on site" redirect answers 404 whatever the id: no record of the
    portal has a public address, so it reveals nothing."""
    for label in ("commune_a", "department_b"):
        item = world.records["item"][label]
        url = reverse("admin:view_on_site", kwargs=content_type_args(item))
        assert clients["commune_a.admin"].get(url).status_code == 404


ROUTE_NAMES = sorted(all_routes())


@pytest.mark.slow  # about 90 requests a route: a few minutes in all
@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_route_matrix(world: World, clients: dict[str, Client], name: str) -> None:
    route = all_routes()[name]
    first = next(iter(world.records[route.kind].values()))
    missing_url = _url(name, _missing(route.args(first)))
    missing: dict[str, int | None] = {}
    failures: list[str] = []
    by_hand: set[tuple[str, str, str]] = set()
    for account, label, record in _cells(world, name, route):
        client = clients[account]
        if account not in missing:  # 404 for staff outside the admin; else as it answers
            compare = account == ANONYMOUS or bool(route.admin) or not route.shows
            missing[account] = _send(client, route, missing_url, None) if compare else None
        status = _send(client, route, _url(name, route.args(record)), None)
        where = f"GET {name} {label} as {account}"
        if (name, account, label) in BY_HAND:
            by_hand.add((name, account, label))
            if status != BY_HAND[name, account, label]:
                failures.append(f"{where}: {status}, by hand {BY_HAND[name, account, label]}")
        if route.shows and reads(world.accounts[account], route, record):
            if status != 200:
                failures.append(f"{where}: {status}, may read")
        elif route.admin and admin_in_scope(world.accounts[account], record):
            if status != 403:
                failures.append(f"{where}: {status}, in scope without the permission: 403")
        elif route.shows:
            failures.append(_refusal(route, account, status, missing[account], where))
        elif status != missing[account] or status in {200, 500}:  # POST only: never shows
            failures.append(f"{where}: {status}, a missing id gets {missing[account]}")
    if route.post is not None:
        failures += _posts(world, clients, name, route)
    assert by_hand == {cell for cell in BY_HAND if cell[0] == name}
    failures = [f for f in failures if f]
    assert not failures, "\n".join(failures[:40])


def _posts(world: World, clients: dict[str, Client], name: str, route: Route) -> list[str]:
    """Each account that may not read a record posts what a writer would: 404 (an anonymous
    visitor: what a missing id gets), and no row changes."""
    assert route.post is not None
    records = world.records[route.kind]
    first = next(iter(records.values()))
    missing_url = _url(name, _missing(route.args(first)))
    failures = []
    before = _fingerprint()
    for account, client in clients.items():
        user = world.accounts[account]
        missing = _send(client, route, missing_url, route.post(first)) if user is None else None
        for label, record in records.items():
            if reads(user, route, record):
                continue
            status = _send(client, route, _url(name, route.args(record)), route.post(record))
            failures.append(
                _refusal(route, account, status, missing, f"POST {name} {label} as {account}")
            )
    after = _fingerprint()
    changed = [label for label in before if before[label] != after[label]]
    if changed:
        failures.append(f"POST {name} by accounts that may not read it changed {changed}")
    return failures
