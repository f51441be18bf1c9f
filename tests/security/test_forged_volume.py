"""Forged volume (issue 13, item 4): one per-address budget for the form and the API, a
honeypot, a question after a day's petitions, and mass complaints counted on senders who are
known (came through an officer, or confirmed their contact)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.models import Petition
from gov.models import AdministrativeUnit, Agency, Sector
from tests.complaints.factories import on
from tests.complaints.test_api import _payload

pytestmark = pytest.mark.django_db
SUBMIT = reverse("complaints:submit")
API_SUBMIT = reverse("complaints-api:petition-submit")
NUMBERS = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười",
]  # fmt: skip


def _step(client: Client, step: str, data: dict) -> object:
    payload = {"petition_wizard-current_step": step}
    payload.update({f"{step}-{k}": v for k, v in data.items()})
    return client.post(SUBMIT, payload)


def _to_review(client: Client, *, name: str = "Lò Văn Thử") -> object:
    """The form filled up to its last step; returns the review page."""
    client.get(SUBMIT)
    _step(
        client,
        "content",
        {
            "kind": "recommendation",
            "sector": Sector.objects.get(code="dat-dai").pk,
            "summary": "Đề nghị xem xét việc đo đạc lại ranh giới đất giữa hai hộ gia đình.",
        },
    )
    _step(
        client,
        "place",
        {
            "location_unit": AdministrativeUnit.objects.get(code="xa-muong-kim").pk,
            "receiving_agency": Agency.objects.get(code="ubnd-xa-muong-kim").pk,
        },
    )
    _step(
        client,
        "submitter",
        {
            "submitter_type": "person",
            "full_name": name,
            "phone": "0912 345 678",
            "address": "Bản 3, xã Mường Kim",
            "group_size": 1,
        },
    )
    return _step(client, "documents", {})


def _send(client: Client, **extra: str) -> object:
    return _step(client, "review", {"confirm": "on", **extra})


def _form_petition(client: Client, *, name: str = "Lò Văn Thử") -> object:
    _to_review(client, name=name)
    return _send(client)


def _answer(page: str) -> str:
    """What a person answers to the question on the page (a sum written in words)."""
    question = re.search(r"Câu hỏi: (\w+) cộng (\w+) bằng bao nhiêu\?", page)
    assert question, page
    a, b = (NUMBERS.index(w.strip()) for w in question.groups())
    return str(a + b)


# --- one budget ---------------------------------------------------------------------------------


def test_form_refuses_the_31st_submission_in_a_minute_and_keeps_what_was_typed(
    client: Client, settings: object, time_machine
) -> None:
    settings.PORTAL_SUBMIT_CHALLENGE_AFTER = 1000
    time_machine.move_to(on(2026, 3, 2, 9), tick=False)
    for n in range(30):
        assert _form_petition(client, name=f"Lò Văn Thử {n}").status_code == 302
    _to_review(client, name="Lò Thị Ba Mươi Mốt")
    refused = _send(client)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Đơn của bạn CHƯA được gửi" in page
    assert "09:01:00" in page  # when to press Send again: the next minute, in Lai Châu's time
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Lò Thị Ba Mươi Mốt" in page  # the review still shows what was typed
    assert Petition.objects.count() == 30
    time_machine.move_to(on(2026, 3, 2, 9).replace(minute=1), tick=False)
    assert _send(client).status_code == 302  # later, the same session sends it
    assert Petition.objects.filter(submitter_display="Lò Thị Ba Mươi Mốt").exists()


def test_the_api_and_the_form_spend_one_budget(
    client: Client, settings: object, time_machine
) -> None:
    settings.PORTAL_SUBMIT_RATE = "3/minute"
    time_machine.move_to(on(2026, 3, 2, 9), tick=False)
    api = APIClient()
    assert api.post(API_SUBMIT, _payload(), format="json").status_code == 201
    assert _form_petition(client).status_code == 302
    assert api.post(API_SUBMIT, _payload(), format="json").status_code == 201
    _to_review(client)
    assert _send(client).status_code == 429
    refused = api.post(API_SUBMIT, _payload(), format="json")
    assert refused.status_code == 429
    assert "Quá nhiều đơn" in refused.json()["detail"]
    other = APIClient(REMOTE_ADDR="10.9.8.7")
    assert other.post(API_SUBMIT, _payload(), format="json").status_code == 201


# --- the honeypot -------------------------------------------------------------------------------


def test_honeypot_is_hidden_by_the_stylesheet_and_labelled_to_stay_empty(client: Client) -> None:
    page = _to_review(client).content.decode()
    field = re.search(r'<div class="extra-field">(.*?)</div>', page, re.S).group(1)
    assert "Để trống ô này" in field
    assert 'tabindex="-1"' in field and 'name="review-website"' in field
    assert "style=" not in page
    css = (Path(django_settings.BASE_DIR) / "static/css/portal.css").read_text()
    assert re.search(r"\.extra-field \{[^}]*left: -10000px", css)


def test_a_filled_honeypot_is_refused_logged_and_not_stored(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    _to_review(client)
    with caplog.at_level(logging.WARNING, logger="complaints.volume"):
        refused = _send(client, website="http://spam.example")
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Một ô cần để trống đã được điền" in page
    assert "spam.example" not in page  # shown empty again, so that sending again works
    assert not Petition.objects.exists()
    assert "Honeypot" in caplog.text and "spam.example" not in caplog.text
    assert _send(client).status_code == 302
    assert Petition.objects.count() == 1


# --- the question after N a day -------------------------------------------------------------


def test_after_n_petitions_a_day_the_form_asks_a_question_without_script(
    client: Client, settings: object, time_machine
) -> None:
    settings.PORTAL_SUBMIT_CHALLENGE_AFTER = 2
    time_machine.move_to(on(2026, 3, 2, 9), tick=False)
    for _ in range(2):
        assert _form_petition(client).status_code == 302
    page = _to_review(client).content.decode()
    assert '<label for="id_challenge-answer">' in page  # a labelled text question
    assert "<script" not in page and "<img" not in page
    refused = _send(client)  # no answer
    assert refused.status_code == 400
    assert Petition.objects.count() == 2
    page = refused.content.decode()
    wrong = str((int(_answer(page)) + 1) % 19)
    refused = client.post(
        SUBMIT,
        {
            "petition_wizard-current_step": "review",
            "review-confirm": "on",
            "challenge-answer": wrong,
        },
    )
    assert refused.status_code == 400
    assert "Câu trả lời chưa đúng" in refused.content.decode()
    assert Petition.objects.count() == 2
    right = _answer(refused.content.decode())  # a new question after a wrong answer
    sent = client.post(
        SUBMIT,
        {
            "petition_wizard-current_step": "review",
            "review-confirm": "on",
            "challenge-answer": right,
        },
    )
    assert sent.status_code == 302
    assert Petition.objects.count() == 3
    time_machine.move_to(on(2026, 3, 3, 9), tick=False)
    page = _to_review(client).content.decode()
    assert "challenge-answer" not in page  # a new day starts without the question


def test_after_n_petitions_a_day_the_api_sends_the_caller_to_the_form(
    settings: object, time_machine
) -> None:
    settings.PORTAL_SUBMIT_CHALLENGE_AFTER = 2
    time_machine.move_to(on(2026, 3, 2, 22), tick=False)
    api = APIClient()
    for _ in range(2):
        assert api.post(API_SUBMIT, _payload(), format="json").status_code == 201
    refused = api.post(API_SUBMIT, _payload(), format="json")
    assert refused.status_code == 429
    assert "/gui-don/" in refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 2 * 3600  # until Lai Châu's midnight
    assert Petition.objects.count() == 2
