"""The API answers as its OpenAPI schema (drf-spectacular, /api/schema/) says: schemathesis
generates requests from the schema, valid and invalid, for every operation, public and staff
(with a token), sends them through the WSGI application, and checks that no answer is a
server error, each status code is declared, and each body matches its declared schema."""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
import schemathesis
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from complaints.models import PetitionItem
from gov.models import User
from tests.complaints.factories import submit_item
from tests.gov.factories import staff_of

pytestmark = [pytest.mark.slow, pytest.mark.django_db]  # schemathesis runs every operation

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 6  # per mode (valid, invalid): the whole run stays under a minute


@functools.cache
def _schema() -> Any:
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())


def _operations() -> list[str]:
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [f"{method.upper()} {path}" for path, methods in paths.items() for method in methods]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """The WSGI handler closes a connection that saw an error when a request ends; the test's
    transaction lives on it. Django's test client disconnects the same receivers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token() -> str:
    """A leader of Mường Kim with a token, and one item in their scope."""
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    submit_item()
    return Token.objects.create(user=leader).key


def _examples(operation: Any, item: PetitionItem) -> list[Any]:
    """Beside the generated cases, the operation on a real item in scope: random ids are
    almost never one, and the detail's full answer (a blank filing ground) needs one."""
    if "{id}" not in operation.path:
        return []
    # Other ids in the path (an attachment's) name nothing: a declared 404.
    names = re.findall(r"{(\w+)}", operation.path)
    case = operation.Case(path_parameters={n: item.pk if n == "id" else 0 for n in names})
    if operation.method.upper() == "POST":
        case.body = {}
    return [case]


RUNS = [
    pytest.param(operation, authorised, id=f"{'token' if authorised else 'anonymous'}-{operation}")
    for operation in _operations()
    for authorised in (True, False)
    # The public operations take no token; the staff ones are also tried without.
    if authorised or "/items/" in operation
]


@pytest.mark.parametrize(("operation", "authorised"), RUNS)
def test_the_api_answers_as_its_schema_says(operation: str, authorised: bool, token: str) -> None:
    method, path = operation.split(" ", 1)
    api_operation = _schema()[path][method]
    headers = {"Authorization": f"Token {token}"} if authorised else {}
    examples = EXAMPLES_PER_OPERATION if authorised else 2
    item = PetitionItem.objects.get()

    def check(case: Any) -> None:
        # The public endpoints' per-address limits (in the cache) would answer 429 after 30
        # examples; 429 is declared, but then nothing else would be tried.
        caches["default"].clear()
        case.call_and_validate(headers=headers, checks=CHECKS)

    for case in _examples(api_operation, item):
        check(case)
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @given(case=api_operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            check(case)

        run()
