"""Public pages: Vietnamese, light, accessible, usable without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_is_vietnamese_and_accessible(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Cổng tiếp nhận và giải quyết đơn thư" in body
    assert 'href="#main"' in body and 'id="main"' in body  # skip link
    assert "38" in body  # communes since the 2025 reform
    assert response["Content-Language"] == "vi"


def test_public_pages_load_nothing_from_another_host_and_no_script(client: Client) -> None:
    for url in [
        "/",
        reverse("gov:unit_directory"),
        reverse("gov:time_limits"),
        reverse("gov:login"),
    ]:
        body = client.get(url).content.decode()
        assert "<script" not in body, url
        assert not re.search(r'(src|href)="(https?:)?//', body), url


def test_every_form_field_has_a_label(client: Client) -> None:
    checked = []
    for url in ["/", reverse("gov:unit_directory"), reverse("gov:login")]:
        body = client.get(url).content.decode()
        for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', body):
            checked.append(field_id)
            assert f'for="{field_id}"' in body, (url, field_id)
    assert {"id_username", "id_password"} <= set(checked)  # the login form was read


def test_browser_language_does_not_switch_the_portal_to_english(client: Client) -> None:
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in body


def test_visitor_can_choose_english_without_javascript(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Lai Châu citizen petitions portal" in body
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_unit_search_ignores_diacritics(client: Client) -> None:
    body = client.get(reverse("gov:unit_directory"), {"q": "ta mung"}).content.decode()
    assert "Tà Mung" in body
    assert "Mường Kim" in body


def test_unit_search_with_no_match_says_so(client: Client) -> None:
    body = client.get(reverse("gov:unit_directory"), {"q": "Không có"}).content.decode()
    assert "Không có xã, phường hoặc huyện nào" in body


def test_unit_search_keeps_what_was_typed_when_too_long(client: Client) -> None:
    typed = "x" * 80
    response = client.get(reverse("gov:unit_directory"), {"q": typed})
    assert response.status_code == 200
    assert typed in response.content.decode()


def test_unit_directory_lists_38_units_with_predecessors(client: Client) -> None:
    body = client.get(reverse("gov:unit_directory")).content.decode()
    assert body.count('<th scope="row">') == 38
    assert "Tà Mung" in body


def test_time_limits_page_shows_rules_in_force_with_sources(client: Client) -> None:
    body = client.get(reverse("gov:time_limits")).content.decode()
    assert "Luật Khiếu nại 02/2011/QH13" in body
    assert "Luật Tố cáo 25/2018/QH14" in body


def test_unknown_page_is_a_vietnamese_404(client: Client) -> None:
    response = client.get("/khong-ton-tai/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_staff_can_log_in_and_out(client: Client, django_user_model: type) -> None:
    from tests.gov.factories import staff_of

    staff_of("ubnd-xa-muong-kim", username="canbo1")
    bad = client.post(reverse("gov:login"), {"username": "canbo1", "password": "sai"})
    assert bad.status_code == 200
    assert 'value="canbo1"' in bad.content.decode()  # nothing typed is lost
    ok = client.post(reverse("gov:login"), {"username": "canbo1", "password": "secret-pass-123"})
    assert ok.status_code == 302 and ok.url == reverse("gov:staff_home")
    assert client.post(reverse("gov:logout")).status_code == 302
