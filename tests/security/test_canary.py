"""The canary (issue 13, item 11): a denouncer whose name, ID number and phone appear nowhere
else is seeded three ways, as a citizen on the web form, as a caller of the API and as a
visitor an officer receives, each a protected denunciation to Mường Kim. Then everything the
portal shows, sends, logs or keeps is searched for them: every staff page, list and export
(CSV and xlsx) as every kind of account that may not see them, the public pages, the API,
the letters, a non-superuser's admin, the log at DEBUG level (every logger), the task
payloads, the mail sent, every key and value in the Redis database and the sessions, and the
audit log. They may appear only where the law allows: to Mường Kim's handler and leader, each
showing logged; the test asserts that they do appear there, so that it can fail.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import pytest
from celery.signals import before_task_publish, task_prerun
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import get_resolver, reverse
from rest_framework.test import APIClient

from complaints.models import IdentityReveal, PetitionItem
from complaints.services import item_guide
from gov.models import AuditRecord, Sector, User
from gov.services import administrators_group
from gov.text import fold_diacritics as fold
from reception.models import Visit
from tests.complaints.factories import agency, unit
from tests.gov.factories import staff_of
from tests.reception.factories import log_session
from tests.security.routes import _walk

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

Role = User.Role
MK = "ubnd-xa-muong-kim"


@dataclass(frozen=True)
class Canary:
    name: str
    id_number: str
    phone: str

    @property
    def needles(self) -> list[str]:
        """As a page, a file or a log might write them: the name as typed and folded, the ID,
        the phone with and without its leading 0."""
        return [self.name, fold(self.name), self.id_number, self.phone, self.phone[1:]]


CANARIES = {
    "form": Canary("Hoàng Thị Chim Sẻ Núi", "079305001357", "0369258147"),
    "api": Canary("Giàng A Sáo Đêm", "079305002468", "0358147269"),
    "visit": Canary("Lầu Thị Khướu Rừng", "079305003579", "0347269158"),
}
DENOUNCED = "Cán bộ địa chính xã Mường Kim"

# Who may not see a protected denouncer of Mường Kim: everyone but its handlers and leaders.
OTHERS = {
    "mk_reception": (MK, Role.RECEPTION_OFFICER),
    "mk_admin": (MK, Role.ADMINISTRATOR),
    "other_commune_handler": ("ubnd-phuong-tan-phong", Role.HANDLER),
    "other_commune_leader": ("ubnd-phuong-tan-phong", Role.LEADER),
    "department_handler": ("so-nong-nghiep-moi-truong", Role.HANDLER),
    "department_leader": ("so-nong-nghiep-moi-truong", Role.LEADER),
    "provincial_leader": ("ubnd-tinh", Role.LEADER),
    "provincial_admin": ("van-phong-ubnd-tinh", Role.ADMINISTRATOR),
    "inspectorate": ("thanh-tra-tinh", Role.HANDLER),
    "reception_board": ("ban-tiep-cong-dan-tinh", Role.RECEPTION_OFFICER),
}
COMPETENT = {"mk_handler": (MK, Role.HANDLER), "mk_leader": (MK, Role.LEADER)}
EXPORTS = {
    "dialogues:commitments": ("xlsx", "csv"),
    "reception:log": ("xlsx",),
    "reception:compliance": ("xlsx", "csv"),
    "dashboard:overview": ("xlsx",),
    "gov:audit_log": ("xlsx", "csv"),
}
# Staff pages that do something on a GET, or end the session.
NOT_CRAWLED = {"gov:logout", "gov:recovery_codes_regenerate", "gov:notifications_read"}


@dataclass
class Capture:
    """What left the portal's code while the test ran: log records, task calls, mail."""

    logs: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)


class _Everything(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(level=logging.DEBUG)
        self.into = into
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        # The formatted line with its traceback, and every attribute (args, extra fields).
        self.into.append(self.format(record))
        self.into.append(repr(record.__dict__))


@pytest.fixture
def capture() -> Iterator[Capture]:
    """Every logger at DEBUG into one handler on the root; the task signals of Celery (publish
    to a broker, and the in-process run the tests use)."""
    captured = Capture()
    handler = _Everything(captured.logs)
    loggers = [logging.getLogger(), *map(logging.getLogger, list(logging.root.manager.loggerDict))]
    levels = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)

    def published(body: object = None, headers: object = None, **kwargs: object) -> None:
        captured.tasks.append(repr((body, headers)))

    def ran(
        task: object = None, args: object = None, kwargs: object = None, **extra: object
    ) -> None:
        captured.tasks.append(f"{getattr(task, 'name', task)} {args!r} {kwargs!r}")

    before_task_publish.connect(published, weak=False)
    task_prerun.connect(ran, weak=False)
    try:
        yield captured
    finally:
        before_task_publish.disconnect(published)
        task_prerun.disconnect(ran)
        logging.getLogger().removeHandler(handler)
        for lg, level in levels:
            lg.setLevel(level)


