"""Petition actions follow the one authority table (issue 13, item 2).

Every action on a petition item acts for the agency that holds it, through
``gov.authority.RULES`` as dialogues, the council, promises and reception do: processing for
the holder's reception officers, handlers and leaders; resolving for its handlers and leaders;
naming the handler for its leaders. Nobody else: not another commune, a department, the
council, the provincial People's Committee (a second complaint is its own item), an
administrator or a superuser. The matrix tries each action as each kind of account; a refusal
says who may, in Vietnamese, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import models
from django.utils import translation

from complaints import services
from complaints.models import ItemDeadline, ItemEvent, Letter, Petition, PetitionItem
from gov.authority import RULES, Act
from gov.errors import Refused
from gov.models import User
from tests.complaints.factories import ItemDataFactory, Kind, agency, on, sector, submit_item
from tests.security.owning_agency_matrix import ACTORS, Accounts
from tests.writes import write_services

pytestmark = pytest.mark.django_db

MK = "ubnd-xa-muong-kim"
PROCESS = frozenset({"mk_leader", "mk_handler", "mk_reception"})
RESOLVE = frozenset({"mk_leader", "mk_handler"})
ASSIGN = frozenset({"mk_leader"})

Action = Callable[[User], object]


def _received(**fields: object) -> PetitionItem:
    return submit_item(items=[ItemDataFactory(**fields)]) if fields else submit_item()


def _complaint() -> dict[str, object]:
    return {
        "kind": Kind.COMPLAINT,
        "contested_decision": "Quyết định bồi thường số 88/QĐ-UBND",
        "issuer_agency": agency(MK),
    }


def _accepted(who: Accounts, **fields: object) -> PetitionItem:
    item = _received(**fields)
    return services.item_accept(item=item, by=who("mk_leader"), handler=who("mk_handler"))


def _confirm_contact(who: Accounts) -> Action:
    item = _received()
    return lambda by: services.item_confirm_contact(item=item, by=by, note="Đã gọi điện.")


def _start_processing(who: Accounts) -> Action:
    item = _received()
    return lambda by: services.item_start_processing(item=item, by=by)


def _classify(who: Accounts) -> Action:
    item = _received()
    return lambda by: services.item_classify(
        item=item, by=by, kind=Kind.FEEDBACK, sector=sector("giao-thong"), is_complex=False
    )


def _accept(who: Accounts) -> Action:
    item = _received()
    return lambda by: services.item_accept(item=item, by=by, handler=who("mk_handler"))


def _transfer(who: Accounts) -> Action:
    item = _received()
    return lambda by: services.item_transfer(item=item, by=by, target=agency("so-xay-dung"))


def _guide(who: Accounts) -> Action:
    item = _received()
    return lambda by: services.item_guide(
        item=item, by=by, guidance="Công dân liên hệ Tòa án nhân dân khu vực để được giải quyết."
    )


def _file(who: Accounts) -> Action:
    item = _received()
    return lambda by: services.item_file(
        item=item, by=by, ground=PetitionItem.FilingGround.UNSIGNED
    )


def _link_duplicate(who: Accounts) -> Action:
    original, item = _received(), _received()
    return lambda by: services.item_link_duplicate(item=item, by=by, original=original)


def _withdraw(who: Accounts) -> Action:
    item = _received()
    return lambda by: services.item_withdraw(item=item, by=by, note="Công dân rút đơn tại trụ sở.")


def _add_item(who: Accounts) -> Action:
    petition = _received().petition
    return lambda by: services.petition_add_item(
        petition=petition, by=by, data=ItemDataFactory(kind=Kind.FEEDBACK)
    )


def _send_to_mediation(who: Accounts) -> Action:
    item = _received(sector=sector("tranh-chap-dan-su"))
    return lambda by: services.item_send_to_mediation(
        item=item, by=by, team_name="Tổ hòa giải bản Nà Phát", case_id=1
    )


def _start_verification(who: Accounts) -> Action:
    item = _accepted(who)
    return lambda by: services.item_start_verification(item=item, by=by)


def _extend(who: Accounts) -> Action:
    item = _accepted(who, **_complaint())
    return lambda by: services.item_extend(item=item, by=by, reason="Phải xác minh tại hai bản.")


def _conclude(who: Accounts) -> Action:
    item = _accepted(who)
    return lambda by: services.item_conclude(item=item, by=by, conclusion="Đã sửa xong cầu.")


def _close(who: Accounts) -> Action:
    item = _accepted(who)
    services.item_conclude(item=item, by=who("mk_handler"), conclusion="Đã sửa xong cầu.")
    return lambda by: services.item_close(item=item, by=by)


def _assign_handler(who: Accounts) -> Action:
    item = _accepted(who)
    return lambda by: services.item_assign_handler(item=item, by=by, handler=who("mk_leader"))


@dataclass(frozen=True)
class Write:
    prepare: Callable[[Accounts], Action]
    act: str


ACTIONS: dict[str, Write] = {
    "item_confirm_contact": Write(_confirm_contact, Act.PETITION_PROCESS),
    "item_start_processing": Write(_start_processing, Act.PETITION_PROCESS),
    "item_classify": Write(_classify, Act.PETITION_PROCESS),
    "item_accept": Write(_accept, Act.PETITION_PROCESS),
    "item_transfer": Write(_transfer, Act.PETITION_PROCESS),
    "item_guide": Write(_guide, Act.PETITION_PROCESS),
    "item_file": Write(_file, Act.PETITION_PROCESS),
    "item_link_duplicate": Write(_link_duplicate, Act.PETITION_PROCESS),
    "item_withdraw": Write(_withdraw, Act.PETITION_PROCESS),
    "petition_add_item": Write(_add_item, Act.PETITION_PROCESS),
    "item_send_to_mediation": Write(_send_to_mediation, Act.PETITION_PROCESS),
    "item_start_verification": Write(_start_verification, Act.PETITION_RESOLVE),
    "item_extend": Write(_extend, Act.PETITION_RESOLVE),
    "item_conclude": Write(_conclude, Act.PETITION_RESOLVE),
    "item_close": Write(_close, Act.PETITION_RESOLVE),
    "item_assign_handler": Write(_assign_handler, Act.PETITION_ASSIGN),
}
ALLOWED = {
    Act.PETITION_PROCESS: PROCESS,
    Act.PETITION_RESOLVE: RESOLVE,
    Act.PETITION_ASSIGN: ASSIGN,
}
WATCHED: list[type[models.Model]] = [Petition, PetitionItem, ItemEvent, ItemDeadline, Letter]


def _everything() -> dict[str, list[dict]]:
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in WATCHED}


@pytest.fixture
def who(time_machine) -> Accounts:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    return Accounts()


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_only_the_holding_agency_acts_on_a_petition(who: Accounts, action: str, actor: str) -> None:
    spec = ACTIONS[action]
    act = spec.prepare(who)
    by = who(actor)
    if actor in ALLOWED[spec.act]:
        act(by)
        return
    before = _everything()
    with translation.override("vi"), pytest.raises(Refused) as refused:
        act(by)
    message = refused.value.messages[0]
    # Who may, in Vietnamese: the holding agency by name (splitting names no agency, as the
    # petition may be held by several).
    expected = "Chỉ cơ quan đang xử lý đơn" if action == "petition_add_item" else agency(MK).name
    assert expected in message and "mới được" in message, message
    assert _everything() == before


def test_the_table_says_who_may_act_on_a_petition_and_why() -> None:
    """One place: the roles match the matrix, no superior's leaders, each with its law."""
    for act, allowed in ALLOWED.items():
        rule = RULES[act]
        assert {ACTORS[name][1] for name in allowed} == set(rule.roles)
        assert not rule.superior_leaders
        assert "Art." in rule.basis


def test_every_petition_action_is_in_the_matrix() -> None:
    """A new action on a petition item must join the matrix above (the mediation outcome is
    written by the mediation services, which check the commune's act, and the citizen lodges
    a second complaint)."""
    names = write_services(services)
    others = {
        "petition_submit",
        "petition_contact_confirm",
        "item_mediation_outcome",
        "second_complaint_lodge",
    }
    assert names - others == set(ACTIONS)


def test_an_agencys_administrator_is_offered_no_action_on_its_item(who: Accounts) -> None:
    """The case page's actions follow the same table: the agency's handler gets them, its
    administrator (who keeps accounts, not petitions) does not."""
    from django.test import Client
    from django.urls import reverse

    item = _received()
    url = reverse("complaints:case", args=[item.pk])
    action = reverse("complaints:case_action", args=[item.pk, "start-processing"])
    pages = {}
    for name in ("mk_handler", "mk_administrator"):
        client = Client()
        client.force_login(who(name))
        pages[name] = client.get(url).content.decode()
    assert action in pages["mk_handler"]
    assert action not in pages["mk_administrator"]
