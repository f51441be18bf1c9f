"""Every page a demo user reaches by following links answers, and every link on it leads to a
page that user may open: no 500, and no 404 behind a link the portal itself drew (a list or a
case page linking to a record out of the reader's scope). Every form field on those pages has a
label, and every page one <h1>. The pages are reached from the staff home (or the public home), as a person clicking
through the demo would, with JavaScript off."""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.core.management import call_command
from django.test import Client

from gov.models import User
from tests.html import unlabelled

pytestmark = [pytest.mark.slow, pytest.mark.django_db]  # crawls every page of each demo user

# Pages per user: enough to reach every kind of page in the demo (lists, cases, letters,
# dialogues, sessions, meetings, recommendations, mediation cases) and their filters.
MOST_PAGES = 150
SKIPPED = ("/static/", "/media/", "/i18n/", "/dang-xuat/", "/quan-tri/", "format=")


def _crawl(client: Client, start: list[str]) -> tuple[int, list[str]]:
    problems: list[str] = []
    came_from: dict[str, str] = {}
    queue, seen = deque(start), set()
    while queue and len(seen) < MOST_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code not in (200, 302):
            problems.append(f"{url} answers {response.status_code} (linked from {came_from[url]})")
            continue
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        problems += [f"{url}: field without a label: {f}" for f in unlabelled(html)]
        if len(re.findall(r"<h1\b", html)) != 1:
            problems.append(f"{url}: not one <h1> (the page's title for a screen reader)")
        for href in re.findall(r'href="(/[^"#]*)"', html):
            href = href.replace("&amp;", "&")
            if href not in seen and not any(part in href for part in SKIPPED):
                came_from.setdefault(href, url)
                queue.append(href)
    return len(seen), problems


@pytest.fixture
def demo(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_logins=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize(
    "username",
    [
        "lanhdao.tinh",
        "tiepdan.tinh",
        "xuly.thanhtra",
        "lanhdao.muongkim",
        "tiepdan.muongkim",
        "xuly.muongkim",
        "xuly.tanphong",
        None,
    ],
)
def test_every_link_a_demo_user_follows_opens(demo: None, username: str | None) -> None:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    pages, problems = _crawl(client, ["/can-bo/", "/"] if username else ["/"])
    assert pages >= 10
    assert problems == []