def _found(text: str) -> set[str]:
    """The canaries ``text`` names."""
    text = html.unescape(text)
    folded = fold(text)
    return {
        seed
        for seed, canary in CANARIES.items()
        for needle in canary.needles
        if needle in text or fold(needle) in folded
    }


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response: Any) -> str:
    """A page, a CSV or an xlsx (whole or streamed) as text."""
    streamed = getattr(response, "streaming", False)
    content = b"".join(response.streaming_content) if streamed else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if "csv" in kind:
        return " ".join(
            " ".join(row) for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))
        )
    return content.decode("utf-8", errors="replace")


# --- seeding ---------------------------------------------------------------------------------


def _wizard(client: Client, canary: Canary) -> tuple[str, str]:
    """The citizen's four steps and the review; the tracking code and secret shown after."""

    def step(name: str, data: dict[str, object]) -> object:
        payload: dict[str, object] = {"petition_wizard-current_step": name}
        payload.update({f"{name}-{k}": v for k, v in data.items()})
        return client.post(reverse("complaints:submit"), payload)

    client.get(reverse("complaints:submit"))
    step(
        "content",
        {
            "kind": "denunciation",
            "sector": Sector.objects.get(code="can-bo-cong-chuc").pk,
            "summary": "Tố cáo cán bộ địa chính thu tiền đo đạc đất trái quy định.",
            "denounced_person": DENOUNCED,
            "denounced_agency": agency(MK).pk,
        },
    )
    step(
        "place",
        {"location_unit": unit("xa-muong-kim").pk, "receiving_agency": agency(MK).pk},
    )
    step(
        "submitter",
        {
            "submitter_type": "person",
            "full_name": canary.name,
            "id_number": canary.id_number,
            "phone": canary.phone,
            "email": "nguoi.to.cao.web@example.vn",
            "address": "Bản Nà Phát",
            "identity_protected": "on",
            "group_size": 1,
        },
    )
    step("documents", {})
    response = step("review", {"confirm": "on"})
    assert response.status_code == 302, _body(response)[:2000]  # type: ignore[attr-defined]
    sent = client.get(reverse("complaints:sent")).content.decode()
    code = re.search(r"LC\d\d-[0-9A-Z]{6}", sent)
    secret = re.search(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b", sent)
    assert code and secret, sent
    return code.group(0), secret.group(0)


def _api(canary: Canary) -> dict[str, object]:
    response = APIClient().post(
        reverse("complaints-api:petition-submit"),
        {
            "receiving_agency": MK,
            "location_unit": "xa-muong-kim",
            "content": "Tố cáo cán bộ địa chính xã nhận tiền để xác nhận hồ sơ đất.",
            "contact_email": "nguoi.to.cao.api@example.vn",
            "identity_protected": True,
            "submitters": [
                {"full_name": canary.name, "id_number": canary.id_number, "phone": canary.phone}
            ],
            "items": [
                {
                    "kind": "denunciation",
                    "sector": "can-bo-cong-chuc",
                    "summary": "Tố cáo cán bộ địa chính nhận tiền xác nhận hồ sơ.",
                    "denounced_person": DENOUNCED,
                    "denounced_agency": MK,
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    assert not _found(str(answer)), answer
    return answer


def _visit(officer: User, canary: Canary) -> None:
    session = log_session(by=officer, date=dt.date.today() - dt.timedelta(days=1))
    response = _client(officer).post(
        reverse("reception:session", args=[session.pk]),
        {
            "full_name": canary.name,
            "id_number": canary.id_number,
            "phone": canary.phone,
            "address": "Bản Phiêng Cằm",
            "kind": "denunciation",
            "sector": Sector.objects.get(code="can-bo-cong-chuc").pk,
            "location_unit": unit("xa-muong-kim").pk,
            "content": "Tố cáo cán bộ địa chính xã đòi tiền khi đo đạc đất nương.",
            "denounced": DENOUNCED,
            "group_size": 1,
            "representatives": "",
            "outcome": "petition",
            "handling": "",
            "identity_protected": "on",
        },
    )
    assert response.status_code == 302, _body(response)[:3000]


@dataclass
class Seeded:
    items: dict[str, PetitionItem]
    visit: Visit
    form_code: str
    form_secret: str
    accounts: dict[str, User]


@pytest.fixture
def seeded(capture: Capture, django_capture_on_commit_callbacks: object) -> Seeded:
    accounts = {
        name: staff_of(code, role) for name, (code, role) in {**OTHERS, **COMPETENT}.items()
    }
    for name in ("mk_admin", "provincial_admin"):
        accounts[name].is_staff = True
        accounts[name].save(update_fields=["is_staff"])
        accounts[name].groups.add(administrators_group())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        code, secret = _wizard(Client(), CANARIES["form"])
        answer = _api(CANARIES["api"])
        _visit(accounts["mk_reception"], CANARIES["visit"])
    visit = Visit.objects.get()
    assert visit.petition_id is not None  # the visitor's denunciation became a petition
    items = {
        "form": PetitionItem.objects.get(petition__code=code),
        "api": PetitionItem.objects.get(petition__code=answer["code"]),
        "visit": PetitionItem.objects.get(petition_id=visit.petition_id),
    }
    for item in items.values():
        assert item.petition.identity_protected and item.agency.code == MK
    # A letter for each: the guidance the handler sends (letters carry no protected identity).
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for item in items.values():
            item_guide(item=item, by=accounts["mk_handler"], guidance="Hướng dẫn gửi Thanh tra.")
    return Seeded(
        items=items,
        visit=visit,
        form_code=code,
        form_secret=secret,
        accounts=accounts,
    )


# --- where to look -----------------------------------------------------------------------------


def _staff_pages(seeded: Seeded) -> list[str]:
    """Every staff page and API list without a parameter, and the pages of what was seeded."""
    pages = [
        "/" + route
        for name, route, params in _walk(get_resolver().url_patterns)
        if not params and route.startswith(("can-bo/", "api/v1/items/")) and name not in NOT_CRAWLED
    ]
    for item in seeded.items.values():
        pages += [
            reverse("complaints:case", args=[item.pk]),
            reverse("complaints-api:item-detail", args=[item.pk]),
            *(reverse("complaints:letter", args=[letter.pk]) for letter in item.letters.all()),
        ]
    pages.append(reverse("reception:session", args=[seeded.visit.session_id]))
    today = dt.date.today()
    period = f"start=01/01/{today.year}&end=31/12/{today.year}"
    pages += [f"{reverse('reception:log')}?{period}", f"{reverse('complaints:inbox')}?status="]
    for name, formats in EXPORTS.items():
        for fmt in formats:
            extra = f"&{period}" if name == "reception:log" else ""
            pages.append(f"{reverse(name)}?format={fmt}{extra}")
    return pages


def _shown_to_the_competent(seeded: Seeded) -> set[str]:
    """Where the competent handler and leader read the denouncer on screen, each showing
    logged: the case page, its API detail, the reception session and the reception log (the
    log's export masks it)."""
    pages = {reverse("reception:session", args=[seeded.visit.session_id]), reverse("reception:log")}
    for item in seeded.items.values():
        pages |= {
            reverse("complaints:case", args=[item.pk]),
            reverse("complaints-api:item-detail", args=[item.pk]),
        }
    return pages


def _admin_pages(seeded: Seeded) -> list[str]:
    pages = [reverse("admin:index")]
    for model in ("complaints_petitionitem", "reception_visit", "gov_user"):
        pages.append(reverse(f"admin:{model}_changelist"))
    for item in seeded.items.values():
        pages.append(reverse("admin:complaints_petitionitem_change", args=[item.pk]))
        pages.append(reverse("admin:complaints_petitionitem_history", args=[item.pk]))
    pages.append(reverse("admin:reception_visit_change", args=[seeded.visit.pk]))
    return pages


def _public(seeded: Seeded) -> dict[str, str]:
    """The public pages, the citizen's status page and the public API's status answer."""
    client = Client()
    found = {}
    for name in (
        "home",
        "gov:unit_directory",
        "gov:time_limits",
        "reception:calendar",
        "dialogues:promises",
        "dialogues:public_dialogues",
        "privacy:notice",
    ):
        found[name] = _body(client.get(reverse(name)))
    status = client.post(
        reverse("complaints:status"), {"code": seeded.form_code, "secret": seeded.form_secret}
    )
    found["status page"] = _body(status)
    assert seeded.form_code in found["status page"]  # the page that was searched is the case's
    answer = APIClient().post(
        reverse("complaints-api:petition-status"),
        {"code": seeded.form_code, "secret": seeded.form_secret},
        format="json",
    )
    found["status API"] = _body(answer)
    return found


def _redis_and_sessions() -> str:
    import redis

    server = redis.Redis.from_url(os.environ["REDIS_URL"])
    values: list[Any] = []
    for key in server.scan_iter(count=1000):
        values.append(key)
        kind = server.type(key)
        if kind == b"string":
            values.append(server.get(key))
        elif kind == b"hash":
            values += [part for pair in server.hgetall(key).items() for part in pair]
        elif kind == b"list":
            values += server.lrange(key, 0, -1)
        elif kind == b"set":
            values += list(server.smembers(key))
        elif kind == b"zset":
            values += server.zrange(key, 0, -1)
    text = " ".join(
        v.decode("utf-8", errors="replace") if isinstance(v, bytes) else str(v) for v in values
    )
    sessions = " ".join(str(s.get_decoded()) for s in Session.objects.all())
    return f"{text} {sessions}"


def _audit_rows() -> str:
    return " ".join(str(row) for row in AuditRecord.objects.values())


def _mail() -> str:
    parts: list[str] = []
    for message in mail.outbox:
        parts += [str(message.subject), str(message.body), str(message.to)]
        parts.append(str(message.extra_headers))
        parts += [str(content) for content, _kind in getattr(message, "alternatives", [])]
    return " ".join(parts)


@pytest.mark.slow  # every staff page as twelve accounts: about a minute and a half
def test_the_canary_shows_only_to_the_competent_handler_and_leader(
    seeded: Seeded, capture: Capture
) -> None:
    leaks: dict[str, set[str]] = {}

    def look(where: str, text: str) -> None:
        if found := _found(text):
            leaks[where] = found

    pages = _staff_pages(seeded)
    kinds: set[str] = set()  # what was read: pages, spreadsheets, CSV, JSON
    admin_read: set[tuple[str, str]] = set()
    for account in OTHERS:
        client = _client(seeded.accounts[account])
        for page in pages:
            response = client.get(page)
            assert response.status_code < 500, (account, page)
            kinds.add(response.get("Content-Type", "").split(";")[0])
            look(f"{page} as {account}", _body(response))
        if seeded.accounts[account].is_staff:
            for page in _admin_pages(seeded):
                response = client.get(page)
                if response.status_code == 200:
                    admin_read.add((account, page))
                look(f"{page} as {account}", _body(response))
    assert {"text/html", "text/csv", "application/json"} <= kinds, kinds
    assert any("spreadsheetml" in kind for kind in kinds), kinds
    for item in seeded.items.values():  # Mường Kim's administrator opened each case in the admin
        page = reverse("admin:complaints_petitionitem_change", args=[item.pk])
        assert ("mk_admin", page) in admin_read
    for where, text in _public(seeded).items():
        look(where, text)
    # The competent handler and leader: the case pages name each seeded denouncer, each
    # showing logged; their lists, exports and letters do not.
    for account in COMPETENT:
        user = seeded.accounts[account]
        client = _client(user)
        for seed, item in seeded.items.items():
            page = _body(client.get(reverse("complaints:case", args=[item.pk])))
            assert _found(page) == {seed}, (account, seed)
            assert IdentityReveal.objects.filter(petition=item.petition, user=user).exists()
        session = _body(client.get(reverse("reception:session", args=[seeded.visit.session_id])))
        assert _found(session) == {"visit"}, account
        assert IdentityReveal.objects.filter(
            petition=seeded.items["visit"].petition, user=user, purpose="reception log"
        ).exists()
        for page in pages:
            if page.split("?")[0] in _shown_to_the_competent(seeded) and "format=" not in page:
                continue  # on screen, by law, each showing logged
            look(f"{page} as {account}", _body(client.get(page)))
    for item in seeded.items.values():
        for letter in item.letters.all():
            look(f"letter {letter.pk} as stored", f"{letter.body} {letter.addressee}")
    look("the log at DEBUG", " ".join(capture.logs))
    look("task payloads", " ".join(capture.tasks))
    look("mail sent", _mail())
    look("Redis and sessions", _redis_and_sessions())
    look("audit log", _audit_rows())
    assert capture.logs and capture.tasks and mail.outbox  # each place was looked at
    assert not leaks, "\n".join(f"{where}: {sorted(seeds)}" for where, seeds in leaks.items())
