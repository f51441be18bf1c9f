"""The citizen's form and status page, and the officer's inbox and case page, through HTTP."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Petition, PetitionItem, Status
from gov.models import AdministrativeUnit, Agency, Sector, User
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db
SUBMIT = reverse("complaints:submit")


def _step(client: Client, step: str, data: dict, files: dict | None = None) -> object:
    payload = {"petition_wizard-current_step": step}
    payload.update({f"{step}-{k}": v for k, v in data.items()})
    if files:
        payload.update({f"{step}-{k}": v for k, v in files.items()})
    return client.post(SUBMIT, payload)


def _wizard_through(
    client: Client, *, kind: str = "recommendation", name: str = "Lò Văn Thử"
) -> object:
    sector = Sector.objects.get(code="dat-dai")
    unit = AdministrativeUnit.objects.get(code="xa-muong-kim")
    agency = Agency.objects.get(code="ubnd-xa-muong-kim")
    client.get(SUBMIT)
    r = _step(
        client,
        "content",
        {
            "kind": kind,
            "sector": sector.pk,
            "summary": "Đề nghị xem xét việc đo đạc lại ranh giới đất giữa hai hộ gia đình.",
            "denounced_person": "Ông Thử" if kind == "denunciation" else "",
        },
    )
    assert r.status_code == 200, r
    r = _step(
        client,
        "place",
        {"location_unit": unit.pk, "location_address": "Bản 3", "receiving_agency": agency.pk},
    )
    assert r.status_code == 200
    r = _step(
        client,
        "submitter",
        {
            "submitter_type": "person",
            "full_name": name,
            "phone": "0912 345 678",
            "address": "Bản 3, xã Mường Kim",
            "email": "dan@example.com",
            "group_size": 1,
        },
    )
    assert r.status_code == 200
    r = _step(client, "documents", {})
    assert r.status_code == 200
    assert name in r.content.decode()  # the review shows what was typed
    return _step(client, "review", {"confirm": "on"})


def test_citizen_sends_a_petition_and_gets_code_and_secret(
    client: Client, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _wizard_through(client)
    assert response.status_code == 302 and response.url == reverse("complaints:sent")
    page = client.get(response.url).content.decode()
    code = re.search(r"LC\d\d-[0-9A-Z]{6}", page).group(0)
    secret = re.search(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b", page).group(0)
    # Neither wraps at its dashes on a narrow phone (issue 18, item 9).
    assert f'<span class="code">{code}</span>' in page
    assert f'<span class="code">{secret}</span>' in page
    petition = Petition.objects.get(code=code)
    assert petition.channel == "online"
    assert petition.items.get().agency.code == "ubnd-xa-muong-kim"
    assert (
        len(mail.outbox) == 1 and code in mail.outbox[0].body and secret not in mail.outbox[0].body
    )
    # The secret is shown once: reloading the page does not show it again.
    assert secret not in client.get(reverse("complaints:sent"), follow=True).content.decode()


def test_wizard_errors_are_vietnamese_and_keep_what_was_typed(client: Client) -> None:
    client.get(SUBMIT)
    r = _step(client, "content", {"kind": "complaint", "summary": "Ngắn"})
    body = r.content.decode()
    assert r.status_code == 200
    assert "Ngắn" in body  # kept
    assert 'aria-invalid="true"' in body
    assert "khiếu nại" in body.lower()


def test_wizard_goes_back_without_losing_data(client: Client) -> None:
    sector = Sector.objects.get(code="moi-truong")
    client.get(SUBMIT)
    _step(
        client,
        "content",
        {
            "kind": "feedback",
            "sector": sector.pk,
            "summary": "Khói bụi từ mỏ đá gây ô nhiễm cho cả bản.",
        },
    )
    back = client.post(
        SUBMIT, {"petition_wizard-current_step": "place", "wizard_goto_step": "content"}
    )
    assert "Khói bụi từ mỏ đá" in back.content.decode()


def test_wizard_second_item_makes_a_mixed_petition(client: Client) -> None:
    sector = Sector.objects.get(code="dat-dai")
    client.get(SUBMIT)
    _step(
        client,
        "content",
        {
            "kind": "complaint",
            "sector": sector.pk,
            "another_item": "on",
            "summary": "Khiếu nại quyết định thu hồi đất không đúng diện tích thực tế.",
            "contested_decision": "Quyết định 12/QĐ-UBND",
        },
    )
    _step(
        client,
        "second",
        {
            "kind": "recommendation",
            "sector": sector.pk,
            "summary": "Kiến nghị công khai phương án bồi thường cho người dân.",
        },
    )
    _step(
        client,
        "place",
        {
            "location_unit": AdministrativeUnit.objects.get(code="phuong-tan-phong").pk,
            "receiving_agency": Agency.objects.get(code="ubnd-phuong-tan-phong").pk,
        },
    )
    _step(
        client,
        "submitter",
        {"submitter_type": "person", "full_name": "Nguyễn Thị Hai", "address": "Tân Phong"},
    )
    _step(client, "documents", {})
    r = _step(client, "review", {"confirm": "on"})
    assert r.status_code == 302
    petition = Petition.objects.latest("id")
    assert sorted(petition.items.values_list("kind", flat=True)) == ["complaint", "recommendation"]


def test_status_page_shows_public_timeline_with_code_and_secret(client: Client) -> None:
    _wizard_through(client)
    page = client.get(reverse("complaints:sent")).content.decode()
    code = re.search(r"LC\d\d-[0-9A-Z]{6}", page).group(0)
    secret = re.search(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b", page).group(0)
    fresh = Client()
    wrong = fresh.post(
        reverse("complaints:status"), {"code": code, "secret": "AAAA-AAAA"}
    ).content.decode()
    assert "Ủy ban nhân dân xã Mường Kim" not in wrong
    ok = fresh.post(
        reverse("complaints:status"), {"code": code.lower(), "secret": secret.replace("-", "")}
    )
    body = ok.content.decode()
    assert "Ủy ban nhân dân xã Mường Kim" in body
    assert "Lò Văn Thử" not in body
    assert ok["Cache-Control"] == "no-store"


def test_status_page_limits_guessing(client: Client, settings: object) -> None:
    settings.PORTAL_STATUS_ATTEMPTS_PER_HOUR = 3
    for _ in range(3):
        client.post(reverse("complaints:status"), {"code": "LC26-AAAAAA", "secret": "AAAA-AAAA"})
    body = client.post(
        reverse("complaints:status"), {"code": "LC26-AAAAAA", "secret": "AAAA-AAAA"}
    ).content.decode()
    assert "vượt quá số lần thử" in body


def _officer_client(agency: str, role: str = User.Role.RECEPTION_OFFICER) -> tuple[Client, User]:
    user = staff_of(agency, role)
    client = Client()
    client.force_login(user)
    return client, user


def test_counter_intake_backdated_is_recorded(client: Client) -> None:
    officer_client, officer = _officer_client("ubnd-xa-muong-kim")
    sector = Sector.objects.get(code="chinh-sach-xa-hoi")
    r = officer_client.post(
        reverse("complaints:intake"),
        {
            "channel": "counter",
            "received_on": "05/04/2025",
            "receiving_agency": officer.agency_id,
            "location_unit": AdministrativeUnit.objects.get(code="xa-muong-kim").pk,
            "submitter_type": "person",
            "full_name": "Lường Văn Bốn",
            "address": "Bản 2",
            "kind": "recommendation",
            "sector": sector.pk,
            "summary": "Đề nghị xem xét chế độ trợ cấp cho người cao tuổi trong bản.",
            "is_signed": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    petition = Petition.objects.latest("id")
    assert petition.received_on == dt.date(2025, 4, 5)  # dd/mm/yyyy: 5 April
    assert petition.is_backdated and petition.recorded_by == officer
    assert "05/04/2025" in petition.events.get(kind="received").note


def test_inbox_is_scoped_and_filters(client: Client) -> None:
    _wizard_through(client)
    mk_client, _ = _officer_client("ubnd-xa-muong-kim")
    tp_client, _ = _officer_client("ubnd-phuong-tan-phong")
    assert (
        "Đề nghị xem xét việc đo đạc" in mk_client.get(reverse("complaints:inbox")).content.decode()
    )
    assert (
        "Đề nghị xem xét việc đo đạc"
        not in tp_client.get(reverse("complaints:inbox")).content.decode()
    )
    item = PetitionItem.objects.latest("id")
    assert tp_client.get(reverse("complaints:case", args=[item.pk])).status_code == 404
    found = mk_client.get(reverse("complaints:inbox"), {"q": "do dac ranh gioi"}).content.decode()
    assert "Đề nghị xem xét việc đo đạc" in found
    none = mk_client.get(reverse("complaints:inbox"), {"kind": "denunciation"}).content.decode()
    assert "Đề nghị xem xét việc đo đạc" not in none


def _bulk_items(n: int) -> None:
    agency = Agency.objects.get(code="ubnd-xa-muong-kim")
    unit = agency.unit
    sector = Sector.objects.get(code="dat-dai")
    start = Petition.objects.count()
    petitions = Petition.objects.bulk_create(
        Petition(
            code=f"LCXX-{start + i:06d}",
            secret_hash="x",
            channel="online",
            received_on=dt.date(2026, 1, 5),
            receiving_agency=agency,
            content="Nội dung",
            location_unit=unit,
            unit=unit,
            submitter_display=f"Người {i}",
        )
        for i in range(n)
    )
    PetitionItem.objects.bulk_create(
        PetitionItem(
            petition=p,
            kind="feedback",
            sector=sector,
            summary="Phản ánh đường hỏng",
            agency=agency,
            scope_path=unit.path,
            started_on=dt.date(2026, 1, 5),
            received_on=p.received_on,
            place_commune=unit,
            due_on=dt.date(2026, 1, 20),
        )
        for p in petitions
    )


@pytest.mark.slow  # writes 10,000 items
def test_inbox_runs_the_same_queries_for_10_rows_as_for_10000() -> None:
    client, _ = _officer_client("ubnd-xa-muong-kim", User.Role.LEADER)
    _bulk_items(10)
    client.get(reverse("complaints:inbox"))  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("complaints:inbox")).status_code == 200
    _bulk_items(9990)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("complaints:inbox"), {"overdue": "true"})
    assert response.status_code == 200
    assert "10000" in response.content.decode().replace(".", "").replace(",", "")
    assert len(large) == len(small)
    # Past 10,000 the inbox stops counting: it says "more than 10,000" and offers 200 pages.
    _bulk_items(1)
    with CaptureQueriesContext(connection) as capped:
        response = client.get(reverse("complaints:inbox"), {"overdue": "true", "page": "999"})
    page = response.content.decode()
    assert "Hơn 10.000 mục" in page and "Trang 200/200" in page
    assert len(capped) == len(small)


def test_case_page_actions_accept_and_refuse(client: Client) -> None:
    _wizard_through(client)
    item = PetitionItem.objects.latest("id")
    officer_client, _ = _officer_client("ubnd-xa-muong-kim", User.Role.LEADER)
    handler = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)
    page = officer_client.get(reverse("complaints:case", args=[item.pk])).content.decode()
    assert "Lò Văn Thử" in page  # not protected: the agency sees the name
    r = officer_client.post(
        reverse("complaints:case_action", args=[item.pk, "accept"]),
        {"accept-handler": handler.pk, "accept-accepted_on": "not a date"},
    )
    assert r.status_code == 400 and "not a date" in r.content.decode()
    r = officer_client.post(reverse("complaints:case_action", args=[item.pk, "start-verification"]))
    assert r.status_code == 400  # received → verifying is not a legal move
    item.refresh_from_db()
    assert item.status == Status.RECEIVED
    today = dt.date.today().strftime("%d/%m/%Y")
    r = officer_client.post(
        reverse("complaints:case_action", args=[item.pk, "accept"]),
        {"accept-handler": handler.pk, "accept-accepted_on": today},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED and item.handler == handler


def test_transfer_from_the_case_page_writes_a_letter(client: Client) -> None:
    client.get(SUBMIT)
    sector = Sector.objects.get(code="dat-dai")
    _step(
        client,
        "content",
        {
            "kind": "recommendation",
            "sector": sector.pk,
            "summary": "Kiến nghị cấp giấy chứng nhận quyền sử dụng đất cho các hộ trong bản.",
        },
    )
    _step(
        client,
        "place",
        {
            "location_unit": AdministrativeUnit.objects.get(code="xa-muong-kim").pk,
            "receiving_agency": Agency.objects.get(code="ban-tiep-cong-dan-tinh").pk,
        },
    )
    _step(
        client,
        "submitter",
        {"submitter_type": "person", "full_name": "Tòng Văn Năm", "address": "Bản 1"},
    )
    _step(client, "documents", {})
    _step(client, "review", {"confirm": "on"})
    item = PetitionItem.objects.latest("id")
    assert item.is_skip_level
    board_client, _ = _officer_client("ban-tiep-cong-dan-tinh")
    page = board_client.get(reverse("complaints:case", args=[item.pk])).content.decode()
    assert "Ủy ban nhân dân xã Mường Kim" in page  # the proposal
    r = board_client.post(
        reverse("complaints:case_action", args=[item.pk, "transfer"]),
        {"transfer-target": Agency.objects.get(code="ubnd-xa-muong-kim").pk},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.TRANSFERRED
    letter = item.letters.get()
    assert board_client.get(reverse("complaints:letter", args=[letter.pk])).status_code == 200
    other, _ = _officer_client("ubnd-phuong-tan-phong")
    assert other.get(reverse("complaints:letter", args=[letter.pk])).status_code == 404
    # The commune the item was sent to receives the letter: its new item's page links to it,
    # and the link opens (a link to a page that answers 404 is a dead end).
    received = PetitionItem.objects.get(transferred_from=item)
    commune, _ = _officer_client("ubnd-xa-muong-kim")
    page = commune.get(reverse("complaints:case", args=[received.pk])).content.decode()
    assert reverse("complaints:letter", args=[letter.pk]) in page
    letter_page = commune.get(reverse("complaints:letter", args=[letter.pk]))
    assert letter_page.status_code == 200
    # Its way back leads to the commune's own item, not to the board's (a 404 for it).
    assert reverse("complaints:case", args=[received.pk]) in letter_page.content.decode()
    assert reverse("complaints:case", args=[item.pk]) not in letter_page.content.decode()


def test_the_handler_choice_names_people_and_titles_handlers_first(client: Client) -> None:
    """Issue 18, item 3: "Thụ lý giải quyết" lists people by name and title, never by login,
    the agency's handlers before its leaders, and a prompt instead of "---------"."""
    _wizard_through(client)
    item = PetitionItem.objects.latest("id")
    leader_client, leader = _officer_client("ubnd-xa-muong-kim", User.Role.LEADER)
    User.objects.filter(pk=leader.pk).update(
        first_name="Lò", last_name="Văn Pâng", position="Chủ tịch UBND xã"
    )
    handler = staff_of(
        "ubnd-xa-muong-kim",
        User.Role.HANDLER,
        first_name="Lường",
        last_name="Văn Chiến",
        position="Công chức Địa chính",
    )
    page = leader_client.get(reverse("complaints:case", args=[item.pk])).content.decode()
    select = re.search(r'<select name="[^"]*handler"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))
    assert options[0] == "— chọn người thụ lý —"
    assert options[1:] == [
        "Lường Văn Chiến – Công chức Địa chính",
        "Lò Văn Pâng – Chủ tịch UBND xã",
    ]
    assert handler.username not in select.group(1) and leader.username not in select.group(1)
