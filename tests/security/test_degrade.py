"""Degrade, don't fail: with Redis down the public API, its throttle and the other cache users
go on in the process's memory, with one WARNING; a database connection the server terminated
before a request wrote anything costs a retry, not a 500."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from rest_framework.response import Response
from rest_framework.test import APIClient

from complaints.api.views import PetitionSubmitThrottle
from gov import cache as gov_cache
from gov.models import User
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

    original = gov_cache.RedisCacheClient.get

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        tried.append("redis")
        return original(self, *args, **kwargs)

    gov_cache.RedisCacheClient.get = spy  # type: ignore[method-assign]
    try:
        assert cache.get("degrade:k") == "v"
    finally:
        gov_cache.RedisCacheClient.get = original  # type: ignore[method-assign]
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
