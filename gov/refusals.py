"""Refused authorisations go to the audit log (ASVS 5.0 V16.3.2).

Two kinds of refusal are written, as ``AuditRecord.Kind.ACCESS_REFUSED``:

- a write the account may not make: ``gov.authority.require`` refused an act (cancel another
  commune's dialogue, act on a petition another agency holds) and sent ``refused_signal``. The
  record names the act, the route, the object the route was asked for and the owning agency,
  whose leaders read it;
- a staff object route (under ``STAFF_PREFIXES``, with an object in its address) answered 404
  to a logged-in account. The 404 does not tell the account whether the object exists outside
  its scope or not at all, and the record does not try to: both are someone reaching for ids
  they were not given.

A refusal is noted while the request runs and written by ``AccessRefusalMiddleware`` once the
view has answered: the service that refuses raises inside its transaction, which rolls back, and
a record written there would go with it. Outside a request (a task, the shell) nothing is noted:
no account is asking.

A crawler cannot flood the log: one record per account and route per
``PORTAL_AUDIT_REFUSAL_SECONDS`` (a minute), counted in the cache. No personal data: the route's
name and its address arguments (ids, codes), never the query string nor what was posted.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from gov.authority import refused_signal

if TYPE_CHECKING:
    from gov.models import Agency, User

STAFF_PREFIXES = ("/can-bo/", "/api/v1/")


@dataclass(frozen=True)
class Refusal:
    act: str
    agency_id: int | None


_pending: ContextVar[list[Refusal] | None] = ContextVar("gov_access_refusals", default=None)


@receiver(refused_signal)
def act_refused(*, user: User, act: str, agency: Agency, **_kwargs: object) -> None:
    """Note that ``user`` was refused ``act`` for a record of ``agency``, to be written once the
    request has its answer (``AccessRefusalMiddleware``)."""
    pending = _pending.get()
    if pending is not None and getattr(user, "is_authenticated", False):
        pending.append(Refusal(act=str(act), agency_id=agency.pk))


def _object_route(request: HttpRequest) -> bool:
    match = request.resolver_match
    return bool(match and match.kwargs and request.path.startswith(STAFF_PREFIXES))


def _first_time(user_id: int, route: str) -> bool:
    """One record per account and route per window: the first to add the key writes."""
    key = f"audit-refused:{user_id}:{route}"
    return bool(cache.add(key, 1, settings.PORTAL_AUDIT_REFUSAL_SECONDS))


def _reference(request: HttpRequest) -> str:
    match = request.resolver_match
    kwargs = match.kwargs if match else {}
    return ",".join(f"{key}={value}" for key, value in sorted(kwargs.items()))[:64]


def record_refusals(request: HttpRequest, response: HttpResponse, noted: list[Refusal]) -> int:
    """Write what this request was refused, within the rate limit; how many records."""
    from gov.audit import audit_record
    from gov.models import Agency, AuditRecord

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not noted and not (response.status_code == 404 and _object_route(request)):
        return 0
    match = request.resolver_match
    route = (match.view_name if match else "") or request.path[:60]
    if not _first_time(user.pk, route):
        return 0
    refusal = noted[0] if noted else None
    data = {"route": route, "status": response.status_code}
    if refusal is not None:
        data["act"] = refusal.act
    audit_record(
        kind=AuditRecord.Kind.ACCESS_REFUSED,
        request=request,
        subject=(route, _reference(request)),
        agency=(
            Agency.objects.filter(pk=refusal.agency_id).first()
            if refusal is not None
            and refusal.agency_id is not None
            and refusal.agency_id != user.agency_id
            else None
        ),
        data=data,
    )
    return 1


class AccessRefusalMiddleware:
    """Collects the refusals of a request and writes them once it has its answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        noted: list[Refusal] = []
        token = _pending.set(noted)
        try:
            response = self.get_response(request)
        finally:
            _pending.reset(token)
        record_refusals(request, response, noted)
        return response
