"""Read replicas: chosen read-only pages read from a streaming replica of PostgreSQL.

- Which reads: only those a view or a selector asks for, with ``replica_reads()`` (a context
  manager) or ``@reads_from_replica`` (a view decorator): the leaders' overview and its
  exports, the reports (the reception log and compliance, the mediation results, the
  commitments and their export) and the public lists (the reception calendar, dialogues,
  promises, units, time limits). Every other read, and every read of a service, stays on the
  primary: a replica's lag must never break a write followed by a read.
- Never a write: the router sends every write to ``default``, even of an object read from a
  replica. Inside a transaction on the primary, reads stay there too.
- Read-your-writes: after a request that may have written (POST, PUT, PATCH, DELETE), the
  browser gets a signed cookie for ``PORTAL_REPLICA_PIN_SECONDS`` and its reads go to the
  primary meanwhile (``ReadYourWritesMiddleware``). The cookie holds nothing but its time.
- Who is asking (accounts, sessions, second-factor devices, tokens) is always read from the
  primary: a password changed or a device reset takes effect at once.
- Without ``DATABASE_REPLICA_URLS`` none of this does anything: one database, as before.
"""

from __future__ import annotations

import functools
import logging
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase
from django.template.response import SimpleTemplateResponse

log = logging.getLogger(__name__)

PIN_COOKIE = "portal_primary"
PIN_SALT = "gov.replicas.pin"
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Who is asking, read on every request: never from a replica.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "otp_totp", "otp_static", "authtoken"})

# The replica this context reads from (None: the primary), and whether the request is pinned.
_replica: ContextVar[str | None] = ContextVar("portal_replica", default=None)
_pinned: ContextVar[bool] = ContextVar("portal_pinned_to_primary", default=False)

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def configured() -> list[str]:
    """The replicas' aliases (``replica_0``...: ``laichau_portal.databases``)."""
    return list(settings.PORTAL_DB_REPLICAS)


def _choose() -> str | None:
    """A replica that answers, or None (the primary): a replica down costs its readers
    nothing but the primary's load."""
    aliases = configured()
    if not aliases or _pinned.get():
        return None
    alias = random.choice(aliases)
    try:
        connections[alias].ensure_connection()
    except DatabaseError:
        log.warning("Replica %s does not answer: reading from the primary", alias)
        return None
    return alias


@contextmanager
def replica_reads() -> Iterator[str | None]:
    """Reads of this block (through the ORM) go to a replica, unless the request is pinned
    to the primary or there is none. Yields the alias read from (None: the primary)."""
    token = _replica.set(_choose())
    try:
        yield _replica.get()
    finally:
        _replica.reset(token)


def reads_from_replica(view: V) -> V:
    """A read-only view whose reads go to a replica (``replica_reads``)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with replica_reads():
            response = view(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()  # a TemplateResponse reads while it renders
            return response

    return cast(V, wrapper)


def read_alias() -> str:
    """The alias a raw SQL read of this context should use (``connections[read_alias()]``)."""
    return _replica.get() or DEFAULT_DB_ALIAS


def _who_is_asking(model: type[Model]) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label == settings.AUTH_USER_MODEL


class ReplicaRouter:
    """``DATABASE_ROUTERS`` when replicas are configured (``laichau_portal.databases``)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        alias = _replica.get()
        if alias is None or _who_is_asking(model):
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # a transaction reads what it wrote
        return alias

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReadYourWritesMiddleware:
    """Pins a browser to the primary for ``PORTAL_REPLICA_PIN_SECONDS`` after it sent a
    request that may have written. Does nothing without replicas."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not configured():
            return self.get_response(request)
        seconds = settings.PORTAL_REPLICA_PIN_SECONDS
        writing = request.method in WRITING_METHODS
        token = _pinned.set(writing or self._pinned(request, seconds))
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writing and seconds > 0:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    @staticmethod
    def _pinned(request: HttpRequest, seconds: int) -> bool:
        if seconds <= 0 or PIN_COOKIE not in request.COOKIES:
            return False
        try:
            request.get_signed_cookie(PIN_COOKIE, salt=PIN_SALT, max_age=seconds)
        except (KeyError, signing.BadSignature):  # SignatureExpired is a BadSignature
            return False
        return True
