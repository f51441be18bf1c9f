"""Intake (tiếp nhận đơn): a petition received online, at the counter, by post or in a
reception session, routed, given its first deadline and examined for duplicates and mass
complaints; and the items added to a petition already received (a split, a second complaint,
the new item a transfer opens)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import codes, deadlines, detection, events, uploads
from complaints.confidentiality import SubmitterData
from complaints.models import ItemDeadline, Petition, PetitionItem, Status, Submitter
from complaints.routing import competent_route
from complaints.services.attachments import _attachment_save, attachments_prepare
from complaints.services.common import (
    Kind,
    _index_text,
    _protect_identity,
    _route,
)
from gov import authority, privacy_notice
from gov.authority import Act
from gov.errors import Refused
from gov.fast.inserts import insert_rows, insert_together, inserts_are_one_statement
from gov.legal import representatives_error
from gov.models import AdministrativeUnit, Agency, Sector, User
from gov.queue import enqueue


@dataclass
class ItemData:
    kind: str
    sector: Sector
    summary: str
    contested_decision: str = ""
    issuer_agency: Agency | None = None
    issuer_text: str = ""
    decision_date: dt.date | None = None
    first_round_item: PetitionItem | None = None
    denounced_person: str = ""
    denounced_agency: Agency | None = None
    denounced_is_head: bool = False
    is_complex: bool = False


@dataclass
class Submission:
    channel: str
    receiving_agency: Agency
    location_unit: AdministrativeUnit
    content: str
    items: list[ItemData]
    submitters: list[SubmitterData] = field(default_factory=list)
    received_on: dt.date | None = None
    submitter_type: str = Petition.SubmitterType.PERSON
    organisation_name: str = ""
    group_size: int = 1
    identity_protected: bool = False
    is_anonymous: bool = False
    is_signed: bool = True
    location_address: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    # The citizen agreed to news of the petition by SMS/Zalo at ``contact_phone`` (Law 91/2025).
    phone_consent: bool = False
    attachments: list[UploadedFile] = field(default_factory=list)


@dataclass(frozen=True)
class SubmissionResult:
    petition: Petition
    secret: str


def too_many_submitters() -> str:
    return _("A petition names at most %(max)s people.") % {"max": settings.PORTAL_MAX_SUBMITTERS}


def _validate_submission(data: Submission, *, by: User | None, today: dt.date) -> dt.date:
    errors: dict[str, list[str]] = {}
    received_on = data.received_on or today
    if not data.items:
        errors.setdefault("items", []).append(_("A petition has at least one item."))
    if received_on > today:
        errors.setdefault("received_on", []).append(_("The date received cannot be in the future."))
    if received_on < today and by is None:
        errors.setdefault("received_on", []).append(
            _("Only an officer may record an earlier date.")
        )
    if len(data.submitters) > settings.PORTAL_MAX_SUBMITTERS:
        errors.setdefault("submitters", []).append(too_many_submitters())
    if not data.is_anonymous and not data.submitters:
        errors.setdefault("submitters", []).append(
            _("Give the submitter's name, or mark the petition anonymous.")
        )
    if data.submitter_type == Petition.SubmitterType.GROUP:
        reps = sum(s.is_representative for s in data.submitters)
        message = representatives_error(data.group_size, reps)
        if message:
            errors.setdefault("submitters", []).append(message)
        if data.group_size < 2:
            errors.setdefault("group_size", []).append(_("A group has at least 2 people."))
    if (
        data.submitter_type == Petition.SubmitterType.ORGANISATION
        and not data.organisation_name.strip()
    ):
        errors.setdefault("organisation_name", []).append(_("Give the organisation's name."))
    for it in data.items:
        if it.first_round_item is not None and it.kind != Kind.COMPLAINT:
            errors.setdefault("items", []).append(
                _("Only a complaint can follow a first complaint.")
            )
    if errors:
        raise Refused(errors)
    return received_on


def _display_name(data: Submission, *, protected: bool) -> str:
    if protected or data.is_anonymous or not data.submitters:
        return ""
    first = next((s for s in data.submitters if s.is_representative), data.submitters[0])
    if data.submitter_type == Petition.SubmitterType.ORGANISATION:
        return data.organisation_name[:200]
    if data.submitter_type == Petition.SubmitterType.GROUP:
        return _("%(name)s and %(n)s others") % {"name": first.full_name, "n": data.group_size - 1}
    return first.full_name[:200]


def petition_submit(*, data: Submission, by: User | None = None) -> SubmissionResult:
    """Receive a petition, online (``by`` None) or at the counter, by post, in a reception
    session (``by`` the officer). Returns the petition and its one-time secret.

    The tracking code is drawn at random; in the rare case that it is taken, the whole
    submission is tried again with another (its first write is the petition, so nothing else
    was written)."""
    today = timezone.localdate()
    received_on = _validate_submission(data, by=by, today=today)
    files = attachments_prepare(data.attachments)
    for _attempt in range(5):
        code = codes.new_code()
        try:
            return _submit(
                data,
                files,
                by=by,
                code=code,
                received_on=received_on,
                backdated=received_on < today,
            )
        except IntegrityError:
            if not Petition.objects.filter(code=code).exists():
                raise
    raise RuntimeError("Could not draw a unique tracking code")


def _submit(
    data: Submission,
    files: list[uploads.Prepared],
    *,
    by: User | None,
    code: str,
    received_on: dt.date,
    backdated: bool,
) -> SubmissionResult:
    """One attempt of ``petition_submit``. Everything is decided in memory first (routing,
    deadlines, duplicate and mass-complaint detection read what they need), then the petition,
    its submitters, items, deadlines and events are written together: on PostgreSQL in one
    statement (``gov.fast.inserts.insert_together``), atomic by itself. A transaction is opened only
    where more is written (attachments, a cluster of similar petitions completed), where the
    rows go in one statement per table, or inside a caller's transaction (a savepoint, which
    a retry after a taken code needs)."""
    unit = data.location_unit.current()
    protected = data.identity_protected or any(it.kind == Kind.DENUNCIATION for it in data.items)
    first = data.submitters[0] if data.submitters else SubmitterData(full_name="")
    secret = codes.new_secret()
    petition = Petition(
        code=code,
        secret_hash=codes.hash_secret(code, secret),
        channel=data.channel,
        received_on=received_on,
        recorded_by=by,
        is_backdated=backdated,
        receiving_agency=data.receiving_agency,
        submitter_type=data.submitter_type,
        organisation_name=data.organisation_name,
        group_size=max(data.group_size, len(data.submitters), 1),
        is_anonymous=data.is_anonymous,
        is_signed=data.is_signed,
        identity_protected=protected,
        submitter_display=_display_name(data, protected=protected),
        submitter_key=""
        if data.is_anonymous
        else detection.submitter_key(
            id_number=first.id_number, phone=first.phone, full_name=first.full_name, unit_id=unit.pk
        ),
        content=data.content,
        location_unit=data.location_unit,
        unit=unit,
        location_address=data.location_address,
        contact_email=data.contact_email,
        contact_phone=data.contact_phone,
        phone_consent_at=timezone.now() if data.phone_consent and data.contact_phone else None,
        privacy_notice=privacy_notice.VERSION,
    )
    # An officer who records a petition for another agency (at a department's counter, in a
    # reception session) has referred it there, and follows it.
    recorder = by.agency if by is not None and by.agency_id else None
    items = [
        _item_build(
            petition,
            number=n,
            data=it,
            agency=data.receiving_agency,
            received_on=received_on,
            referred_by=recorder,
        )
        for n, it in enumerate(data.items, start=1)
    ]
    findings = [detection.examine(item) for item in items]
    for item, finding in zip(items, findings, strict=True):
        detection.mark(item, finding)
    submitters = [
        Submitter(petition=petition, position=i, **dataclasses.asdict(s))
        for i, s in enumerate([] if data.is_anonymous else data.submitters)
    ]
    with events.collected() as recorded:
        deadlines = _intake_rows(items, received_on=received_on, by=by)
        for item, finding in zip(items, findings, strict=True):
            detection.record_flags(item, finding)
    clusters = [(item, f) for item, f in zip(items, findings, strict=True) if f.enough_people]
    alone = inserts_are_one_statement() and not (files or clusters or connection.in_atomic_block)
    with nullcontext() if alone else transaction.atomic():
        insert_together([petition, *submitters, *items, *deadlines, *recorded])
        for prepared in files:
            _attachment_save(petition, prepared)
        with events.batch():
            for item, finding in clusters:
                detection.record_cluster(item, finding)
        if petition.contact_email:
            from complaints.tasks import acknowledgement_send_task

            # After the commit; at once where no transaction was needed.
            transaction.on_commit(lambda: enqueue(acknowledgement_send_task, petition.pk))
    return SubmissionResult(petition=petition, secret=secret)


def _item_build(
    petition: Petition,
    *,
    number: int,
    data: ItemData,
    agency: Agency,
    received_on: dt.date,
    transferred_from: PetitionItem | None = None,
    referred_by: Agency | None = None,
) -> PetitionItem:
    """A new item, routed, with its first deadline and its words, not yet saved.
    ``referred_by``: the agency that sent it to ``agency``, which keeps reading it
    (``PetitionItem.need_to_know``)."""
    item = PetitionItem(
        petition=petition,
        number=number,
        kind=data.kind,
        sector=data.sector,
        summary=data.summary,
        agency=agency,
        scope_path=agency.unit.path,
        started_on=received_on,
        contested_decision=data.contested_decision,
        issuer_agency=data.issuer_agency,
        issuer_text=data.issuer_text,
        decision_date=data.decision_date,
        complaint_round=2 if data.first_round_item else 1,
        first_round_item=data.first_round_item,
        denounced_person=data.denounced_person,
        denounced_agency=data.denounced_agency,
        denounced_is_head=data.denounced_is_head,
        is_complex=data.is_complex,
        is_remote=petition.unit.is_remote,
        place_commune=detection.commune_of(petition.unit),
        received_on=petition.received_on,
        submitter_key=petition.submitter_key,
        sender_known=petition.sender_known,
        transferred_from=transferred_from,
        referred_by=referred_by if referred_by is not None and referred_by != agency else None,
    )
    _route(item, addressed_to=agency)
    stage, deadline = deadlines.intake_deadline(item, received_on=received_on)
    item.due_stage, item.due_on, item.due_rule = stage, deadline.due, deadline.rule
    _index_text(item)
    return item


def _intake_records(
    items: list[PetitionItem],
    *,
    received_on: dt.date,
    by: User | None,
    transferred_from: PetitionItem | None = None,
) -> None:
    """The first deadline and the intake events of items just saved."""
    insert_rows(
        _intake_rows(items, received_on=received_on, by=by, transferred_from=transferred_from)
    )


def _intake_rows(
    items: list[PetitionItem],
    *,
    received_on: dt.date,
    by: User | None,
    transferred_from: PetitionItem | None = None,
) -> list[ItemDeadline]:
    """The intake events of new items, recorded, and their first deadlines, not yet saved."""
    for item in items:
        if transferred_from is not None:
            events.transferred_in(item, actor=by, source=transferred_from)
        elif item.first_round_item_id:
            events.second_complaint(item, actor=by, first=item.first_round_item)
        else:
            backdated = received_on.strftime("%d/%m/%Y") if item.petition.is_backdated else ""
            events.received(item, actor=by, backdated_from=backdated)
        if item.is_skip_level:
            events.flagged(item, flag="skip_level", note=item.skip_level_reason)
    return [
        ItemDeadline(
            item=item,
            stage=item.due_stage,
            start_on=received_on,
            due_on=item.due_on,
            rule=item.due_rule,
            reason=ItemDeadline.Reason.STAGE,
            created_by=by,
        )
        for item in items
    ]


def _item_create(
    petition: Petition,
    *,
    number: int,
    data: ItemData,
    agency: Agency,
    received_on: dt.date,
    by: User | None,
    transferred_from: PetitionItem | None = None,
    referred_by: Agency | None = None,
) -> PetitionItem:
    """Add one item to a petition already received (a transfer, a split, a second complaint)."""
    item = _item_build(
        petition,
        number=number,
        data=data,
        agency=agency,
        received_on=received_on,
        transferred_from=transferred_from,
        referred_by=referred_by,
    )
    item.save(force_insert=True)
    _intake_records([item], received_on=received_on, by=by, transferred_from=transferred_from)
    return item


@transaction.atomic
def petition_add_item(*, petition: Petition, by: User, data: ItemData) -> PetitionItem:
    """Split a mixed petition: add an item of another kind (Luật Tiếp công dân Art. 26)."""
    holder = (
        petition.items.filter(agency_id=by.agency_id)
        .select_related("agency")
        .order_by("number")
        .first()
    )
    if holder is None or not authority.may_act(by, Act.PETITION_PROCESS, holder.agency):
        raise Refused(_("Only the agency holding the petition may split it."))
    if holder.status not in {Status.RECEIVED, Status.PROCESSING}:
        raise Refused(_("Only a petition being processed can be split."))
    if data.kind == Kind.DENUNCIATION:
        _protect_identity(petition)
    number = (petition.items.aggregate(n=Max("number"))["n"] or 0) + 1
    return _item_create(
        petition,
        number=number,
        data=data,
        agency=holder.agency,
        received_on=petition.received_on,
        by=by,
    )


@transaction.atomic
def second_complaint_lodge(
    *, first: PetitionItem, summary: str, by: User | None = None, received_on: dt.date | None = None
) -> PetitionItem:
    """Open the second complaint (khiếu nại lần hai) as a new item of the same petition, linked
    to the first, with the superior of the first decider as competent body (Luật Khiếu nại
    Art. 33). Lodged before the first was decided or its time limit passed, it is skip-level."""
    first = PetitionItem.objects.select_related("petition", "agency").get(pk=first.pk)
    if first.kind != Kind.COMPLAINT or first.complaint_round != 1:
        raise Refused(_("Only a first complaint can be followed by a second one."))
    if first.second_round_items.exists():
        raise Refused(_("A second complaint was already lodged for this item."))
    if len(summary.strip()) < 20:
        raise Refused(_("Describe why you disagree (at least 20 characters)."))
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today or (by is None and received_on != today):
        raise Refused(_("The date received cannot be in the future."))
    probe = PetitionItem(
        kind=Kind.COMPLAINT,
        complaint_round=2,
        issuer_agency=first.issuer_agency or first.agency,
        sector=first.sector,
        petition=first.petition,
    )
    route = competent_route(probe, unit=first.petition.unit)
    addressed_to = route.agency or first.agency
    number = (first.petition.items.aggregate(n=Max("number"))["n"] or 0) + 1
    data = ItemData(
        kind=Kind.COMPLAINT,
        sector=first.sector,
        summary=summary.strip(),
        contested_decision=first.decision_number or first.contested_decision,
        issuer_agency=first.issuer_agency or first.agency,
        issuer_text=first.issuer_text,
        decision_date=first.concluded_on or first.decision_date,
        first_round_item=first,
    )
    second = _item_create(
        first.petition,
        number=number,
        data=data,
        agency=addressed_to,
        received_on=received_on,
        by=by,
        referred_by=first.agency,  # the first decider is sent the second decision
    )
    if addressed_to != first.agency:  # the second decider reads the first file
        first.referred_to = addressed_to
        first.save(update_fields=["referred_to", "updated_at"])
    return second
