"""Input the portal can store: no NUL character and no lone surrogate, in any field.

JSON may carry ``"\\ud83d"`` (half of an emoji) or ``"\\u0000"``, a form or a query string
``%00``. Neither can be stored in PostgreSQL's text (psycopg refuses NUL before sending; a lone
surrogate cannot be encoded), nor written back as UTF-8: a lone surrogate repeated in an error
message ("not a valid choice") failed the answer itself with a 500, and a NUL in a list page's
filter failed its query. No text of the portal needs either, so a request holding one is
refused as a whole with a 400 and a message, before any form or serializer sees it: the API
through its JSON parser, pages and forms through ``UnstorableInputMiddleware``. Uploaded files
are not text and are not looked at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_at(data: Any, path: str = "") -> str | None:
    """The path ("items.0.summary") of the first key or text holding an unstorable
    character, or None."""
    if isinstance(data, str):
        return path if UNSTORABLE.search(data) else None
    if isinstance(data, dict):
        for key, value in data.items():
            inner = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and UNSTORABLE.search(key):
                return path or "."
            found = unstorable_at(value, inner)
            if found is not None:
                return found
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found = unstorable_at(value, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


class StorableJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        where = unstorable_at(data)
        if where is not None:
            # The path is made of the request's own keys, already checked storable.
            raise ParseError(unstorable_message(where))
        return data


def unstorable_message(field: str) -> str:
    return _(
        "The field %(field)s holds a character that cannot be stored (a NUL character or "
        "half of an emoji). Remove it and send again."
    ) % {"field": field}


def _field_with_unstorable(request: HttpRequest) -> str | None:
    """The query string's or the form's first field holding an unstorable character. (A body
    that is not a form, such as the API's JSON, leaves ``request.POST`` empty, unread.)"""
    for source in (request.GET, request.POST):
        for key, values in source.lists():
            if UNSTORABLE.search(key):
                return "?"
            if any(UNSTORABLE.search(v) for v in values):
                return key
    return None


def bad_request(
    request: HttpRequest, exception: Exception | None = None, message: str = ""
) -> HttpResponse:
    """The 400 page (also Django's ``handler400``: a tampered form, a host not allowed)."""
    return render(request, "400.html", {"message": message}, status=400)


class UnstorableInputMiddleware:
    """Refuses a request whose query string or form holds a NUL or a lone surrogate: a 400
    page, or the API's ``{"detail": ...}``. In ``process_view``, after CSRF's, which reads the
    form first anyway."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        field = _field_with_unstorable(request)
        if field is None:
            return None
        message = unstorable_message(field)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return bad_request(request, message=message)
