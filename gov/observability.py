"""Request ids in the logs, request latency in the metrics, JSON logs, optional Sentry.

Every request gets an id: the ``X-Request-ID`` its proxy sent (nginx's ``$request_id``, see
``deploy/nginx/``) when it is a plain token, a new one otherwise; the response carries it back.
While the request runs, every log line says it and the account's id (``RequestContextFilter``),
never a name: with ``PORTAL_LOG_FORMAT=json`` (production's default) each line is one JSON
object (``python-json-logger``).
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
user_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")

_TOKEN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestObservabilityMiddleware:
    """Outermost but one (inside ``gov.retry``): the id, the account, the time taken."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _TOKEN.match(given) else uuid.uuid4().hex
        # Kept until the response is closed (request_finished), so that Django's own line for
        # a 4xx/5xx, written after the middleware, carries them too.
        request_id_var.set(request_id)
        user_id_var.set("-")
        clock = time.perf_counter()
        response = self.get_response(request)
        self.process_view(request)  # a page not found never reached process_view
        self.observe(request, response, time.perf_counter() - clock)
        response["X-Request-ID"] = request_id
        return response

    def process_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        # Runs once every middleware has seen the request: the account is known by now.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(str(user.pk))

    @staticmethod
    def observe(request: HttpRequest, response: HttpResponse, seconds: float) -> None:
        from .metrics import REQUEST_SECONDS

        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None else "unresolved"
        method = request.method if request.method in KNOWN_METHODS else "other"
        status = f"{response.status_code // 100}xx"
        REQUEST_SECONDS.labels(view, method, status).observe(seconds)


KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


@receiver(request_finished, dispatch_uid="observability-request-finished")
def _forget_request(**kwargs: Any) -> None:
    request_id_var.set("-")
    user_id_var.set("-")


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` to every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        return True


class TemplateLookupFilter(logging.Filter):
    """Django's ``django.template`` logger writes, at DEBUG, each variable a template could not
    resolve with the exception raised, and that exception's message is the whole template
    context: on the form's last step, the review of what the citizen typed (a denouncer's name,
    ID number and phone). The line stays (which variable, which template); the exception goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


def logging_config(fmt: str, level: str) -> dict[str, Any]:
    """Django's LOGGING: one console handler, plain text or one JSON object per line."""
    formatters: dict[str, Any] = {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s u=%(user_id)s] "
            "%(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_context": {"()": "gov.observability.RequestContextFilter"},
            "template_lookups": {"()": "gov.observability.TemplateLookupFilter"},
        },
        "formatters": formatters,
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if fmt == "json" else "plain",
                "filters": ["request_context"],
            }
        },
        # At DEBUG, a template's failed lookups would carry the page's data into the log.
        "loggers": {"django.template": {"filters": ["template_lookups"]}},
        "root": {"handlers": ["console"], "level": level},
    }


def init_sentry(dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Error reports to Sentry (or a compatible server such as GlitchTip), only when
    ``SENTRY_DSN`` is set. No personal data: no request bodies, cookies, user names or local
    variables (a petition's text or a denouncer's name would be in them), only the account's id.
    """
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        data_collection={"user_info": False, "http_bodies": [], "stack_frame_variables": False},
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
    )
