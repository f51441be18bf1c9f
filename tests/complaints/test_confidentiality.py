"""A denouncer's identity is secret (Luật Tố cáo Art. 9, 47, 56): it reaches only the handlers
of the responsible agency, and each time it does, the reveal is logged.

One denunciation is taken through its whole life (online intake at the provincial board,
transfer to the commune, acceptance, extension, conclusion, closing, e-mails to the citizen)
with a name that appears nowhere else, and every place a name could leak is searched for it.
"""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import mail
from django.db.models import Model

from complaints.confidentiality import MASK, identity_for, masked_display
from complaints.models import (
    IdentityReveal,
    ItemEvent,
    Letter,
    Petition,
    PetitionItem,
    Submitter,
)
from complaints.selectors import public_timeline, text_search
from complaints.services import (
    item_accept,
    item_classify,
    item_close,
    item_conclude,
    item_extend,
    item_start_processing,
    item_start_verification,
    item_transfer,
    petition_add_item,
)
from gov.models import Notification, User
from tests.complaints.factories import (
    ItemDataFactory,
    Kind,
    SubmitterDataFactory,
    agency,
    muong_kim_staff,
    on,
    sector,
    submit,
    submit_item,
)
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db

Role = User.Role
NAME = "Zyxwq Thử Bí Mật"
TOKEN = "zyxwq"  # the part of the name no other text contains, in any letter case


def _denouncer() -> SubmitterDataFactory:
    return SubmitterDataFactory(
        full_name=NAME,
        id_number="011234567890",
        phone="0915 246 813",
        email="nguoi.to.cao@example.vn",
        address="Bản Phiêng Cằm, xã Mường Kim",
    )


def _leaks(text: object) -> bool:
    return TOKEN in str(text).lower()


@pytest.fixture
def flow(time_machine, caplog, django_capture_on_commit_callbacks) -> SimpleNamespace:
    """The denunciation's whole life, with logs captured at DEBUG and e-mails sent."""
    time_machine.move_to(on(2025, 8, 4), tick=False)
    board = staff_of("ban-tiep-cong-dan-tinh", Role.RECEPTION_OFFICER)
    mk = muong_kim_staff()
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        petition = submit(
            receiving_agency=agency("ban-tiep-cong-dan-tinh"),
            content="Tôi tố cáo công chức địa chính xã nhận tiền của các hộ để đo đạc, "
            "cấp giấy chứng nhận quyền sử dụng đất sai diện tích.",
            contact_email="hopthu.congdan@example.vn",
            submitters=[_denouncer()],
            items=[
                ItemDataFactory(
                    kind=Kind.DENUNCIATION,
                    sector=sector("can-bo-cong-chuc"),
                    summary="Tố cáo công chức địa chính nhận tiền của dân",
                    denounced_person="Công chức địa chính xã Mường Kim",
                    denounced_agency=agency("ubnd-xa-muong-kim"),
                )
            ],
        ).petition
        at_board = petition.items.get()
        item_start_processing(item=at_board, by=board)
        item = item_transfer(item=at_board, by=board, target=agency("ubnd-xa-muong-kim"))
        item_start_processing(item=item, by=mk.reception)
        item_accept(item=item, by=mk.leader, handler=mk.handler)
        identity_for(mk.handler, petition, purpose="verification")
        item_start_verification(item=item, by=mk.handler)
        item_extend(item=item, by=mk.handler, reason="Phải xác minh tại nhiều hộ dân.")
        item_conclude(
            item=item,
            by=mk.handler,
            conclusion="Tố cáo đúng một phần; kiến nghị kiểm điểm công chức địa chính.",
            decision_number="09/KL-UBND",
        )
        item_close(item=item, by=mk.leader)
    petition.refresh_from_db()
    return SimpleNamespace(petition=petition, item=item, board=board, mk=mk, logs=caplog.text)


def test_denunciation_protects_the_identity_without_being_asked(flow: SimpleNamespace) -> None:
    assert flow.petition.identity_protected
    assert flow.petition.submitters.get().full_name == NAME  # kept, but only for the handlers


def test_transfer_letter_does_not_name_the_denouncer(flow: SimpleNamespace) -> None:
    letter = Letter.objects.get(petition=flow.petition, kind=Letter.Kind.TRANSFER)
    assert flow.petition.code in letter.body
    assert str(MASK) in letter.body
    assert not _leaks(letter.body)
    assert not _leaks(letter.addressee)


def test_lists_show_the_mask_in_place_of_the_denouncer(flow: SimpleNamespace) -> None:
    assert masked_display(flow.petition) == str(MASK)


def test_stored_display_name_does_not_name_the_denouncer(flow: SimpleNamespace) -> None:
    assert flow.petition.submitter_display == ""


