"""Item 6 of issue 13: an audit trail that someone reads.

Logins (and failures), logouts, case views, searches (the term hashed), exports and identity
reveals are written to the append-only log; the Inspectorate and an agency's leaders read it on
/can-bo/nhat-ky/ with filters and an export (itself audited); an account that reveals or exports
too much in a day raises one alert; staff searches leave no term in an address; staff pages, the
API's items and the admin are never stored by a browser or a proxy.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from complaints.confidentiality import identity_for
from complaints.models import PetitionItem
from demo.accounts import DEMO_PASSWORD, demo_seed
from gov.audit import audit_record, digest
from gov.models import AuditRecord, Notification, User
from tests.complaints.factories import ItemDataFactory, Kind, agency, muong_kim_staff, submit
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db

TERM = "Phiêng Cằm ruộng bậc thang"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _kinds(**filters: object) -> list[str]:
    return list(AuditRecord.objects.filter(**filters).order_by("id").values_list("kind", flat=True))


def _denunciation() -> PetitionItem:
    return submit(
        items=[
            ItemDataFactory(
                kind=Kind.DENUNCIATION,
                denounced_person="Công chức địa chính xã",
                denounced_agency=agency("ubnd-xa-muong-kim"),
            )
        ]
    ).petition.items.get()


# --- logins -------------------------------------------------------------------------------------


def test_login_failed_login_and_logout_are_recorded_without_the_password() -> None:
    demo_seed()
    client = Client(REMOTE_ADDR="198.51.100.4")
    login = reverse("gov:login")
    client.post(login, {"username": "xuly.muongkim", "password": "wrong-password-1"})
    client.post(login, {"username": "nobody.here", "password": "wrong-password-2"})
    client.post(login, {"username": "xuly.muongkim", "password": DEMO_PASSWORD})
    client.post(reverse("gov:logout"))
    handler = User.objects.get(username="xuly.muongkim")
    failed = AuditRecord.objects.filter(kind=AuditRecord.Kind.LOGIN_FAILED).order_by("id")
    assert [(r.username, r.actor_id, r.ip) for r in failed] == [
        ("xuly.muongkim", None, "198.51.100.4"),
        ("nobody.here", None, "198.51.100.4"),
    ]
    # The commune's leaders read the failure on their handler's account.
    assert failed[0].agency == handler.agency
    assert _kinds(actor=handler) == [AuditRecord.Kind.LOGIN, AuditRecord.Kind.LOGOUT]
    for record in AuditRecord.objects.all():
        assert "wrong-password" not in str(record.data) + record.username
        assert DEMO_PASSWORD not in str(record.data)


# --- case views, reveals ------------------------------------------------------------------------


def test_case_page_and_api_item_are_recorded_as_case_views_and_reveals() -> None:
    mk = muong_kim_staff()
    item = _denunciation()
    client = _client(mk.handler)
    assert client.get(reverse("complaints:case", args=[item.pk])).status_code == 200
    assert client.get(f"/api/v1/items/{item.pk}/").status_code == 200
    views = AuditRecord.objects.filter(kind=AuditRecord.Kind.CASE_VIEW, actor=mk.handler)
    assert views.count() == 2
    assert {(r.subject_type, r.subject_id) for r in views} == {
        ("complaints.petitionitem", str(item.pk))
    }
    reveals = AuditRecord.objects.filter(kind=AuditRecord.Kind.IDENTITY_REVEAL, actor=mk.handler)
    assert sorted(r.data["purpose"] for r in reveals) == ["api", "case page"]
    assert {r.subject_id for r in reveals} == {str(item.petition_id)}


def test_viewing_another_agencys_case_concerns_that_agency() -> None:
    item = submit(receiving_agency=agency("ubnd-xa-muong-kim")).petition.items.get()
    provincial = staff_of("ubnd-tinh", User.Role.LEADER)
    _client(provincial).get(reverse("complaints:case", args=[item.pk]))
    record = AuditRecord.objects.get(kind=AuditRecord.Kind.CASE_VIEW)
    assert record.actor_agency == provincial.agency
    assert record.agency == item.agency


def test_a_masked_identity_is_not_a_reveal() -> None:
    item = _denunciation()
    other = staff_of("ubnd-phuong-tan-phong", User.Role.HANDLER)
    identity_for(other, item.petition, purpose="case page")
    assert not AuditRecord.objects.filter(kind=AuditRecord.Kind.IDENTITY_REVEAL).exists()


# --- searches -----------------------------------------------------------------------------------


def test_inbox_search_posts_and_no_address_carries_the_term() -> None:
    mk = muong_kim_staff()
    item = submit(items=[ItemDataFactory(summary=f"Tranh chấp {TERM} giữa hai hộ")]).petition
    client = _client(mk.handler)
    response = client.post(
        reverse("complaints:inbox"), {"q": TERM, "open_only": "", "kind": ""}, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert item.code in body  # found
    assert 'method="post"' in body
    # The request lines an access log would write: the post, then the address it led to.
    lines = [f"POST {reverse('complaints:inbox')}"] + [
        f"GET {url}" for url, _status in response.redirect_chain
    ]
    for line in lines:
        for word in ("Phi", "ruộng", "ru%E1%BB%99ng", "Ph%C3%AA", "bậc", "thang"):
            assert word not in line, line
    assert "s=" in response.redirect_chain[-1][0]
    # The pagination links carry the token too, never the term.
    assert "thang" not in response.context["query"]
    record = AuditRecord.objects.get(kind=AuditRecord.Kind.SEARCH)
    assert record.data == {"q": digest(TERM), "where": "inbox"}
    assert "thang" not in str(record.data)


def test_a_search_token_of_another_session_finds_nothing_and_says_so() -> None:
    mk = muong_kim_staff()
    client = _client(mk.handler)
    response = client.get(reverse("complaints:inbox"), {"s": "not-a-token"})
    assert response.status_code == 200
    assert "hết hạn" in response.content.decode()


def test_an_empty_search_keeps_the_other_filters_in_the_address() -> None:
    mk = muong_kim_staff()
    response = _client(mk.handler).post(
        reverse("complaints:inbox"), {"q": "", "kind": "denunciation", "open_only": ""}
    )
    assert response.status_code == 302
    assert "kind=denunciation" in response.url and "open_only=" in response.url
    assert "s=" not in response.url
    assert not AuditRecord.objects.filter(kind=AuditRecord.Kind.SEARCH).exists()


def test_api_search_is_recorded_hashed() -> None:
    mk = muong_kim_staff()
    _client(mk.handler).get("/api/v1/items/", {"q": TERM})
    record = AuditRecord.objects.get(kind=AuditRecord.Kind.SEARCH)
    assert record.data == {"q": digest(TERM), "where": "api"}


# --- exports ------------------------------------------------------------------------------------

EXPORTS = [
    ("reception:log", {"format": "xlsx"}),
    ("reception:compliance", {"format": "xlsx"}),
    ("reception:compliance", {"format": "csv"}),
    ("dialogues:commitments", {"format": "xlsx"}),
    ("dialogues:commitments", {"format": "csv"}),
    ("dashboard:overview", {"format": "xlsx"}),
    ("dashboard:overview", {"format": "csv"}),
    ("gov:audit_log", {"format": "xlsx"}),
    ("gov:audit_log", {"format": "csv"}),
]


@pytest.mark.parametrize(("url_name", "params"), EXPORTS)
def test_every_export_of_the_portal_is_recorded(url_name: str, params: dict) -> None:
    leader = staff_of("thanh-tra-tinh", User.Role.LEADER)
    audit_record(kind=AuditRecord.Kind.LOGIN, actor=leader)  # the log has a row to export
    response = _client(leader).get(reverse(url_name), params)
    assert response.status_code == 200, url_name
    assert response["Content-Disposition"].startswith("attachment")
    record = AuditRecord.objects.get(kind=AuditRecord.Kind.EXPORT)
    assert record.actor == leader
    assert record.data["file"].endswith("." + params["format"])
    assert record.data["path"] == reverse(url_name)


# --- the page -----------------------------------------------------------------------------------


@pytest.fixture
def records() -> dict[str, AuditRecord]:
    mk = muong_kim_staff()
    tp = staff_of("ubnd-phuong-tan-phong", User.Role.HANDLER)
    return {
        "mk": audit_record(kind=AuditRecord.Kind.LOGIN, actor=mk.handler),
        "tp": audit_record(kind=AuditRecord.Kind.LOGIN, actor=tp),
        "concerning_mk": audit_record(
            kind=AuditRecord.Kind.CASE_VIEW, actor=tp, agency=mk.handler.agency
        ),
    }


def _listed(user: User, **params: object) -> set[int]:
    response = _client(user).get(reverse("gov:audit_log"), params)
    assert response.status_code == 200
    return {r.pk for r, _d in response.context["rows"]}


def test_inspectorate_reads_the_whole_log(records: dict[str, AuditRecord]) -> None:
    inspector = staff_of("thanh-tra-tinh", User.Role.HANDLER)
    assert {r.pk for r in records.values()} <= _listed(inspector)


def test_agency_leaders_read_their_staff_and_what_concerns_them(
    records: dict[str, AuditRecord],
) -> None:
    leader = User.objects.get(agency__code="ubnd-xa-muong-kim", role=User.Role.LEADER)
    listed = _listed(leader)
    own = set(AuditRecord.objects.filter(actor=leader).values_list("pk", flat=True))
    assert listed == {records["mk"].pk, records["concerning_mk"].pk} | own


@pytest.mark.parametrize(
    ("agency_code", "role"),
    [
        ("ubnd-xa-muong-kim", User.Role.HANDLER),
        ("ubnd-tinh", User.Role.RECEPTION_OFFICER),
        ("thanh-tra-tinh", User.Role.RECEPTION_OFFICER),
        ("van-phong-ubnd-tinh", User.Role.ADMINISTRATOR),
    ],
)
def test_others_do_not_read_the_log(agency_code: str, role: str) -> None:
    """The page exists for every agency's leaders: others are told whose it is (issue 18,
    item 7), and see no record."""
    response = _client(staff_of(agency_code, role)).get(reverse("gov:audit_log"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Thanh tra" in body or "Inspectorate" in body
    assert "<table" not in body


def test_filters_by_kind_account_dates_and_agency(
    records: dict[str, AuditRecord], time_machine
) -> None:
    inspector = staff_of("thanh-tra-tinh", User.Role.HANDLER)
    assert _listed(inspector, kind="case_view") == {records["concerning_mk"].pk}
    assert _listed(inspector, username=records["mk"].username) == {records["mk"].pk}
    mk_agency = records["mk"].actor_agency
    assert _listed(inspector, agency=mk_agency.pk) == {
        records["mk"].pk,
        records["concerning_mk"].pk,
    }
    day = records["mk"].at.date()
    assert records["mk"].pk in _listed(inspector, at_after=day.isoformat())
    assert not _listed(inspector, at_before="2020-01-01")


def test_a_filter_value_that_cannot_be_used_is_a_message_not_a_500(
    records: dict[str, AuditRecord],
) -> None:
    inspector = staff_of("thanh-tra-tinh", User.Role.HANDLER)
    response = _client(inspector).get(reverse("gov:audit_log"), {"kind": "coffee", "at_after": "x"})
    assert response.status_code == 200
    assert not response.context["rows"]
    assert response.context["refused"] is True
    assert "không dùng được" in response.content.decode()


def test_the_page_is_in_vietnamese_and_lists_in_a_fixed_number_of_queries(
    records: dict[str, AuditRecord], django_assert_max_num_queries
) -> None:
    inspector = staff_of("thanh-tra-tinh", User.Role.HANDLER)
    client = _client(inspector)
    body = client.get(reverse("gov:audit_log")).content.decode()
    assert "Nhật ký" in body and "Đăng nhập" in body
    for _ in range(60):
        audit_record(kind=AuditRecord.Kind.LOGIN, actor=inspector)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("gov:audit_log")).status_code == 200


def test_a_leader_filters_only_by_the_own_agency(records: dict[str, AuditRecord]) -> None:
    leader = User.objects.get(agency__code="ubnd-xa-muong-kim", role=User.Role.LEADER)
    other = agency("ubnd-phuong-tan-phong")
    response = _client(leader).get(reverse("gov:audit_log"), {"agency": other.pk})
    assert not response.context["rows"]


# --- alerts -------------------------------------------------------------------------------------


def test_too_many_reveals_in_a_day_alert_the_readers_once(settings) -> None:
    settings.PORTAL_AUDIT_REVEAL_ALERT = 3
    mk = muong_kim_staff()
    inspector_leader = staff_of("thanh-tra-tinh", User.Role.LEADER)
    item = _denunciation()
    for _ in range(3):
        identity_for(mk.handler, item.petition, purpose="case page")
    assert not AuditRecord.objects.filter(kind=AuditRecord.Kind.ALERT).exists()
    for _ in range(3):
        identity_for(mk.handler, item.petition, purpose="case page")
    alert = AuditRecord.objects.get(kind=AuditRecord.Kind.ALERT)
    assert alert.actor == mk.handler
    for reader in (mk.leader, inspector_leader):
        note = Notification.objects.get(recipient=reader, kind="audit:alert")
        assert mk.handler.display_name in note.title
        assert f"record={alert.pk}" in note.url
    assert not Notification.objects.filter(recipient=mk.handler, kind="audit:alert").exists()


def test_the_next_day_counts_afresh(settings, time_machine) -> None:
    from tests.complaints.factories import on

    settings.PORTAL_AUDIT_EXPORT_ALERT = 1
    leader = staff_of("thanh-tra-tinh", User.Role.LEADER)
    time_machine.move_to(on(2026, 3, 2, 9), tick=False)
    for _ in range(3):
        audit_record(kind=AuditRecord.Kind.EXPORT, actor=leader)
    time_machine.move_to(on(2026, 3, 3, 9), tick=False)
    audit_record(kind=AuditRecord.Kind.EXPORT, actor=leader)
    assert AuditRecord.objects.filter(kind=AuditRecord.Kind.ALERT).count() == 1
    audit_record(kind=AuditRecord.Kind.EXPORT, actor=leader)
    assert AuditRecord.objects.filter(kind=AuditRecord.Kind.ALERT).count() == 2


# --- caching ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/can-bo/", "/can-bo/don/", "/can-bo/nhat-ky/", "/api/v1/items/", "/quan-tri/"]
)
def test_staff_pages_api_items_and_admin_are_never_stored(path: str) -> None:
    demo_seed()
    client = Client()
    client.login(username="quantri", password=DEMO_PASSWORD)
    response = client.get(path)
    assert "no-store" in response["Cache-Control"], path


def test_public_pages_keep_their_caching() -> None:
    response = Client().get(reverse("gov:time_limits"))
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_crossing_the_limit_at_once_raise_one_alert(settings, reference_data) -> None:
    """Worker A crosses the limit and holds its transaction open; worker B crosses it too and
    waits on the alert's unique index; A commits; B writes no second alert."""
    import threading
    import time

    from django.db import connection, connections, transaction

    settings.PORTAL_AUDIT_EXPORT_ALERT = 1
    leader = staff_of("thanh-tra-tinh", User.Role.LEADER)
    audit_record(kind=AuditRecord.Kind.EXPORT, actor=leader)
    a_wrote, a_may_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def worker_a() -> None:
        try:
            with transaction.atomic():
                audit_record(kind=AuditRecord.Kind.EXPORT, actor=leader)
                a_wrote.set()
                assert a_may_commit.wait(30)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def worker_b() -> None:
        try:
            with transaction.atomic():
                audit_record(kind=AuditRecord.Kind.EXPORT, actor=leader)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    a = threading.Thread(target=worker_a)
    a.start()
    assert a_wrote.wait(30)
    b = threading.Thread(target=worker_b)
    b.start()
    # Until B waits on A's row lock (or has finished, had it not needed to wait).
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and b.is_alive():
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
    a_may_commit.set()
    a.join(30)
    b.join(30)
    assert not errors, errors
    assert AuditRecord.objects.filter(kind=AuditRecord.Kind.EXPORT).count() == 3
    assert AuditRecord.objects.filter(kind=AuditRecord.Kind.ALERT).count() == 1
