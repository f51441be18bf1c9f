"""Identities are erased from the portal once their retention period has ended (Law 91/2025);
the case itself stays."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from complaints import services
from complaints.models import Channel, ItemEvent, Petition, PetitionItem, Submitter
from dialogues.models import FollowUpEvent
from gov.models import AuditRecord
from privacy.models import RetentionRule
from privacy.services import retention_sweep
from reception.models import ReceptionEvent
from tests.complaints.factories import ItemDataFactory, muong_kim_staff, on, submit
from tests.dialogues.factories import mediation
from tests.reception.factories import log_session, log_visit
from tests.security.uploads_helpers import pdf

pytestmark = pytest.mark.django_db
Kind = PetitionItem.Kind


def _filed_recommendation(staff: object) -> Petition:
    petition = submit(
        by=staff.reception, channel=Channel.COUNTER, contact_email="lo.van.thu@example.vn"
    ).petition
    item = petition.items.get()
    services.item_file(item=item, by=staff.handler, ground=PetitionItem.FilingGround.NOT_SPECIFIC)
    return petition


def _resolved_complaint(staff: object) -> Petition:
    petition = submit(
        by=staff.reception,
        channel=Channel.COUNTER,
        items=[
            ItemDataFactory(
                kind=Kind.COMPLAINT,
                contested_decision="Quyết định thu hồi đất số 12/QĐ-UBND",
                issuer_text="UBND xã Mường Kim",
                decision_date=dt.date(2026, 2, 2),
            )
        ],
    ).petition
    item = petition.items.get()
    services.item_accept(item=item, by=staff.leader, handler=staff.handler)
    services.item_conclude(item=item, by=staff.handler, conclusion="Khiếu nại đúng một phần.")
    services.item_close(item=item, by=staff.handler)
    return petition


def test_identities_erased_after_their_period_and_the_case_kept() -> None:
    staff = muong_kim_staff()
    with time_machine.travel(on(2026, 3, 2), tick=False):
        filed = _filed_recommendation(staff)
        services.attachment_add(
            petition=filed,
            upload=SimpleUploadedFile("don.pdf", pdf(), "application/pdf"),
        )
        resolved = _resolved_complaint(staff)
        still_open = submit(by=staff.reception, channel=Channel.COUNTER).petition
    name = filed.submitters.get().full_name

    with time_machine.travel(on(2031, 3, 2), tick=False):
        assert retention_sweep().petitions == 0  # the day the period ends, not before
    with time_machine.travel(on(2031, 3, 3), tick=False):
        report = retention_sweep()

    assert report.petitions == 1 and report.files == 1
    filed.refresh_from_db()
    assert filed.anonymised_at is not None
    assert (filed.submitter_display, filed.contact_email, filed.submitter_key) == ("", "", "")
    person = Submitter.objects.get(petition=filed)
    assert name not in person.full_name and (person.phone, person.address) == ("", "")
    item = filed.items.get()
    assert name.casefold() not in item.search_text.casefold() and item.submitter_key == ""
    assert item.summary and item.status == "filed"  # the case itself stays
    assert filed.attachments.count() == 0
    event = ItemEvent.objects.get(item=item, kind=ItemEvent.Kind.ANONYMISED)
    assert event.data == {"rule": "other_petition", "years": 5, "files_deleted": 1}
    audited = AuditRecord.objects.get(kind=AuditRecord.Kind.ANONYMISED)
    assert audited.data["petitions"] == 1 and audited.actor is None
    # A resolved complaint keeps its identities 15 years; an open petition, always.
    for kept in (resolved, still_open):
        kept.refresh_from_db()
        assert kept.anonymised_at is None and kept.submitters.get().full_name.startswith("Lò")

    with time_machine.travel(on(2041, 3, 3), tick=False):
        assert retention_sweep().petitions == 1
    resolved.refresh_from_db()
    still_open.refresh_from_db()
    assert resolved.anonymised_at is not None and still_open.anonymised_at is None


def test_sweep_twice_erases_once() -> None:
    staff = muong_kim_staff()
    with time_machine.travel(on(2026, 3, 2), tick=False):
        petition = _filed_recommendation(staff)
    with time_machine.travel(on(2031, 3, 3), tick=False):
        assert retention_sweep().petitions == 1
        assert retention_sweep().total == 0
    assert ItemEvent.objects.filter(petition=petition, kind=ItemEvent.Kind.ANONYMISED).count() == 1


def test_periods_are_data_the_archivist_changes() -> None:
    staff = muong_kim_staff()
    with time_machine.travel(on(2026, 3, 2), tick=False):
        petition = _filed_recommendation(staff)
    RetentionRule.objects.create(
        record_kind=RetentionRule.RecordKind.OTHER_PETITION,
        years=20,
        counted_from="the last step",
        valid_from=dt.date(2030, 6, 1),
        source="Quyết định của tỉnh (thử)",
        confidence="T",
    )
    with time_machine.travel(on(2031, 3, 3), tick=False):
        assert retention_sweep().petitions == 0
    petition.refresh_from_db()
    assert petition.anonymised_at is None


def test_visitors_and_mediation_parties_erased_after_their_period() -> None:
    staff = muong_kim_staff()
    with time_machine.travel(on(2026, 5, 12), tick=False):
        session = log_session(by=staff.reception, date=dt.date(2026, 5, 6))
        visit = log_visit(session=session, by=staff.reception, id_number="011223344556")
        case = mediation(by=staff.leader, assigned_on=dt.date(2026, 5, 6))
        from dialogues import services as follow_up

        follow_up.mediation_start(case=case, by=staff.leader, started_on=dt.date(2026, 5, 7))
        follow_up.mediation_conclude(
            case=case,
            by=staff.leader,
            outcome="unsuccessful",
            outcome_on=dt.date(2026, 5, 11),
        )
    assert visit.person_key

    with time_machine.travel(on(2031, 5, 12), tick=False):
        report = retention_sweep()
    assert (report.visits, report.mediation_cases) == (0, 1)  # 10 years for visits, 5 for mediation
    case.refresh_from_db()
    assert "Lò Văn Ún" not in case.parties and case.dispute
    assert FollowUpEvent.objects.filter(mediation_case=case, kind="anonymised").exists()

    with time_machine.travel(on(2036, 5, 7), tick=False):
        assert retention_sweep().visits == 1
    visit.refresh_from_db()
    assert (visit.id_number, visit.phone, visit.address, visit.person_key) == ("", "", "", "")
    assert visit.full_name.startswith("[") and visit.content
    assert ReceptionEvent.objects.filter(session=session, kind="visits_anonymised").exists()


def test_sweep_command_runs_the_retention_job(capsys: pytest.CaptureFixture[str]) -> None:
    staff = muong_kim_staff()
    with time_machine.travel(on(2026, 3, 2), tick=False):
        _filed_recommendation(staff)
    with time_machine.travel(on(2031, 3, 3), tick=False):
        call_command("sweep")
    assert "records anonymised: 1" in capsys.readouterr().out
