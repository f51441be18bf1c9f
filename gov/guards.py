"""The one guard of the staff pages: a logged-in account that may see something (an agency's
staff, or a superuser). Anyone else is sent to log in, or gets a 404, as for anything out of
scope (``gov.scoping``): a citizen's account learns nothing of the staff pages.

What each page then shows or lets do is the business of the scoping (``gov.scoping``) and of
the table of who writes what (``gov.authority``), not of this guard."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
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
