"""A citizen sends a petition from a phone with JavaScript turned off, then follows it."""

from __future__ import annotations

import os
import re
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
        not os.path.exists(CHROMIUM) and not IN_CI, reason="Debian's Chromium is not installed"
    ),
]


def test_petition_sent_and_followed_without_javascript(
    reference_data: None, live_server: object, browser: object
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/gui-don/")
    page.locator("input[name='content-kind'][value='feedback']").check()
    page.locator("select[name='content-sector']").select_option(label="Môi trường")
    page.locator("textarea[name='content-summary']").fill(
        "Bụi và tiếng ồn từ mỏ đá gần bản suốt đêm, đề nghị kiểm tra."
    )
    page.locator("form.petition-form button[type=submit]").first.click()
    page.locator("select[name='place-location_unit']").select_option(label="Xã Mường Kim")
    page.locator("select[name='place-receiving_agency']").select_option(
        label="Ủy ban nhân dân xã Mường Kim"
    )
    page.locator("form.petition-form button[type=submit]").first.click()
    page.locator("input[name='submitter-full_name']").fill("Lò Thị Sáu")
    page.locator("input[name='submitter-address']").fill("Bản 4, xã Mường Kim")
    page.locator("form.petition-form button[type=submit]").first.click()
    page.locator("form.petition-form button[type=submit]").first.click()  # no documents
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "petition-review-phone.png"), full_page=True)
    page.locator("input[name='review-confirm']").check()
    page.locator("form.petition-form button[type=submit]").first.click()
    text = page.locator("main").inner_text()
    code = re.search(r"LC\d\d-[0-9A-Z]{6}", text).group(0)
    secret = re.search(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b", text).group(0)
    page.screenshot(path=str(SCREENSHOTS / "petition-sent-phone.png"), full_page=True)
    page.goto(live_server.url + "/tra-cuu-don/")
    page.locator("input[name='code']").fill(code)
    page.locator("input[name='secret']").fill(secret)
    page.locator("main form button[type=submit]").click()
    assert "Ủy ban nhân dân xã Mường Kim" in page.locator("main").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "petition-status-phone.png"), full_page=True)
    context.close()
