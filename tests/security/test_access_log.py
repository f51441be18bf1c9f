"""A staff search term never reaches gunicorn's access log (issue 13, item 6)."""

from __future__ import annotations

import datetime as dt
import logging
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from laichau_portal.access_log import ScrubbingLogger, scrub_uri
from tests.gov.test_gunicorn import _config

TERM = "Nguy%E1%BB%85n+V%C4%83n+T%E1%BB%91"  # "Nguyễn Văn Tố", as a browser sends it


def test_gunicorn_is_configured_with_the_scrubbing_logger() -> None:
    assert _config()["logger_class"] == "laichau_portal.access_log.ScrubbingLogger"


@pytest.mark.parametrize(
    "log_format",
    [
        Config().access_log_format,  # gunicorn's default ("combined")
        '%(h)s "%(r)s" %(U)s?%(q)s "%(f)s" "%({referer}i)s"',
    ],
)
def test_the_logged_request_line_has_no_search_term(
    log_format: str, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", log_format)
    logger = ScrubbingLogger(cfg)
    logger.access_log.propagate = True
    uri = f"/api/v1/items/?status=accepted&q={TERM}&page=2"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": uri,
        "PATH_INFO": "/api/v1/items/",
        "QUERY_STRING": uri.partition("?")[2],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": f"https://portal.example/can-bo/don/?q={TERM}",
    }
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logger.access(resp, req, environ, dt.timedelta(milliseconds=12))
    line = caplog.text
    assert "/api/v1/items/" in line and "status=accepted" in line and "page=2" in line
    assert "q=-" in line
    for part in ("Nguy", "V%C4%83n", "T%E1%BB%91", "Tố"):
        assert part not in line, line


def test_addresses_without_a_term_are_logged_as_they_came() -> None:
    assert (
        scrub_uri("/can-bo/don/?kind=denunciation&s=abc") == "/can-bo/don/?kind=denunciation&s=abc"
    )
    assert scrub_uri("/can-bo/") == "/can-bo/"
