"""Forged volume (issue 13, item 4): one per-address budget for the form and the API, a
honeypot, a question after a day's petitions, and mass complaints counted on senders who are
known (came through an officer, or confirmed their contact)."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from complaints import volume
from complaints.models import Channel, Hotspot, ItemEvent, Petition, PetitionItem
from gov.models import AdministrativeUnit, Agency, Notification, Sector, User
from tests.complaints.factories import (
    ItemDataFactory,
    SubmitterDataFactory,
    on,
    sector,
    submit,
)
from tests.complaints.test_api import _payload
from tests.gov.factories import staff_of

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


def _to_review(client: Client, *, name: str = "Lò Văn Thử", phone: str = "0912 345 678") -> object:
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
            "phone": phone,
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
    client: Client, time_machine
) -> None:
    """Every press of Send counts, as every request to the API does: three petitions sent,
    then 27 presses without the confirmation box ticked (the page asks for it). Few requests,
    so that the minute's counter, which Redis expires in real time, outlives a slow run."""
    time_machine.move_to(on(2026, 3, 2, 9), tick=False)
    for n in range(3):
        assert _form_petition(client, name=f"Lò Văn Thử {n}").status_code == 302
    _to_review(client, name="Lò Thị Ba Mươi Mốt")
    for _ in range(27):
        assert _step(client, "review", {}).status_code == 200  # the box is not ticked
    refused = _send(client)  # the 31st press in the minute
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Đơn của bạn CHƯA được gửi" in page
    assert "09:01:00" in page  # when to press Send again: the next minute, in Lai Châu's time
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Lò Thị Ba Mươi Mốt" in page  # the review still shows what was typed
    assert Petition.objects.count() == 3
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


# --- mass complaints and hotspots count known senders ----------------------------------------

MINE = [
    "Mỏ đá bản Nà Phát nổ mìn làm nứt nhà, bụi phủ ruộng lúa của các hộ dân",
    "Mỏ đá ở bản Nà Phát nổ mìn gây nứt tường nhà, bụi bám ruộng lúa",
    "Nổ mìn tại mỏ đá bản Nà Phát làm nứt nhà và bụi phủ kín ruộng lúa",
    "Mỏ đá Nà Phát nổ mìn làm nứt nhà dân, bụi làm hỏng ruộng lúa",
    "Đề nghị xử lý mỏ đá bản Nà Phát nổ mìn làm nứt nhà, bụi phủ ruộng lúa",
    "Mỏ đá bản Nà Phát tiếp tục nổ mìn làm nứt nhà, bụi phủ lên ruộng lúa",
    "Mỏ đá bản Nà Phát nổ mìn suốt ngày làm nứt nhà, bụi phủ ruộng lúa",
    "Mỏ đá bản Nà Phát nổ mìn làm nứt nhà, bụi phủ trắng ruộng lúa của dân",
]
INVENTED = ["Nguyễn Văn A", "Trần Thị B", "Lê Văn C", "Phạm Thị D", "Hoàng Văn E"]


@pytest.fixture
def mk() -> SimpleNamespace:
    return SimpleNamespace(
        leader=staff_of("ubnd-xa-muong-kim", User.Role.LEADER),
        officer=staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER),
    )


def _about_the_mine(
    n: int, *, name: str, by: User | None = None, phone: str = "", **fields: object
) -> Petition:
    person = SubmitterDataFactory(full_name=name, **({"phone": phone} if phone else {}))
    if by is not None:
        fields.setdefault("channel", Channel.COUNTER)
    return submit(
        by=by,
        content=MINE[n],
        items=[ItemDataFactory(sector=sector("moi-truong"), summary="Ô nhiễm do mỏ đá")],
        submitters=[person],
        **fields,
    ).petition


def _nothing_raised(leader: User) -> None:
    assert not Hotspot.objects.exists()
    assert not PetitionItem.objects.filter(is_mass=True).exists()
    assert not Petition.objects.filter(is_mass=True).exists()
    assert not Notification.objects.filter(recipient=leader).exists()


