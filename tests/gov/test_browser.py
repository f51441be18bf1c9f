"""The home page in Debian's Chromium, driven by Playwright: rendered, keyboard-usable, saved
as a screenshot in artifacts/screenshots/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import (
    CHROMIUM,
    IN_CI,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not IN_CI,
        reason="Debian's Chromium is not installed (apt-get install -y chromium)",
    ),
]


def test_home_page_renders_in_chromium(
    reference_data: None, live_server: object, page: object
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().startswith("Cổng tiếp nhận")
    # The first Tab reaches the skip link, which is then visible.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / "home-phone.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    page.set_viewport_size({"width": 1280, "height": 900})
    page.keyboard.press("Escape")
    page.screenshot(path=str(SCREENSHOTS / "home-desktop.png"), full_page=True)


def test_unit_search_works_with_the_keyboard_alone(
    reference_data: None, live_server: object, page: object
) -> None:
    page.goto(live_server.url + "/don-vi-hanh-chinh/")
    page.get_by_label("Tên xã, phường hoặc huyện cũ").fill("ta mung")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Tà Mung" in page.locator("#results-title + ul").inner_text()