def test_no_row_of_the_portal_names_the_denouncer_in_its_text(flow: SimpleNamespace) -> None:
    """Every value of every row, not only how the row prints: the submitter's own row is the one
    place the name is kept (encrypted, for the handlers)."""
    models: list[type[Model]] = [*apps.get_app_config("complaints").get_models(), Notification]
    read = 0
    for model in models:
        if model is Submitter:
            continue
        fields = [f for f in model._meta.concrete_fields if not f.is_relation]
        for row in model._default_manager.all():
            read += 1
            assert not _leaks(row), f"{model.__name__} #{row.pk}"
            for field in fields:
                value = field.value_from_object(row)
                assert not _leaks(json.dumps(value, default=str, ensure_ascii=False)), (
                    f"{model.__name__} #{row.pk}.{field.name}"
                )
    # The denunciation's petition, its items, events, letters and mails were all read.
    assert read >= ItemEvent.objects.filter(petition=flow.petition).count() + 3


def test_events_do_not_name_the_denouncer(flow: SimpleNamespace) -> None:
    events = list(ItemEvent.objects.filter(petition=flow.petition))
    assert len(events) >= 10
    for event in events:
        assert not _leaks(event.note)
        assert not _leaks(json.dumps(event.data, ensure_ascii=False))


def test_public_timeline_does_not_name_the_denouncer(flow: SimpleNamespace) -> None:
    texts = [e.public_text for e in public_timeline(flow.petition)]
    assert len(texts) >= 6
    assert not any(_leaks(t) for t in texts)


def test_emails_to_the_citizen_do_not_name_the_denouncer(flow: SimpleNamespace) -> None:
    assert [m.to for m in mail.outbox] == [["hopthu.congdan@example.vn"]] * 3
    for message in mail.outbox:
        assert flow.petition.code in message.subject + message.body
        assert not _leaks(message.subject)
        assert not _leaks(message.body)
        assert not any(_leaks(content) for content, _type in message.alternatives)


def test_logs_of_the_whole_flow_do_not_name_the_denouncer(flow: SimpleNamespace) -> None:
    assert not _leaks(flow.logs)


def test_search_by_the_denouncers_name_finds_nothing(flow: SimpleNamespace) -> None:
    assert not text_search(PetitionItem.objects.all(), "Zyxwq Thử").exists()


@pytest.mark.parametrize(
    "viewer",
    [
        lambda: staff_of("ubnd-phuong-tan-phong", Role.HANDLER),
        lambda: staff_of("ubnd-tinh", Role.LEADER),
        lambda: staff_of("ubnd-xa-muong-kim", Role.RECEPTION_OFFICER),
        lambda: staff_of("ban-tiep-cong-dan-tinh", Role.HANDLER),
    ],
    ids=["other-commune", "province-leader", "reception-officer", "board-after-transfer"],
)
def test_others_than_the_responsible_handlers_see_the_mask(flow: SimpleNamespace, viewer) -> None:
    reveals = IdentityReveal.objects.count()
    [shown] = identity_for(viewer(), flow.petition, purpose="view")
    assert shown.masked
    assert shown.full_name == str(MASK)
    assert not any(_leaks(v) for v in vars(shown).values())
    assert IdentityReveal.objects.count() == reveals


def test_handler_of_the_responsible_agency_sees_the_name_and_each_reveal_is_logged(
    flow: SimpleNamespace,
) -> None:
    before = IdentityReveal.objects.filter(user=flow.mk.handler).count()
    [shown] = identity_for(flow.mk.handler, flow.petition, purpose="dialogue")
    [shown_again] = identity_for(flow.mk.handler, flow.petition, purpose="report")
    assert (shown.full_name, shown.phone, shown.masked) == (NAME, "0915 246 813", False)
    assert shown_again.full_name == NAME
    purposes = IdentityReveal.objects.filter(user=flow.mk.handler, petition=flow.petition)
    assert purposes.count() == before + 2
    assert {"dialogue", "report"} <= set(purposes.values_list("purpose", flat=True))


def test_leader_of_the_responsible_agency_sees_the_name(flow: SimpleNamespace) -> None:
    [shown] = identity_for(flow.mk.leader, flow.petition, purpose="review")
    assert shown.full_name == NAME
    assert IdentityReveal.objects.filter(user=flow.mk.leader, purpose="review").count() == 1


def test_reclassified_denunciation_cannot_be_found_by_the_denouncers_name() -> None:
    item = submit_item(submitters=[_denouncer()])
    reception = staff_of("ubnd-xa-muong-kim", Role.RECEPTION_OFFICER)
    item_classify(
        item=item,
        by=reception,
        kind=Kind.DENUNCIATION,
        sector=sector("can-bo-cong-chuc"),
        is_complex=False,
    )
    assert Petition.objects.get(pk=item.petition_id).submitter_display == ""
    assert not text_search(PetitionItem.objects.all(), "Zyxwq").exists()


def test_denunciation_split_from_a_petition_cannot_be_found_by_the_denouncers_name() -> None:
    item = submit_item(submitters=[_denouncer()])
    reception = staff_of("ubnd-xa-muong-kim", Role.RECEPTION_OFFICER)
    petition_add_item(
        petition=item.petition,
        by=reception,
        data=ItemDataFactory(
            kind=Kind.DENUNCIATION,
            sector=sector("can-bo-cong-chuc"),
            denounced_person="Trưởng bản Phiêng Cằm",
        ),
    )
    petition = Petition.objects.get(pk=item.petition_id)
    assert petition.identity_protected
    assert masked_display(petition) == str(MASK)
    assert not text_search(PetitionItem.objects.all(), "Zyxwq").exists()
