"""The Content-Security-Policy header refuses what the portal never uses (scripts from
elsewhere, inline styles, frames around it) and nothing the portal does use: a real browser,
with JavaScript on, reports no violation on the public pages, the staff pages with their charts,
the second factor's pages (its QR code is SVG drawn in the page) and the admin. The leader and
the administrator log in through the real forms, password then the demo authenticator's code."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from demo.accounts import demo_totp_code
from tests.conftest import CHROMIUM, IN_CI

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not IN_CI, reason="Debian's Chromium is not installed"
    ),
]

PUBLIC = ["/", "/gui-don/", "/tra-cuu-don/", "/lich-tiep-cong-dan/", "/doi-thoai/", "/loi-hua/"]
STAFF = ["/can-bo/", "/can-bo/don/", "/can-bo/tong-quan/", "/can-bo/hoa-giai/ket-qua/"]
ADMIN = ["/quan-tri/", "/quan-tri/gov/agency/", "/quan-tri/gov/agency/1/change/"]


def test_pages_header_and_no_violation_in_a_browser(
    reference_data: None, live_server: object, browser: object
) -> None:
    call_command("seed_demo", quiet_logins=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert "script-src 'self'" in Client().get("/").headers["Content-Security-Policy"]
    violations: list[str] = []

    def open_page() -> object:
        page = browser.new_context().new_page()
        page.on(
            "console",
            lambda m: (
                violations.append(f"{page.url}: {m.text}")
                if "Content Security Policy" in m.text
                else None
            ),
        )
        return page

    def visit(page: object, paths: list[str]) -> None:
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path

    def log_in(page: object, url: str, username: str, submit: str, code: bool = True) -> None:
        page.goto(live_server.url + url)
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "laichau-demo")
        page.locator(submit).click()
        if code:  # then the second factor: the demo authenticator's code, computed here
            page.wait_for_url("**/dang-nhap/xac-minh/**")
            page.get_by_label("Mã xác thực").fill(demo_totp_code())
            page.get_by_role("button", name="Xác minh").click()
            page.wait_for_load_state()

    visit(open_page(), PUBLIC)
    leader = open_page()
    log_in(leader, "/dang-nhap/", "lanhdao.tinh", "main form button[type=submit]")
    assert leader.url == live_server.url + "/can-bo/"
    visit(leader, STAFF)
    assert get_user_model().objects.get(username="quantri").is_staff
    admin = open_page()
    log_in(admin, "/quan-tri/login/", "quantri", "input[type=submit]")
    assert admin.url == live_server.url + "/quan-tri/"
    visit(admin, ADMIN)
    # A reception officer (second factor optional) opens the enrolment page and its QR code.
    officer = open_page()
    log_in(officer, "/dang-nhap/", "tiepdan.tinh", "main form button[type=submit]", code=False)
    visit(officer, ["/can-bo/bao-mat/", "/dang-nhap/thiet-lap-xac-thuc/"])
    assert officer.locator("svg.qr").is_visible()
    assert violations == []
