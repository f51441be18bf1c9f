"""What the tests of the leaders' overview (``test_dashboard_*.py``) share: its address, a
logged-in client, and the figures read from the page."""

from __future__ import annotations

import html
import re

from django.test import Client
from django.urls import reverse

from gov.models import User

URL = reverse("dashboard:overview")
INBOX = reverse("complaints:inbox")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _numbers(page: str) -> dict[str, int]:
    """Every linked number on the page: its URL (unescaped) → the number shown."""
    return {
        html.unescape(url): int(n)
        for url, n in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(?:<strong[^>]*>)?(\d+)<', page)
    }


def _inbox_count(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count
