"""Need-to-know inside the province (issue 13, item 3): a provincial department reads the items
it holds and those transferred to it or by it; the Inspectorate, the Citizen Reception Board
and the provincial chairman's leaders read the province; a commune reads its commune. Every
route that shows an item answers 404 for anything else, and the lists leave it out."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from complaints.models import PetitionItem
from complaints.services import item_guide, item_transfer
from gov.models import Agency, User
from gov.scoping import scope_of, scoped
from tests.complaints.factories import VN, agency, submit, submit_item, unit
from tests.gov.factories import staff_of
from tests.reception.factories import log_session, log_visit

pytestmark = pytest.mark.django_db

Role = User.Role
DEPARTMENT = "so-nong-nghiep-moi-truong"
GUIDANCE = "Công dân liên hệ cơ quan có thẩm quyền để được giải quyết theo quy định."

# Who reads what: (agency, role) → the items of the world below they see.
ALL = frozenset({"commune", "sent_in", "received", "held", "sent_out"})
ROLES = {
    "department_handler": (DEPARTMENT, Role.HANDLER, {"sent_in", "received", "held", "sent_out"}),
    "department_leader": (DEPARTMENT, Role.LEADER, {"sent_in", "received", "held", "sent_out"}),
    "other_department": ("so-xay-dung", Role.HANDLER, set()),
    "inspectorate": ("thanh-tra-tinh", Role.HANDLER, ALL),
    "reception_board": ("ban-tiep-cong-dan-tinh", Role.RECEPTION_OFFICER, ALL),
    "provincial_leader": ("ubnd-tinh", Role.LEADER, ALL),
    "provincial_handler": ("ubnd-tinh", Role.HANDLER, set()),
    "provincial_office": ("van-phong-ubnd-tinh", Role.ADMINISTRATOR, set()),
    "commune": ("ubnd-xa-muong-kim", Role.HANDLER, {"commune", "sent_in", "sent_out"}),
    "other_commune": ("ubnd-phuong-tan-phong", Role.HANDLER, set()),
}


@dataclass
class World:
    """Five items, each with a letter: ``commune`` (Mường Kim's own, guided), ``sent_in``
    (Mường Kim's, transferred to the department), ``received`` (the department's item of that
    transfer, guided), ``held`` (the department's own, transferred to Mường Kim) and
    ``sent_out`` (Mường Kim's item of that transfer, guided)."""

    items: dict[str, PetitionItem]


@pytest.fixture
def world() -> World:
    commune = staff_of("ubnd-xa-muong-kim")
    department = staff_of(DEPARTMENT)
    guided = submit_item()
    item_guide(item=guided, by=commune, guidance=GUIDANCE)
    sent_in = submit_item()
    received = item_transfer(item=sent_in, by=commune, target=agency(DEPARTMENT))
    item_guide(item=received, by=department, guidance=GUIDANCE)
    held = submit_item(receiving_agency=agency(DEPARTMENT))
    sent_out = item_transfer(item=held, by=department, target=agency("ubnd-xa-muong-kim"))
    item_guide(item=sent_out, by=commune, guidance=GUIDANCE)
    items = {"commune": guided, "sent_in": sent_in, "received": received, "held": held}
    items["sent_out"] = sent_out
    return World(items={name: PetitionItem.objects.get(pk=i.pk) for name, i in items.items()})


def _client(role: str) -> tuple[Client, set[str]]:
    code, user_role, sees = ROLES[role]
    client = Client()
    client.force_login(staff_of(code, user_role))
    return client, set(sees)


def _opens(path: str):
    def check(client: Client, item: PetitionItem) -> bool:
        target = item.letters.get() if path == "complaints:letter" else item
        status = client.get(reverse(path, args=[target.pk])).status_code
        assert status in {200, 404}
        return status == 200

    return check


def _listed_in_inbox(client: Client, item: PetitionItem) -> bool:
    page = client.get(reverse("complaints:inbox"), {"status": item.status})
    assert page.status_code == 200
    return reverse("complaints:case", args=[item.pk]) in page.content.decode()


def _listed_by_api(client: Client, item: PetitionItem) -> bool:
    answer = client.get(reverse("complaints-api:item-list"), {"status": item.status})
    assert answer.status_code == 200
    return item.pk in {row["id"] for row in answer.json()["results"]}


ROUTES = {
    "case_page": _opens("complaints:case"),
    "letter": _opens("complaints:letter"),
    "api_detail": _opens("complaints-api:item-detail"),
    "inbox": _listed_in_inbox,
    "api_list": _listed_by_api,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES)
def test_each_route_shows_an_item_to_those_who_need_to_know_and_404s_the_rest(
    world: World, route: str, role: str
) -> None:
    client, sees = _client(role)
    if route == "letter" and role == "commune":
        sees.add("held")  # the transfer letter that sent it its item, though not the item sent
    shown = {name for name, item in world.items.items() if ROUTES[route](client, item)}
    assert shown == sees


def test_a_departments_inbox_holds_its_open_items_and_those_referred_not_the_communes() -> None:
    """The default inbox (open items, read from ``item_open_due``): the department's own and
    the one it sent on are there, a commune's item never sent to it is not."""
    commune = staff_of("ubnd-xa-muong-kim")
    department = staff_of(DEPARTMENT, Role.LEADER)
    not_referred = submit_item()
    own = submit_item(receiving_agency=agency(DEPARTMENT))
    held = submit_item(receiving_agency=agency(DEPARTMENT))
    sent = item_transfer(item=held, by=department, target=commune.agency)
    received = item_transfer(item=submit_item(), by=commune, target=department.agency)
    client = Client()
    client.force_login(department)
    page = client.get(reverse("complaints:inbox")).content.decode()
    for item in (own, sent, received):
        assert reverse("complaints:case", args=[item.pk]) in page
    assert reverse("complaints:case", args=[not_referred.pk]) not in page
    assert not_referred.petition.submitter_display not in page


def test_a_department_may_not_act_on_or_link_a_communes_item_it_cannot_see() -> None:
    commune_item = submit_item()
    client = Client()
    client.force_login(staff_of(DEPARTMENT))
    answer = client.post(
        reverse("complaints-api:item-start-processing", args=[commune_item.pk]),
        content_type="application/json",
        data={},
    )
    assert answer.status_code == 404
    page = client.post(reverse("complaints:case_action", args=[commune_item.pk, "file"]))
    assert page.status_code == 404


def test_the_case_page_of_a_transfer_shows_only_the_items_each_side_may_see() -> None:
    """A petition with a commune item and a second one transferred to the department: the
    department's case page names neither the commune's other item nor its handling."""
    commune = staff_of("ubnd-xa-muong-kim")
    from tests.complaints.factories import ItemDataFactory

    petition = submit(items=[ItemDataFactory(), ItemDataFactory()]).petition
    first, second = petition.items.order_by("number")
    item_guide(item=first, by=commune, guidance="Hướng dẫn riêng của xã về mục thứ nhất.")
    received = item_transfer(item=second, by=commune, target=agency(DEPARTMENT))
    client = Client()
    client.force_login(staff_of(DEPARTMENT))
    page = client.get(reverse("complaints:case", args=[received.pk])).content.decode()
    assert reverse("complaints:case", args=[second.pk]) in page  # sent to it: it reads it
    assert reverse("complaints:case", args=[first.pk]) not in page
    assert "Hướng dẫn riêng của xã" not in page
    assert reverse("complaints:letter", args=[first.letters.get().pk]) not in page
    detail = client.get(reverse("complaints-api:item-detail", args=[received.pk])).json()
    assert "Hướng dẫn riêng của xã" not in str(detail)


def test_a_petition_recorded_for_another_agency_stays_readable_by_the_recorder() -> None:
    """A department's reception officer who records a petition at its counter for a commune
    has referred it there: the officer follows it; another department does not."""
    officer = staff_of(DEPARTMENT, Role.RECEPTION_OFFICER)
    item = submit_item(by=officer)
    assert item.agency.code == "ubnd-xa-muong-kim"
    assert scoped(officer, PetitionItem.objects.filter(pk=item.pk)).exists()
    assert not scoped(staff_of("so-xay-dung"), PetitionItem.objects.filter(pk=item.pk)).exists()


def test_which_agencies_read_the_province_is_a_setting(settings: object) -> None:
    board = staff_of("ban-tiep-cong-dan-tinh", Role.RECEPTION_OFFICER)
    handler = staff_of("ubnd-tinh", Role.HANDLER)
    item = submit_item()
    assert scoped(board, PetitionItem.objects.filter(pk=item.pk)).exists()
    assert not scoped(handler, PetitionItem.objects.filter(pk=item.pk)).exists()
    settings.PORTAL_PROVINCE_READERS = ["inspectorate", "peoples_committee:leader|handler"]
    assert not scoped(board, PetitionItem.objects.filter(pk=item.pk)).exists()
    assert scoped(handler, PetitionItem.objects.filter(pk=item.pk)).exists()
    assert scope_of(board).key == f"agency:{board.agency_id}"


def test_a_commune_still_reads_its_subtree_and_a_department_the_provinces_units() -> None:
    """Need-to-know narrows the records that belong to an agency, not the directory."""
    from gov.models import AdministrativeUnit

    commune = staff_of("ubnd-xa-muong-kim")
    department = staff_of(DEPARTMENT)
    assert scope_of(commune).agency_id is None
    assert scoped(department, AdministrativeUnit.objects.all()).count() == (
        AdministrativeUnit.objects.count()
    )
    assert scoped(department, Agency.objects.all()).count() == Agency.objects.count()


# --- the overview and its export ---------------------------------------------------------------


def test_the_overview_and_its_export_count_only_what_the_department_sees() -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=VN), tick=False):
        submit_item()  # Mường Kim's, overdue by April
        submit_item(receiving_agency=agency(DEPARTMENT), location_unit=unit("phuong-tan-phong"))
    department_leader = staff_of(DEPARTMENT, Role.LEADER)
    province_leader = staff_of("ubnd-tinh", Role.LEADER)
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, tzinfo=VN), tick=False):
        from dashboard.selectors import deadline_board, monthly_trends

        assert deadline_board(department_leader).total.overdue == 1
        assert deadline_board(province_leader).total.overdue == 2
        received = sum(m.received for m in monthly_trends(department_leader).months)
        assert received == 1
        client = Client()
        client.force_login(department_leader)
        page = client.get(reverse("dashboard:overview"))
        export = client.get(reverse("dashboard:overview"), {"format": "xlsx"})
    assert page.status_code == 200 and "Mường Kim" not in _main(page.content.decode())
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    assert "Mường Kim" not in cells and "Nông nghiệp" in cells


