"""Checks of ``manage.py check --deploy`` for what the portal itself needs in production."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}


def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``PORTAL_SITE_URL`` is the address written in every e-mail, letter and SMS (the status
    link, the e-mail confirmation): unset or local, citizens get links that lead nowhere."""
    url = getattr(settings, "PORTAL_SITE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or (parts.hostname or "") in LOCAL_HOSTS:
        return [
            checks.Error(
                f"PORTAL_SITE_URL is {url!r}: set it to the portal's public address "
                "(e.g. https://tiepcongdan.laichau.gov.vn); it is written in every message "
                "sent to citizens and staff.",
                id="portal.E001",
            )
        ]
    if parts.scheme != "https":
        return [
            checks.Warning(
                "PORTAL_SITE_URL is not https: the links sent to citizens would not be secure.",
                id="portal.W001",
            )
        ]
    return []
