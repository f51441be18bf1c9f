"""Degrade, don't fail: with Redis down the public API, its throttle and the other cache users
go on in the process's memory, with one WARNING; a database connection the server terminated
before a request wrote anything costs a retry, not a 500."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import path, reverse
from rest_framework.response import Response
from rest_framework.test import APIClient

from complaints.api.views import PetitionSubmitThrottle
from complaints.models import Petition
from gov import cache as gov_cache
from gov.models import Sector, User
from gov.throttling import count
from tests.gov.factories import staff_of

NOBODY_LISTENS = "redis://127.0.0.1:6390/0"  # a port where no Redis runs
REDIS_DOWN = {
    "default": {
        "BACKEND": "gov.cache.RedisCache",  # the backend the settings use with REDIS_URL
        "LOCATION": NOBODY_LISTENS,
        "KEY_PREFIX": "degrade-test",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def redis_down() -> Any:
    """The cache on a Redis address where nothing listens; this process knows of no outage."""
    gov_cache.outages.resting_until.clear()
    gov_cache.outages.logged_at.clear()
    with override_settings(CACHES=REDIS_DOWN):
        caches["default"]._fallback.clear()  # what an earlier test counted in memory
        yield
    gov_cache.outages.resting_until.clear()
    gov_cache.outages.logged_at.clear()


def _payload() -> dict[str, Any]:
    return {
        "receiving_agency": "ubnd-xa-muong-kim",
        "location_unit": "xa-muong-kim",
        "content": "Đề nghị sửa chữa cầu treo bản Nà Phát bị hỏng sau mưa lũ.",
        "submitters": [{"full_name": "Lò Văn Kiến", "phone": "0912000111"}],
        "items": [
            {
                "kind": "recommendation",
                "sector": "giao-thong",
                "summary": "Cầu treo bản Nà Phát bị hỏng, học sinh không qua suối được.",
            }
        ],
    }


def _submit(client: APIClient) -> Response:
    return client.post(reverse("complaints-api:petition-submit"), _payload(), format="json")


def _status(client: APIClient, code: str, secret: str) -> Response:
    url = reverse("complaints-api:petition-status")
    return client.post(url, {"code": code, "secret": secret}, format="json")


def _cache_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "gov.cache" and r.levelno == logging.WARNING
    ]


@pytest.mark.django_db
def test_api_submit_and_status_answer_with_redis_down(
    redis_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    client = APIClient()
    submitted = _submit(client)
    assert submitted.status_code == 201, submitted.content
    body = submitted.json()
    found = _status(client, body["code"], body["secret"])
    assert found.status_code == 200, found.content
    assert found.json()["code"] == body["code"]
    # A wrong secret is counted (in memory) and answered as usual.
    assert _status(client, body["code"], "SAI-MAT-KHAU").status_code == 404
    warnings = _cache_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert "127.0.0.1:6390/0" in warnings[0]
    assert "unreachable" in warnings[0]


@pytest.mark.django_db
def test_the_throttle_still_limits_in_memory_with_redis_down(
    redis_down: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(PetitionSubmitThrottle, "rate", "2/minute")
    client = APIClient()
    codes = [_submit(client).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert len(_cache_warnings(caplog)) == 1


def test_the_warning_is_not_repeated_for_every_request(
    redis_down: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Even trying Redis at every operation (no rest), the outage is said once a minute."""
    monkeypatch.setattr(gov_cache, "REST_SECONDS", 0.0)
    assert [count("degrade:counter", 60) for _ in range(50)] == list(range(1, 51))
    assert len(_cache_warnings(caplog)) == 1


def test_redis_is_left_alone_while_it_rests(redis_down: None) -> None:
    """After a failure, operations go straight to memory: no timeout per request."""
    from django.core.cache import cache

    cache.set("degrade:k", "v", 60)
    assert gov_cache.outages.resting("127.0.0.1:6390/0")
    tried: list[str] = []

    from django.core.cache.backends import redis as django_redis

    # Django's client and the fast path's (gov.fast.cache) read through the same method.
    original = django_redis.RedisCacheClient.get

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        tried.append("redis")
        return original(self, *args, **kwargs)

    django_redis.RedisCacheClient.get = spy  # type: ignore[method-assign]
    try:
        assert cache.get("degrade:k") == "v"
    finally:
        django_redis.RedisCacheClient.get = original  # type: ignore[method-assign]
    assert tried == []