def test_five_online_petitions_with_invented_names_raise_no_mass_complaint_or_hotspot(
    client: Client, mk: SimpleNamespace, django_capture_on_commit_callbacks
) -> None:
    """The attack as reproduced: five petitions through the public form, five invented names
    and phone numbers, the same matter about one commune."""
    with django_capture_on_commit_callbacks(execute=True):
        for n, name in enumerate(INVENTED):
            _to_review(client, name=name, phone=f"0912 000 10{n}")
            assert _send(client).status_code == 302
    assert Petition.objects.count() == 5
    _nothing_raised(mk.leader)


def test_five_anonymous_online_petitions_through_the_api_raise_nothing(
    mk: SimpleNamespace, django_capture_on_commit_callbacks
) -> None:
    api = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        for n, name in enumerate(INVENTED):
            payload = _payload(
                content=MINE[n],
                contact_phone="",
                submitters=[{"full_name": name, "phone": f"0912 000 20{n}"}],
                items=[{"kind": "recommendation", "sector": "moi-truong", "summary": MINE[n]}],
            )
            assert api.post(API_SUBMIT, payload, format="json").status_code == 201
    _nothing_raised(mk.leader)


@pytest.mark.parametrize(
    "channels",
    [
        [Channel.COUNTER] * 5,
        [Channel.POST, Channel.COUNTER, Channel.RECEPTION_SESSION, Channel.POST, Channel.COUNTER],
    ],
)
def test_five_petitions_recorded_by_officers_raise_a_mass_complaint_and_a_hotspot(
    mk: SimpleNamespace, channels: list[str], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n, channel in enumerate(channels):
            _about_the_mine(n, name=INVENTED[n], by=mk.officer, channel=channel)
    hotspot = Hotspot.objects.get()
    assert (hotspot.size, hotspot.unverified) == (5, 0)
    assert PetitionItem.objects.filter(is_mass=True).count() == 5
    assert Notification.objects.get(recipient=mk.leader).kind == "hotspot"


def test_five_officer_recorded_petitions_of_one_person_are_not_a_mass_complaint(
    mk: SimpleNamespace,
) -> None:
    """Distinct senders: the same person (name and phone) five times is one sender."""
    for n in range(5):
        _about_the_mine(n, name="Nguyễn Văn A", phone="0912 000 999", by=mk.officer)
    assert not Hotspot.objects.exists()


def _confirm_link(message: object) -> str:
    link = re.search(r"https?://\S+/gui-don/xac-nhan-lien-he/\S+/", message.body)
    assert link, message.body
    return "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]


def test_five_online_petitions_whose_senders_confirm_their_email_raise_a_hotspot(
    client: Client, mk: SimpleNamespace, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n, name in enumerate(INVENTED):
            _about_the_mine(n, name=name, contact_email=f"dan{n}@example.vn")
    _nothing_raised(mk.leader)
    assert len(mail.outbox) == 5
    links = [_confirm_link(m) for m in mail.outbox]
    page = client.get(links[0])  # opening the link (a mail scanner does) confirms nothing
    assert page.status_code == 200 and "Xác nhận" in page.content.decode()
    assert not Petition.objects.filter(contact_verified_at__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        for link in links[:4]:
            assert client.post(link).status_code == 200
    assert not Hotspot.objects.exists()  # four known senders, one unverified
    assert Petition.objects.filter(contact_verified_at__isnull=False).count() == 4
    event = ItemEvent.objects.filter(kind=ItemEvent.Kind.CONTACT_VERIFIED).first()
    assert event.data["how"] == "email" and event.actor is None
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(links[4])
    assert "đã được xác nhận" in done.content.decode()
    hotspot = Hotspot.objects.get()
    assert (hotspot.size, hotspot.unverified) == (5, 0)
    assert PetitionItem.objects.filter(is_mass=True).count() == 5
    assert Notification.objects.get(recipient=mk.leader).kind == "hotspot"
    assert client.post(links[4]).status_code == 200  # a second press changes nothing
    assert ItemEvent.objects.filter(kind=ItemEvent.Kind.CONTACT_VERIFIED).count() == 5


def test_a_forged_or_expired_confirmation_link_is_refused(
    client: Client, settings: object, time_machine
) -> None:
    time_machine.move_to(on(2026, 3, 2, 9), tick=False)
    petition = _about_the_mine(0, name="Nguyễn Văn A", contact_email="a@example.vn")
    link = reverse("complaints:contact_confirm", args=[volume.contact_token(petition.pk)])
    forged = link.replace("/xac-nhan-lien-he/", "/xac-nhan-lien-he/x")
    assert client.post(forged).status_code == 404
    time_machine.move_to(on(2026, 4, 2, 9), tick=False)  # past the 30 days
    refused = client.post(link)
    assert refused.status_code == 404
    assert "không hợp lệ hoặc đã hết hạn" in refused.content.decode()
    assert Petition.objects.get().contact_verified_at is None


def test_an_officer_confirms_a_senders_contact_from_the_case_page(
    client: Client, mk: SimpleNamespace, django_capture_on_commit_callbacks
) -> None:
    for n in range(4):
        _about_the_mine(n, name=INVENTED[n], by=mk.officer)
    online = _about_the_mine(4, name=INVENTED[4])
    item = online.items.get()
    client.force_login(mk.officer)
    page = client.get(reverse("complaints:case", args=[item.pk])).content.decode()
    assert "chưa xác nhận liên hệ" in page
    action = reverse("complaints:case_action", args=[item.pk, "contact"])
    assert client.post(action, {"contact-note": ""}).status_code == 400  # how, is required
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, {"contact-note": "Đã gọi số 0912 000 104, đúng người."})
    assert response.status_code == 302
    event = item.events.get(kind=ItemEvent.Kind.CONTACT_VERIFIED)
    assert (event.actor, event.data["how"]) == (mk.officer, "officer")
    assert Hotspot.objects.get().size == 5
    assert Notification.objects.filter(recipient=mk.leader, kind="hotspot").count() == 1


# --- the unverified, beside the count ---------------------------------------------------------


def test_unverified_online_petitions_are_shown_beside_the_count(
    client: Client, mk: SimpleNamespace, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            _about_the_mine(n, name=f"Người lạ {n}")
        for n in range(2, 7):
            _about_the_mine(n, name=INVENTED[n - 2], by=mk.officer)
    hotspot = Hotspot.objects.get()
    assert (hotspot.size, hotspot.unverified) == (5, 2)
    beside = "và 2 đơn trực tuyến chưa xác minh"
    title = Notification.objects.get(recipient=mk.leader).title
    assert "5 đơn" in title and beside in title
    flag = ItemEvent.objects.filter(kind=ItemEvent.Kind.FLAGGED, data__flag="mass").first()
    assert "5 đơn" in flag.note and beside in flag.note
    assert PetitionItem.objects.filter(is_mass=True).count() == 5  # the two are not flagged
    client.force_login(mk.leader)
    overview = client.get(reverse("dashboard:overview")).content.decode()
    assert re.search(
        r'dash-number">5</strong>\s*<span>[^<]*</span></a>\s*<span class="dash-note">' + beside,
        overview,
    )
    # One more unverified petition: counted beside the open hotspot, not in it.
    _about_the_mine(7, name="Người lạ 7")
    hotspot.refresh_from_db()
    assert (hotspot.size, hotspot.unverified) == (5, 3)
    assert PetitionItem.objects.filter(is_mass=True).count() == 5
    overview = client.get(reverse("dashboard:overview")).content.decode()
    assert "và 3 đơn trực tuyến chưa xác minh" in overview
