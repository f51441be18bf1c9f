"""The one staff guard (gov.guards): staff pass, anyone else is sent to log in or gets a 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from gov.guards import staff_user, staff_view
from gov.models import User
from tests.gov.factories import StaffFactory, staff_of

pytestmark = pytest.mark.django_db


@staff_view
def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"staff {staff_user(request).pk}")


def _get(user: object) -> HttpRequest:
    request = RequestFactory().get("/can-bo/thu/")
    request.user = user  # type: ignore[assignment]
    return request


def test_an_agencys_staff_and_a_superuser_pass() -> None:
    officer = staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER)
    assert page(_get(officer)).content.decode() == f"staff {officer.pk}"
    admin = StaffFactory(is_superuser=True, role="")
    assert staff_user(_get(admin)) == admin


def test_an_account_of_no_agency_gets_a_404() -> None:
    with pytest.raises(Http404):
        page(_get(StaffFactory(agency=None, role="")))


def test_a_deactivated_account_gets_a_404() -> None:
    with pytest.raises(Http404):
        staff_user(_get(staff_of("ubnd-xa-muong-kim", is_active=False)))


def test_nobody_logged_in_is_sent_to_log_in() -> None:
    response = page(_get(AnonymousUser()))
    assert response.status_code == 302
    assert "next=/can-bo/thu/" in response["Location"]
    with pytest.raises(Http404):
        staff_user(_get(AnonymousUser()))
