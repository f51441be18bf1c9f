"""The one guard of the staff pages: a logged-in account that may see something (an agency's
staff, or a superuser). Anyone else is sent to log in, or gets a 404, as for anything out of
scope (``gov.scoping``): a citizen's account learns nothing of the staff pages.

What each page then shows or lets do is the business of the scoping (``gov.scoping``) and of
the table of who writes what (``gov.authority``), not of this guard.

A page that exists for every agency but belongs to other roles (the leaders' overview, the
reception calendar's forms, the audit log) tells a staff member so with a 403 that names the
page's audience (``role_page``): nothing is secret about a page's existence. Objects outside
one's scope stay a 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from gov.models import User
from gov.scoping import can_see_anything


def staff_user(request: HttpRequest) -> User:
    """The request's account if it is staff (``can_see_anything``); a 404 otherwise."""
    user = request.user
    if not isinstance(user, User) or not can_see_anything(user):
        raise Http404
    return user


def staff_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A staff page: logged in (else the login page), and staff (else a 404)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        staff_user(request)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def role_page(request: HttpRequest, *, allowed: bool, audience: str) -> User:
    """The request's staff account on a page for some roles only: a 404 for anyone not staff,
    a 403 that says who the page is for (``audience``, "This page is for leaders.") for staff
    whose role it is not."""
    user = staff_user(request)
    if not allowed:
        raise PermissionDenied(audience)
    return user
