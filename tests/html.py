"""Checks of rendered HTML shared by the page tests."""

from __future__ import annotations

import re

FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>")
LABEL_FOR = re.compile(r'<label[^>]*\bfor="([^"]+)"')


def unlabelled(html: str) -> list[str]:
    """Fields without a label: neither a <label for>, nor an enclosing <label>, nor an ARIA
    name."""
    named = set(LABEL_FOR.findall(html))
    found = []
    for match in FIELD.finditer(html):
        attrs = match.group(2)
        if re.search(r'type="(hidden|submit|button)"', attrs) or "aria-label" in attrs:
            continue
        field_id = re.search(r'\bid="([^"]+)"', attrs)
        if field_id and field_id.group(1) in named:
            continue
        opened = html.rfind("<label", 0, match.start())
        if opened != -1 and html.rfind("</label>", opened, match.start()) == -1:
            continue  # inside a <label>
        found.append(match.group(0)[:120])
    return found
