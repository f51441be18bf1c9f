"""What the API schema declares beyond each view's own answers (drf-spectacular's
postprocessing hook, ``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``).

Some answers come from outside the views: DRF refuses a staff operation without a valid token
(401) or a session post without its CSRF token (403), ``gov.input`` refuses a NUL or a lone
surrogate in any query string (400), and the server in front (gunicorn, 4094 bytes a request
line) refuses a URI too long (414) before the portal sees it. A client that
reads the schema should find every status code it may receive (schemathesis checks it:
tests/security/test_schema.py).
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        }
    }
}
STAFF_REFUSALS = {
    "401": {"description": "No token, or a token that is not valid.", "content": ERROR},
    "403": {"description": "A session's post without its CSRF token.", "content": ERROR},
}
EVERYWHERE = {
    # gov.input: a NUL or a lone surrogate in the query string, for any operation.
    "400": {
        "description": 'Invalid input: messages per field, or {"detail": ...}.',
        "content": {"application/json": {"schema": {"type": "object"}}},
    },
    "414": {"description": "URI too long: refused by the server in front of the portal."},
}


def declare_refusals(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for code, answer in EVERYWHERE.items():
                responses.setdefault(code, answer)
            # Operations open to anyone list an empty requirement ({}).
            if {} not in operation.get("security", [{}]):
                for code, answer in STAFF_REFUSALS.items():
                    responses.setdefault(code, answer)
    return result