@pytest.mark.redis
def test_redis_answering_again_is_used_again_and_said(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real Redis (REDIS_URL) after an outage this process had noted: used, and one INFO."""
    backend = caches["default"]
    assert isinstance(backend, gov_cache.RedisCache)
    server = backend._server_name
    monkeypatch.setitem(gov_cache.outages.resting_until, server, 0.0)  # the rest is over
    caplog.set_level(logging.INFO, logger="gov.cache")
    backend.set("degrade:back", 1, 60)
    key = backend.make_and_validate_key("degrade:back")
    assert backend._cache.get_client(key).exists(key) == 1
    assert server not in gov_cache.outages.resting_until
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.INFO] == [
        f"Cache {server} answers again"
    ]


@pytest.mark.django_db
def test_web_status_page_and_overview_work_with_redis_down(redis_down: None) -> None:
    """The form's status page counts wrong guesses in the cache, the overview keeps its figures
    there: both answer."""
    client = Client()
    response = client.post(reverse("complaints:status"), {"code": "LC-XXXX", "secret": "x"})
    assert response.status_code == 200
    leader = staff_of("ubnd-xa-muong-kim", User.Role.LEADER)
    client.force_login(leader)
    with override_settings(PORTAL_OVERVIEW_CACHE_SECONDS=60):
        assert client.get(reverse("dashboard:overview")).status_code == 200
        assert client.get(reverse("dashboard:overview")).status_code == 200


# --- a database connection terminated by the server --------------------------------------------


def _terminate(pid: int) -> None:
    """pg_terminate_backend from another connection, and wait until the backend is gone."""
    params = connection.get_connection_params()
    with psycopg.connect(
        dbname=params.get("dbname") or settings.DATABASES["default"]["NAME"],
        **{k: v for k, v in params.items() if k in ("host", "port", "user", "password")},
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(200):
            gone = other.execute(
                "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)", [pid]
            ).fetchone()
            if gone and gone[0]:
                return
            other.execute("SELECT pg_sleep(0.01)")
    raise AssertionError(f"backend {pid} still there")


class _TerminateBefore:
    """An execute wrapper that terminates this connection's backend just before the
    ``nth`` statement of the next request matching ``when``: the server drops the connection
    after the health check passed, the race that cost each worker one request."""

    def __init__(self, when: Callable[[str], bool] = lambda sql: True) -> None:
        self.when = when
        self.armed = False
        self.fired = 0

    def __call__(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if self.armed and self.when(sql):
            self.armed = False
            self.fired += 1
            _terminate(connection.connection.info.backend_pid)
        return execute(sql, *args)


def _wsgi(handler: WSGIHandler, request: Any) -> tuple[int, bytes]:
    """Serve ``request`` (a RequestFactory request) as a WSGI server's worker would: with the
    request_started/finished signals that keep or drop persistent connections."""
    status: list[str] = []
    response = handler(request.environ, lambda s, h, *a: status.append(s))
    try:
        body = b"".join(response)
    finally:
        response.close()  # as the server does: request_finished, which may drop the connection
    return int(status[0].split()[0]), body


@pytest.fixture
def worker(reference_data: None) -> Any:
    """A WSGI worker whose connection persists between requests (as CONN_MAX_AGE keeps it)."""
    assert connection.settings_dict["CONN_MAX_AGE"]
    handler = WSGIHandler()
    assert _wsgi(handler, RequestFactory().get("/don-vi-hanh-chinh/"))[0] == 200
    assert connection.connection is not None
    yield handler


@pytest.mark.postgres
def test_a_connection_terminated_between_requests_is_replaced(worker: WSGIHandler) -> None:
    pid = connection.connection.info.backend_pid
    _terminate(pid)
    assert _wsgi(worker, RequestFactory().get("/don-vi-hanh-chinh/"))[0] == 200
    assert connection.connection.info.backend_pid != pid


@pytest.mark.postgres
def test_a_page_whose_connection_dies_before_its_first_query_answers_200(
    worker: WSGIHandler, caplog: pytest.LogCaptureFixture
) -> None:
    terminate = _TerminateBefore()
    with connection.execute_wrapper(terminate):
        terminate.armed = True
        status, body = _wsgi(worker, RequestFactory().get("/don-vi-hanh-chinh/"))
    assert terminate.fired == 1
    assert status == 200
    assert "Mường Kim".encode() in body
    retried = [r.getMessage() for r in caplog.records if r.name == "gov.retry"]
    assert retried == [
        "Database connection lost before the request wrote anything: retrying once "
        "GET /don-vi-hanh-chinh/"
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.postgres
def test_an_api_submission_whose_connection_dies_before_it_writes_is_sent_once(
    worker: WSGIHandler,
) -> None:
    """The JSON body is read again on the new connection; one petition, not two."""
    terminate = _TerminateBefore()
    request = RequestFactory().post(
        reverse("complaints-api:petition-submit"), _payload(), content_type="application/json"
    )
    with connection.execute_wrapper(terminate):
        terminate.armed = True
        status, body = _wsgi(worker, request)
    assert terminate.fired == 1
    assert status == 201, body
    assert Petition.objects.count() == 1
    assert Petition.objects.get().code == json.loads(body)["code"]


calls: list[str] = []


def _write_then_read(request: Any) -> HttpResponse:
    calls.append("write-then-read")
    Sector.objects.filter(code="giao-thong").update(name="Giao thông vận tải")
    return HttpResponse(str(Sector.objects.count()))


def _write_first(request: Any) -> HttpResponse:
    calls.append("write-first")
    Sector.objects.filter(code="giao-thong").update(name="Giao thông vận tải")
    return HttpResponse("ok")


def _write_in_a_transaction(request: Any) -> HttpResponse:
    calls.append("write-in-a-transaction")
    with transaction.atomic():
        Sector.objects.filter(code="giao-thong").update(name=Concat(F("name"), Value("!")))
    return HttpResponse(Sector.objects.get(code="giao-thong").name)


urlpatterns = [
    path("write-then-read/", _write_then_read),
    path("write-first/", _write_first),
    path("write-in-a-transaction/", _write_in_a_transaction),
]


@pytest.mark.postgres
def test_a_write_lost_inside_its_transaction_is_retried_and_applied_once(
    worker: WSGIHandler, settings: Any
) -> None:
    """The connection dies at the transaction's write: the server rolled it back, so the
    second run's write is the only one."""
    settings.ROOT_URLCONF = __name__
    calls.clear()
    before = Sector.objects.get(code="giao-thong").name
    terminate = _TerminateBefore(when=lambda sql: sql.lstrip().upper().startswith("UPDATE"))
    with connection.execute_wrapper(terminate):
        terminate.armed = True
        status, body = _wsgi(worker, RequestFactory().get("/write-in-a-transaction/"))
    assert terminate.fired == 1
    assert status == 200
    assert len(calls) == 2
    assert body.decode() == before + "!"


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("url", "statement"),
    [
        # The write succeeded, then the connection died: running again would write twice.
        ("/write-then-read/", "SELECT"),
        # The write failed in autocommit: the server may have committed it before the drop.
        # (The API's submission is one such statement: lost there, it answers 500.)
        ("/write-first/", "UPDATE"),
    ],
)
def test_a_request_that_may_have_written_is_not_retried(
    worker: WSGIHandler, url: str, statement: str, settings: Any
) -> None:
    settings.ROOT_URLCONF = __name__
    calls.clear()
    terminate = _TerminateBefore(when=lambda sql: sql.lstrip().upper().startswith(statement))
    with connection.execute_wrapper(terminate):
        terminate.armed = True
        status, _body = _wsgi(worker, RequestFactory().get(url))
    assert terminate.fired == 1
    assert status == 500
    assert len(calls) == 1