def _main(page: str) -> str:
    """The page without its menus (a filter may list every commune)."""
    return page[page.find("<main") : page.find("</main>")]


# --- reception: sessions, visitors and the log -------------------------------------------------


@pytest.fixture
def sessions() -> dict[str, object]:
    with time_machine.travel(dt.datetime(2026, 4, 21, 9, tzinfo=VN), tick=False):
        commune = staff_of("ubnd-xa-muong-kim", Role.RECEPTION_OFFICER)
        department = staff_of(DEPARTMENT, Role.RECEPTION_OFFICER)
        at_commune = log_session(by=commune, date=dt.date(2026, 4, 10))
        log_visit(session=at_commune, by=commune, full_name="Lò Thị Xã")
        at_department = log_session(
            by=department, date=dt.date(2026, 4, 13), presider_name="Giám đốc Sở"
        )
        log_visit(session=at_department, by=department, full_name="Tòng Văn Sở")
    return {"commune": at_commune, "department": at_department}


BOTH = frozenset({"commune", "department"})
RECEPTION_ROLES = {
    "department_handler": (DEPARTMENT, Role.HANDLER, {"department"}),
    "other_department": ("so-xay-dung", Role.LEADER, set()),
    "inspectorate": ("thanh-tra-tinh", Role.HANDLER, BOTH),
    "reception_board": ("ban-tiep-cong-dan-tinh", Role.RECEPTION_OFFICER, BOTH),
    "provincial_leader": ("ubnd-tinh", Role.LEADER, BOTH),
    "commune": ("ubnd-xa-muong-kim", Role.HANDLER, {"commune"}),
}
VISITORS = {"commune": "Lò Thị Xã", "department": "Tòng Văn Sở"}


