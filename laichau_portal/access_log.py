"""gunicorn's access log without search terms.

The inbox's search box posts (``complaints.views.staff.inbox``), but a staff search can still come in
an address: the API's ``/api/v1/items/?q=...``, an old bookmark. A search term may be a
denouncer's name; the access log keeps every request line for weeks, readable by whoever runs
the server. This logger writes ``q=-`` in place of the term, in the request line, the query
string and the Referer, whatever the log format. (nginx in front keeps its own log: log
``$uri`` there, not ``$request_uri``; see README.)
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode

from gunicorn.glogging import Logger

SCRUBBED_PARAMETERS = frozenset({"q"})
SCRUBBED = "-"


def scrub_query(query: str) -> str:
    """``query`` with the value of every scrubbed parameter replaced."""
    if not query or not any(f"{p}=" in query for p in SCRUBBED_PARAMETERS):
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, SCRUBBED if k in SCRUBBED_PARAMETERS else v) for k, v in pairs], safe="-")


def scrub_uri(uri: str) -> str:
    path, sep, query = uri.partition("?")
    return f"{path}{sep}{scrub_query(query)}" if sep else uri


class ScrubbingLogger(Logger):
    def atoms(self, resp: object, req: object, environ: dict, request_time: dt.timedelta) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = "{} {} {}".format(
            environ["REQUEST_METHOD"],
            scrub_uri(environ["RAW_URI"]),
            environ["SERVER_PROTOCOL"],
        )
        atoms["q"] = scrub_query(environ.get("QUERY_STRING", ""))
        atoms["f"] = scrub_uri(environ.get("HTTP_REFERER", "-"))
        if "{referer}i" in atoms:
            atoms["{referer}i"] = scrub_uri(atoms["{referer}i"])
        return atoms
