"""The one refusal of the portal's write services, and the one way a page or the API shows it.

Every service refuses with ``Refused``: a write that the law, the state of a record (its
lifecycle table, ``gov.lifecycle``) or the user's role (``gov.authority``) does not allow, or
input it cannot take. The message says why, in the user's language (Vietnamese by default,
through gettext); ``code`` names the kind of refusal for a program (``"refused"`` unless the
raiser says more). It is a Django ``ValidationError``, so a refusal may name fields
(``Refused({"received_on": [message]})``), and what catches a form's errors catches it too.

``refusal_errors`` reads a refusal (or any ``ValidationError`` a service lets through, such as
an upload's) into messages by field; the views and the API show it through it, each in its own
way: ``refusal_to_form`` (a form's errors: nothing typed is lost), ``refusal_to_messages`` (the
page's messages), ``refusal_detail`` and ``refusal_api_errors`` (the API's 400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import Form
from django.http import HttpRequest
from rest_framework.settings import api_settings


class Refused(ValidationError):
    """A write the law, a record's state or the user's role does not allow; the message says
    why."""

    def __init__(
        self,
        message: Any,
        code: str | None = "refused",
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)


def refusal_errors(exc: ValidationError) -> dict[str | None, list[str]]:
    """The refusal's messages by the field they are about (``None``: the write as a whole)."""
    if hasattr(exc, "error_dict"):
        return {
            (None if field == NON_FIELD_ERRORS else field): errors
            for field, errors in exc.message_dict.items()
        }
    return {None: exc.messages}


def refusal_to_form(form: Form, exc: ValidationError, *, field: str | None = None) -> None:
    """The refusal as ``form``'s errors: under the fields it names that the form has, the rest
    under ``field`` (above the form if none)."""
    for name, errors in refusal_errors(exc).items():
        form.add_error(name if name in form.fields else field, errors)


def refusal_to_messages(request: HttpRequest, exc: ValidationError) -> None:
    """The refusal as the page's error messages, one a reason."""
    for errors in refusal_errors(exc).values():
        for message in errors:
            messages.error(request, message)


def refusal_detail(exc: ValidationError) -> str:
    """The refusal as one sentence: the API's ``{"detail": ...}`` of a refused action."""
    return " ".join(m for errors in refusal_errors(exc).values() for m in errors)


def refusal_api_errors(exc: ValidationError) -> dict[str, list[str]]:
    """The refusal as the API reports invalid input: per field, the rest under
    ``non_field_errors``."""
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field is None else field): errors
        for field, errors in refusal_errors(exc).items()
    }