@pytest.mark.parametrize("role", RECEPTION_ROLES)
def test_reception_sessions_visitors_and_the_log_follow_need_to_know(
    sessions: dict[str, object], role: str
) -> None:
    code, user_role, sees = RECEPTION_ROLES[role]
    sees = set(sees)
    client = Client()
    client.force_login(staff_of(code, user_role))
    opened = {
        name
        for name, session in sessions.items()
        if client.get(reverse("reception:session", args=[session.pk])).status_code == 200
    }
    assert opened == sees
    period = {"start": "01/04/2026", "end": "30/04/2026"}
    log = client.get(reverse("reception:log"), period).content.decode()
    assert {name for name, visitor in VISITORS.items() if visitor in log} == sees
    export = client.get(reverse("reception:log"), {**period, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    assert {name for name, visitor in VISITORS.items() if visitor in cells} == sees
    listed = client.get(reverse("reception:sessions")).content.decode()
    for name, session in sessions.items():
        if name not in sees:
            assert reverse("reception:session", args=[session.pk]) not in listed


# --- the department's filter reads indexes ------------------------------------------------------


def _plan(queryset: object) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table would be scanned
        cursor.execute("ANALYZE complaints_petitionitem")
        return queryset.explain()  # type: ignore[attr-defined]


@pytest.mark.postgres
def test_a_departments_inbox_is_read_from_the_covering_index_alone(world: World) -> None:
    """The open items in the inbox's order, from ``item_open_due``, which covers the agency
    and both referral columns: the department's filter needs no visit to the table."""
    from complaints.models.items import OPEN_STATUSES
    from complaints.selectors import items_for

    department = staff_of(DEPARTMENT)
    inbox = items_for(department).filter(status__in=OPEN_STATUSES).order_by("due_on", "-id")
    plan = _plan(inbox.values("pk", "due_on")[:50])
    assert "Index Only Scan using item_open_due" in plan, plan
    assert "referred_by_id" in plan and "referred_to_id" in plan


@pytest.mark.postgres
def test_a_departments_other_lists_are_a_bitmap_of_three_indexes(world: World) -> None:
    from complaints.selectors import items_for

    plan = _plan(items_for(staff_of(DEPARTMENT)).order_by())  # every status
    for index in ("item_agency_status_due", "item_referred_by_set", "item_referred_to_set"):
        assert index in plan, plan
    assert "BitmapOr" in plan, plan
