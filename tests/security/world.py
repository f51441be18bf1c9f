"""A province in miniature for the security matrices: records owned by two communes (Mường Kim,
Tân Phong) and two provincial departments (Agriculture and Environment, Construction), each
made through the services that make them in the portal, and an account of every role in each
of the four agencies, with the provincial leader, the Inspectorate, the provincial council's
clerk and an anonymous visitor.

``world_build()`` is called once per module (``world_fixture``): the rows live in a transaction
that is rolled back when the module ends, and each test's own changes in a savepoint inside it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Model
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from complaints.models import Hotspot, PetitionItem
from complaints.services import item_guide
from dialogues import services as dialogue_services
from gov.models import AdministrativeUnit, User
from gov.services import administrators_group
from reception.models import Visit
from tests.complaints.factories import ItemDataFactory, agency, on, sector, submit, unit
from tests.conftest import verify_second_factor
from tests.dialogues import factories as f
from tests.gov.factories import staff_of
from tests.reception.factories import add_schedule, log_session, log_visit

Role = User.Role
TODAY = dt.date(2026, 6, 1)  # a Monday
LATER = dt.date(2026, 9, 8)  # a Tuesday (1 and 2 September are holidays)

# The four owners: label → (agency code, the unit its records are about).
OWNERS = {
    "commune_a": ("ubnd-xa-muong-kim", "xa-muong-kim"),
    "commune_b": ("ubnd-phuong-tan-phong", "phuong-tan-phong"),
    "department_a": ("so-nong-nghiep-moi-truong", "xa-muong-kim"),
    "department_b": ("so-xay-dung", "phuong-tan-phong"),
}
COMMUNES = ("commune_a", "commune_b")
ROLES = {
    "reception": Role.RECEPTION_OFFICER,
    "handler": Role.HANDLER,
    "leader": Role.LEADER,
    "admin": Role.ADMINISTRATOR,
}
# Province-wide readers and the council, besides the owners' staff.
OTHERS = {
    "provincial_leader": ("ubnd-tinh", Role.LEADER),
    "inspectorate": ("thanh-tra-tinh", Role.HANDLER),
    "council": ("hdnd-tinh", Role.HANDLER),
}
ANONYMOUS = "anonymous"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 24), (0, 90, 160)).save(out, "PNG")
    return out.getvalue()


@dataclass
class World:
    accounts: dict[str, User | None]
    # kind → label → record; a label names the owner (``commune_a``...) or the council.
    records: dict[str, dict[str, Model]] = field(default_factory=dict)

    def add(self, kind: str, label: str, record: Model) -> None:
        self.records.setdefault(kind, {})[label] = record

    def staff(self, name: str) -> User:
        user = self.accounts[name]
        assert user is not None, name
        return user


def _accounts() -> dict[str, User | None]:
    accounts: dict[str, User | None] = {}
    for owner, (code, _unit) in OWNERS.items():
        for name, role in ROLES.items():
            # As ``gov.services.staff_account_upsert`` makes them: administrators use the admin.
            user = staff_of(
                code, role, username=f"{owner}.{name}", is_staff=role == Role.ADMINISTRATOR
            )
            if role == Role.ADMINISTRATOR:
                user.groups.add(administrators_group())
            accounts[f"{owner}.{name}"] = user
    for name, (code, role) in OTHERS.items():
        accounts[name] = staff_of(code, role, username=name)
    for account in accounts.values():
        # What ``tests.conftest.verify_second_factor`` would make at each login.
        TOTPDevice.objects.create(user=account, name="test", confirmed=True)
    accounts[ANONYMOUS] = None
    return accounts


def _petitions(world: World) -> None:
    """An item of each owner, with a photo, guided by its handler (which writes a letter)."""
    for owner, (code, place) in OWNERS.items():
        upload = SimpleUploadedFile("ảnh hiện trường.png", png(), content_type="image/png")
        item = submit(
            receiving_agency=agency(code),
            location_unit=unit(place),
            attachments=[upload],
            items=[ItemDataFactory(sector=sector("giao-thong"))],
        ).petition.items.get()
        handler = world.staff(f"{owner}.handler")
        item_guide(item=item, by=handler, guidance="Liên hệ cơ quan có thẩm quyền.")
        item = PetitionItem.objects.get(pk=item.pk)
        world.add("item", owner, item)
        world.add("letter", owner, item.letters.get())
        world.add("attachment", owner, item.petition.attachments.get())
        world.add("petition", owner, item.petition)
        hotspot = Hotspot.objects.create(
            unit=unit(place), sector=item.sector, first_received_on=TODAY, last_received_on=TODAY
        )
        hotspot.items.add(item)
        world.add("hotspot", owner, hotspot)


def _reception(world: World) -> None:
    for owner in OWNERS:
        officer = world.staff(f"{owner}.reception")
        world.add("schedule", owner, add_schedule(by=officer, date=LATER))
        session = log_session(by=officer, date=TODAY)
        world.add("reception_session", owner, session)
        world.add("visit", owner, log_visit(session=session, by=officer))


def _dialogues(world: World) -> None:
    """Dialogues and mediation belong to communes; a promise made in a commune's dialogue is
    each owner's (a department's in its name)."""
    for owner in COMMUNES:
        code, place = OWNERS[owner]
        leader = world.staff(f"{owner}.leader")
        held = f.held_dialogue(by=leader, date=TODAY, agency=agency(code), unit=unit(place))
        world.add("dialogue", owner, held)
        group = AdministrativeUnit.objects.create(
            parent=unit(place),
            unit_type=AdministrativeUnit.UnitType.VILLAGE,
            code=f"{place}-world-1",
            name=f"Bản Thế Giới {owner}",
        )
        team = f.team(by=leader, unit=group)
        world.add("team", owner, team)
        world.add("mediation", owner, f.mediation(by=leader, assigned_on=TODAY, in_team=team))
    for owner, (code, _place) in OWNERS.items():
        commune = owner if owner in COMMUNES else COMMUNES[list(OWNERS).index(owner) - 2]
        source = world.records["dialogue"][commune]
        # A department's promise is made in its name by the provincial leader, in the dialogue.
        by = world.staff(f"{commune}.leader" if owner in COMMUNES else "provincial_leader")
        made = f.commitment(
            by=by,
            made_on=TODAY,
            deadline=LATER,
            source_object=source,
            owner_agency=agency(code),
            owner_name="Người đứng đầu",
            content=f"Hứa của {owner}",
        )
        world.add("commitment", owner, made)


def _council(world: World) -> None:
    """The provincial council's session, questioning department A, and its voters'
    recommendation assigned to department B; Mường Kim's council's session, questioning
    Mường Kim's People's Committee, and a recommendation assigned to Tân Phong."""
    clerk = world.staff("council")
    commune_clerk = staff_of("hdnd-xa-muong-kim", Role.HANDLER, username="commune_council")
    for label, by, council, asked, assigned, place in (
        ("province", clerk, "hdnd-tinh", "department_a", "department_b", "phuong-tan-phong"),
        ("commune", commune_clerk, "hdnd-xa-muong-kim", "commune_a", "commune_b", "xa-muong-kim"),
    ):
        session = f.council_session(by=by, start=TODAY, end=TODAY, council=council)
        world.add("council_session", label, session)
        question = f.question(
            by=by,
            session=session,
            asked_agency=agency(OWNERS[asked][0]),
            asked_official="Người đứng đầu",
            content=f"Câu hỏi chất vấn {label}",
        )
        world.add("question", label, question)
        meeting = dialogue_services.voter_meeting_create(
            council=agency(council), unit=unit(place), by=by, date=TODAY, place="Hội trường"
        )
        world.add("voter_meeting", label, meeting)
        recommendation = dialogue_services.voter_recommendation_add(
            meeting=meeting,
            by=by,
            content=f"Kiến nghị cử tri {label}",
            sector=sector("giao-thong"),
            assigned_agency=agency(OWNERS[assigned][0]),
            assigned_on=TODAY,
        )
        world.add("recommendation", label, recommendation)


def _directory(world: World) -> None:
    for owner, (code, place) in OWNERS.items():
        world.add("agency", owner, agency(code))
        world.add("user", owner, world.staff(f"{owner}.handler"))
        if owner in COMMUNES:
            world.add("unit", owner, unit(place))
    world.add("unit", "province", unit("lai-chau"))


def world_build() -> World:
    with time_machine.travel(on(2026, 6, 1), tick=False):
        world = World(accounts=_accounts())
        _petitions(world)
        _reception(world)
        _dialogues(world)
        _council(world)
        _directory(world)
    return world


def logged_in(world: World) -> dict[str, Client]:
    """A client per account, logged in with both factors (``tests.conftest``'s way); made in
    the module's transaction, so their sessions last as long as the world."""
    clients = {}
    for name, user in world.accounts.items():
        client = Client()
        if user is not None:
            client.force_login(user)
            verify_second_factor(client, user)
        clients[name] = client
    return clients


def world_fixture(django_db_blocker: object, media: Path) -> Iterator[World]:
    """The body of a module-scoped fixture: the world built once, in a transaction rolled
    back when the module's tests are done (each test's ``db`` savepoint sits inside it)."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):  # type: ignore[attr-defined]
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield world_build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


__all__ = ["ANONYMOUS", "OWNERS", "ROLES", "TODAY", "Visit", "World", "world_build"]
