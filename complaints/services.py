"""Writes to petitions: intake, processing (xử lý đơn) and resolution.

Every function validates, changes the item through the lifecycle table, writes the deadline
history and an event, all in one transaction. Views, the API, the admin and tasks call these.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gov import authority, privacy_notice
from gov.authority import Act
from gov.fast.inserts import insert_rows, insert_together, inserts_are_one_statement
from gov.legal import representatives_error
from gov.models import AdministrativeUnit, Agency, Sector, User
from gov.queue import enqueue
from gov.text import fold_diacritics

from . import codes, deadlines, detection, events, scanning, uploads
from .confidentiality import identity_for_letter
from .models import (
    Attachment,
    ItemDeadline,
    ItemEvent,
    Letter,
    Petition,
    PetitionItem,
    Status,
    Submitter,
)
from .models.items import PETITION_LIFECYCLE
from .routing import competent_route, skip_level_reason

Kind = PetitionItem.Kind


class ActionRefused(ValidationError):
    """An action the law, the lifecycle or the user's role does not allow; the message says why."""


@dataclass
class SubmitterData:
    full_name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    is_representative: bool = False


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


# --- intake ----------------------------------------------------------------------------------


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
        raise ValidationError(errors)
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


def _index_text(item: PetitionItem) -> None:
    """What search and detection read: the folded search text and the item's word set."""
    item.search_text = search_text_of(item)
    detection.set_words(item)


def search_text_of(item: PetitionItem) -> str:
    p = item.petition
    parts = [
        p.code,
        item.summary,
        p.content,
        p.location_address,
        item.denounced_person,
        item.contested_decision,
        item.issuer_text,
        p.submitter_display,
    ]
    return fold_diacritics(" ".join(x for x in parts if x))


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
            from .tasks import acknowledgement_send_task

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


def _protect_identity(petition: Petition) -> None:
    """Protect the submitter's identity from now on (a denunciation appeared in the petition):
    drop the name from what lists show and from every item's search text."""
    if petition.identity_protected and not petition.submitter_display:
        return
    petition.identity_protected, petition.submitter_display = True, ""
    petition.save(update_fields=["identity_protected", "submitter_display"])
    for other in petition.items.all():
        other.petition = petition
        other.search_text = search_text_of(other)
        other.save(update_fields=["search_text"])


def _route(item: PetitionItem, *, addressed_to: Agency) -> None:
    route = competent_route(item, unit=item.petition.unit)
    item.proposed_agency = route.agency
    reason = skip_level_reason(item, addressed_to=addressed_to, route=route)
    item.is_skip_level, item.skip_level_reason = bool(reason), reason[:255]


def attachments_prepare(files: list[UploadedFile]) -> list[uploads.Prepared]:
    """Every file checked by its bytes and made ready to store (``complaints.uploads``),
    before anything is written; the refusals as the "attachments" field's errors."""
    prepared, refused = [], []
    for upload in files:
        try:
            ready = uploads.prepare(upload)
            # What is stored is what is scanned (complaints.scanning).
            status = scanning.status_on_upload(ready.data, name=ready.original_name)
            prepared.append(dataclasses.replace(ready, scan_status=status))
        except ValidationError as exc:
            refused.extend(exc.messages)
    if refused:
        raise ValidationError({"attachments": refused})
    return prepared


def _attachment_save(petition: Petition, prepared: uploads.Prepared) -> Attachment:
    return Attachment.objects.create(
        petition=petition,
        file=prepared.content,  # under a random name
        original_name=prepared.original_name,
        size=prepared.size,
        content_type=prepared.kind.content_type,  # the content's, never the client's
        scan_status=prepared.scan_status,
        scanned_at=timezone.now() if prepared.scan_status == Attachment.Scan.CLEAN else None,
    )


def attachment_recheck(*, attachment: Attachment) -> bool:
    """Check a file stored before files were checked by their bytes, as a new one would be: an
    image re-encoded without its metadata (GPS), the content type derived, the stored name
    random. A file refused keeps its bytes but is sent as "application/octet-stream" (the
    download view trusts no other type); returns whether it passed."""
    with attachment.file.open("rb") as f:
        upload = File(io.BytesIO(f.read()), name=attachment.original_name)
    try:
        [prepared] = attachments_prepare([upload])
    except ValidationError:
        attachment.content_type = "application/octet-stream"
        attachment.save(update_fields=["content_type"])
        return False
    old = attachment.file.name
    with transaction.atomic():
        attachment.file.save(prepared.content.name, prepared.content, save=False)
        attachment.original_name = prepared.original_name
        attachment.size = prepared.size
        attachment.content_type = prepared.kind.content_type
        attachment.scan_status = prepared.scan_status
        attachment.scanned_at = (
            timezone.now() if prepared.scan_status == Attachment.Scan.CLEAN else None
        )
        attachment.save(
            update_fields=[
                "file",
                "original_name",
                "size",
                "content_type",
                "scan_status",
                "scanned_at",
            ]
        )
    attachment.file.storage.delete(old)
    return True


def attachment_add(*, petition: Petition, upload: UploadedFile) -> Attachment:
    """Attach a citizen's file to ``petition``: checked by its bytes, images re-encoded
    without their metadata (GPS), stored under a random name with the derived content type."""
    [prepared] = attachments_prepare([upload])
    return _attachment_save(petition, prepared)


# --- the sender's contact ---------------------------------------------------------------------


def petition_contact_confirm(
    *, petition: Petition, by: User | None, how: str, note: str = ""
) -> bool:
    """Record that the sender's contact is confirmed: by the citizen, following the link in the
    acknowledgement e-mail (``by`` None, ``how`` "email"), or by an officer after calling the
    sender (``how`` "officer"). From then on the petition counts towards mass complaints and
    hotspots (complaints.detection), and the clusters it belongs to are counted again now.
    Returns False when its sender was known already (nothing is written)."""
    with transaction.atomic():
        petition = Petition.objects.select_for_update().get(pk=petition.pk)
        if petition.sender_known:
            return False
        petition.contact_verified_at = timezone.now()
        petition.save(update_fields=["contact_verified_at"])
        petition.items.update(sender_known=True)
        items = list(petition.items.order_by("number"))
        with events.batch():
            for item in items:
                item.petition = petition
                events.contact_verified(item, actor=by, how=how, note=note)
        for item in items:
            if item.transferred_from_id is None:
                detection.recount(item)
    return True


@transaction.atomic
def item_confirm_contact(*, item: PetitionItem, by: User, note: str) -> PetitionItem:
    """An officer of the responsible agency reached the sender (called the phone number the
    petition gives) and confirmed who sent it; ``note`` says how."""
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_PROCESS)
    if item.petition.sender_known:
        raise ActionRefused(_("This sender is known already: nothing to confirm."))
    if not note.strip():
        raise ActionRefused(_("Record how you confirmed the sender's contact."))
    petition_contact_confirm(petition=item.petition, by=by, how="officer", note=note)
    return item


# --- processing and resolution ---------------------------------------------------------------


def _check_actor(item: PetitionItem, by: User, act: str) -> None:
    """The action acts for the agency holding ``item`` (``gov.authority.RULES`` says who may)."""
    authority.require(by, act, item.agency, refused=ActionRefused)


def _may_handle(handler: User, item: PetitionItem) -> bool:
    """Whether ``handler`` may be named to resolve ``item``: an active account of the holding
    agency in a role that resolves."""
    return authority.may_act(handler, Act.PETITION_RESOLVE, item.agency)


def _move(item: PetitionItem, to: str) -> str:
    """Set the item's status if its lifecycle allows it; returns the status before."""
    return PETITION_LIFECYCLE.move(item, to, field_name="status", refused=ActionRefused)


def _locked(item: PetitionItem) -> PetitionItem:
    return (
        PetitionItem.objects.select_for_update(of=("self",))
        .select_related("petition", "agency")
        .get(pk=item.pk)
    )


def _save(item: PetitionItem, *fields: str) -> None:
    item.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def item_start_processing(*, item: PetitionItem, by: User) -> PetitionItem:
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_PROCESS)
    before = _move(item, Status.PROCESSING)
    _save(item, "status")
    events.status_changed(
        item,
        ItemEvent.Kind.PROCESSING_STARTED,
        actor=by,
        from_status=before,
        public={"agency": item.agency.name},
    )
    return item


@transaction.atomic
def item_classify(
    *,
    item: PetitionItem,
    by: User,
    kind: str,
    sector: Sector,
    is_complex: bool,
    summary: str | None = None,
) -> PetitionItem:
    """Classify (phân loại) an item during processing; a new kind re-routes it and recomputes
    its intake deadline from the date received."""
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_PROCESS)
    if item.status not in {Status.RECEIVED, Status.PROCESSING}:
        raise ActionRefused(_("Only a petition being processed can be classified."))
    before = {"kind": item.kind, "sector": item.sector_id, "is_complex": item.is_complex}
    item.kind, item.sector, item.is_complex = kind, sector, is_complex
    if summary is not None:
        item.summary = summary
    if kind == Kind.DENUNCIATION:
        _protect_identity(item.petition)
    _route(item, addressed_to=item.agency)
    if before["kind"] != kind or before["is_complex"] != is_complex:
        stage, deadline = deadlines.intake_deadline(item, received_on=item.started_on)
        deadlines.deadline_set(
            item,
            stage=stage,
            start_on=item.started_on,
            deadline=deadline,
            reason=ItemDeadline.Reason.RECLASSIFIED,
            by=by,
        )
    _index_text(item)
    item.save()
    events.classified(
        item,
        actor=by,
        before=before,
        after={"kind": kind, "sector": sector.pk, "is_complex": is_complex},
    )
    return item


@transaction.atomic
def item_accept(
    *, item: PetitionItem, by: User, handler: User, accepted_on: dt.date | None = None
) -> PetitionItem:
    """Accept the item for resolution (thụ lý) and name its handler."""
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_PROCESS)
    accepted_on = accepted_on or timezone.localdate()
    if not _may_handle(handler, item):
        raise ActionRefused(
            _("The handler must be an active handler or leader of %(agency)s.")
            % {"agency": item.agency.name}
        )
    if accepted_on < item.petition.received_on or accepted_on > timezone.localdate():
        raise ActionRefused(_("The acceptance date must lie between the date received and today."))
    before = _move(item, Status.ACCEPTED)
    item.handler, item.accepted_on, item.started_on = handler, accepted_on, accepted_on
    deadline = deadlines.resolution_deadline(item, accepted_on=accepted_on)
    deadlines.deadline_set(
        item,
        stage=deadlines.resolution_stage(item),
        start_on=accepted_on,
        deadline=deadline,
        reason=ItemDeadline.Reason.STAGE,
        by=by,
    )
    _save(item, "status", "handler", "accepted_on", "started_on", "due_stage", "due_on", "due_rule")
    events.status_changed(
        item,
        ItemEvent.Kind.ACCEPTED,
        actor=by,
        from_status=before,
        public={"agency": item.agency.name, "due": deadline.due.strftime("%d/%m/%Y")},
        data={"handler": handler.pk},
    )
    return item


def _letter(
    item: PetitionItem, *, kind: str, by: User, addressee: str, template: str, context: dict
) -> Letter:
    """Write a numbered letter; numbers run per agency, kind and year (Số: 3/PC-UBND). The
    agency row is locked so two letters written at once never share a number."""
    Agency.objects.select_for_update().filter(pk=item.agency_id).first()
    year = timezone.localdate().year
    seq = (
        Letter.objects.filter(agency_id=item.agency_id, kind=kind, year=year).aggregate(
            n=Max("seq")
        )["n"]
        or 0
    ) + 1
    prefix = "PC" if kind == Letter.Kind.TRANSFER else "HD"
    number = f"{seq}/{prefix}-{item.agency.short_name or item.agency.code}"
    body = render_to_string(
        template,
        {
            "item": item,
            "petition": item.petition,
            "number": number,
            "today": timezone.localdate(),
            "submitter": identity_for_letter(item.petition),
            "by": by,
            **context,
        },
    )
    return Letter.objects.create(
        petition=item.petition,
        item=item,
        kind=kind,
        agency_id=item.agency_id,
        year=year,
        seq=seq,
        number=number,
        addressee=addressee[:200],
        body=body,
        created_by=by,
    )


@transaction.atomic
def item_transfer(*, item: PetitionItem, by: User, target: Agency, note: str = "") -> PetitionItem:
    """Transfer the item to the competent agency (chuyển đơn): a transfer letter is written, the
    target receives a new item with its own processing deadline, and the citizen is told."""
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_PROCESS)
    if target.pk == item.agency_id:
        raise ActionRefused(_("The petition is already with %(agency)s.") % {"agency": target.name})
    if target.valid_to is not None:
        raise ActionRefused(_("%(agency)s no longer exists.") % {"agency": target.name})
    before = _move(item, Status.TRANSFERRED)
    item.due_on, item.referred_to = None, target  # the target reads what it received
    _save(item, "status", "due_on", "referred_to")
    letter = _letter(
        item,
        kind=Letter.Kind.TRANSFER,
        by=by,
        addressee=target.name,
        template="complaints/letters/transfer.txt",
        context={"target": target, "note": note},
    )
    events.status_changed(
        item,
        ItemEvent.Kind.TRANSFERRED_OUT,
        actor=by,
        from_status=before,
        note=note,
        public={"target": target.name},
        data={"target": target.pk, "letter": letter.pk},
    )
    number = (item.petition.items.aggregate(n=Max("number"))["n"] or 0) + 1
    data = ItemData(
        kind=item.kind,
        sector=item.sector,
        summary=item.summary,
        contested_decision=item.contested_decision,
        issuer_agency=item.issuer_agency,
        issuer_text=item.issuer_text,
        decision_date=item.decision_date,
        first_round_item=item.first_round_item,
        denounced_person=item.denounced_person,
        denounced_agency=item.denounced_agency,
        denounced_is_head=item.denounced_is_head,
        is_complex=item.is_complex,
    )
    new = _item_create(
        item.petition,
        number=number,
        data=data,
        agency=target,
        received_on=timezone.localdate(),
        by=by,
        transferred_from=item,
        referred_by=item.agency,
    )
    if item.petition.contact_email:
        from .tasks import status_update_send_task

        transaction.on_commit(lambda: enqueue(status_update_send_task, item.pk))
    return new


@transaction.atomic
def item_guide(*, item: PetitionItem, by: User, guidance: str) -> Letter:
    """Guide the citizen to the competent body (hướng dẫn), once, with a guidance letter."""
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_PROCESS)
    if not guidance.strip():
        raise ActionRefused(_("Write the guidance for the citizen."))
    before = _move(item, Status.GUIDED)
    item.due_on = None
    _save(item, "status", "due_on")
    letter = _letter(
        item,
        kind=Letter.Kind.GUIDANCE,
        by=by,
        addressee=identity_for_letter(item.petition),
        template="complaints/letters/guidance.txt",
        context={"guidance": guidance},
    )
    events.status_changed(
        item,
        ItemEvent.Kind.GUIDED,
        actor=by,
        from_status=before,
        note=guidance,
        public={"agency": item.agency.name},
        data={"letter": letter.pk},
    )
    if item.petition.contact_email:
        from .tasks import status_update_send_task

        transaction.on_commit(lambda: enqueue(status_update_send_task, item.pk))
    return letter


@transaction.atomic
def item_file(*, item: PetitionItem, by: User, ground: str, note: str = "") -> PetitionItem:
    """File the item without handling it (lưu đơn), on a legal ground."""
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_PROCESS)
    if ground not in PetitionItem.FilingGround.values:
        raise ActionRefused(_("Choose the legal ground for filing."))
    if ground == PetitionItem.FilingGround.OTHER and not note.strip():
        raise ActionRefused(_("Explain the other legal ground."))
    before = _move(item, Status.FILED)
    item.filing_ground, item.due_on = ground, None
    _save(item, "status", "filing_ground", "due_on")
    events.status_changed(
        item,
        ItemEvent.Kind.FILED,
        actor=by,
        from_status=before,
        note=note,
        public={"ground": str(PetitionItem.FilingGround(ground).label)},
    )
    return item


@transaction.atomic
def item_link_duplicate(*, item: PetitionItem, by: User, original: PetitionItem) -> PetitionItem:
    """Link the item as a duplicate (đơn trùng) of one being handled, and file it."""
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_PROCESS)
    if original.pk == item.pk or original.petition_id == item.petition_id:
        raise ActionRefused(_("A petition cannot duplicate itself."))
    if original.duplicate_of_id or original.status in {
        Status.FILED,
        Status.WITHDRAWN,
        Status.TRANSFERRED,
    }:
        raise ActionRefused(
            _("Link to the petition that is being handled, not to a filed or transferred one.")
        )
    before = _move(item, Status.FILED)
    item.duplicate_of, item.filing_ground, item.due_on = (
        original,
        PetitionItem.FilingGround.DUPLICATE,
        None,
    )
    _save(item, "status", "duplicate_of", "filing_ground", "due_on")
    events.status_changed(
        item,
        ItemEvent.Kind.DUPLICATE_LINKED,
        actor=by,
        from_status=before,
        note=events.official(gettext_lazy("Duplicate of petition %(code)s."), code=str(original)),
        data={"original": original.pk},
        public={"ground": str(PetitionItem.FilingGround.DUPLICATE.label)},
    )
    return item


@transaction.atomic
def item_start_verification(*, item: PetitionItem, by: User) -> PetitionItem:
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_RESOLVE)
    before = _move(item, Status.VERIFYING)
    _save(item, "status")
    events.status_changed(
        item, ItemEvent.Kind.VERIFICATION_STARTED, actor=by, from_status=before, public={}
    )
    return item


@transaction.atomic
def item_extend(
    *, item: PetitionItem, by: User, reason: str, especially_complex: bool = False
) -> PetitionItem:
    """Extend the resolution deadline within the legal maximum, with a reason on record."""
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_RESOLVE)
    if not reason.strip():
        raise ActionRefused(_("Give the reason for the extension."))
    try:
        deadline, used = deadlines.extension_deadline(item, especially_complex=especially_complex)
    except deadlines.DeadlineError as exc:
        raise ActionRefused(str(exc)) from exc
    old = item.due_on
    deadlines.deadline_set(
        item,
        stage=item.due_stage,
        start_on=item.accepted_on,
        deadline=deadline,
        reason=ItemDeadline.Reason.EXTENSION,
        by=by,
        note=reason,
    )
    item.extensions_used = used
    item.is_complex = True  # an extension is granted only to a complex case
    item.is_especially_complex = item.is_especially_complex or especially_complex
    _save(item, "due_on", "due_rule", "extensions_used", "is_complex", "is_especially_complex")
    events.deadline_changed(
        item,
        actor=by,
        kind=ItemEvent.Kind.EXTENDED,
        note=reason,
        before=old.strftime("%d/%m/%Y"),
        after=deadline.due.strftime("%d/%m/%Y"),
    )
    return item


@transaction.atomic
def item_conclude(
    *,
    item: PetitionItem,
    by: User,
    conclusion: str,
    decision_number: str = "",
    concluded_on: dt.date | None = None,
) -> PetitionItem:
    """Record the resolution decision or the conclusion on a denunciation."""
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_RESOLVE)
    if not conclusion.strip():
        raise ActionRefused(_("Write the conclusion."))
    concluded_on = concluded_on or timezone.localdate()
    if concluded_on > timezone.localdate():
        raise ActionRefused(_("The conclusion cannot be dated in the future."))
    if item.accepted_on and concluded_on < item.accepted_on:
        raise ActionRefused(_("The conclusion cannot precede the acceptance."))
    before = _move(item, Status.CONCLUDED)
    item.conclusion, item.decision_number, item.concluded_on = (
        conclusion,
        decision_number,
        concluded_on,
    )
    _save(item, "status", "conclusion", "decision_number", "concluded_on")
    events.status_changed(
        item,
        ItemEvent.Kind.CONCLUDED,
        actor=by,
        from_status=before,
        public={"agency": item.agency.name},
        data={"on_time": bool(item.due_on and concluded_on <= item.due_on)},
    )
    if item.petition.contact_email:
        from .tasks import status_update_send_task

        transaction.on_commit(lambda: enqueue(status_update_send_task, item.pk))
    return item


@transaction.atomic
def item_close(*, item: PetitionItem, by: User, note: str = "") -> PetitionItem:
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_RESOLVE)
    before = _move(item, Status.CLOSED)
    _save(item, "status")
    events.status_changed(
        item, ItemEvent.Kind.CLOSED, actor=by, from_status=before, note=note, public={}
    )
    return item


@transaction.atomic
def item_withdraw(*, item: PetitionItem, by: User, note: str) -> PetitionItem:
    """Record that the citizen withdrew the item (rút đơn)."""
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_PROCESS)
    if not note.strip():
        raise ActionRefused(_("Record how the citizen withdrew the petition."))
    before = _move(item, Status.WITHDRAWN)
    item.due_on = None
    _save(item, "status", "due_on")
    events.status_changed(
        item, ItemEvent.Kind.WITHDRAWN, actor=by, from_status=before, note=note, public={}
    )
    return item


@transaction.atomic
def item_assign_handler(*, item: PetitionItem, by: User, handler: User) -> PetitionItem:
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_ASSIGN)
    if not _may_handle(handler, item):
        raise ActionRefused(
            _("The handler must be a handler or leader of %(agency)s.")
            % {"agency": item.agency.name}
        )
    item.handler = handler
    _save(item, "handler")
    events.handler_assigned(item, actor=by, handler=handler)
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
        raise ActionRefused(_("Only the agency holding the petition may split it."))
    if holder.status not in {Status.RECEIVED, Status.PROCESSING}:
        raise ActionRefused(_("Only a petition being processed can be split."))
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
        raise ActionRefused(_("Only a first complaint can be followed by a second one."))
    if first.second_round_items.exists():
        raise ActionRefused(_("A second complaint was already lodged for this item."))
    if len(summary.strip()) < 20:
        raise ActionRefused(_("Describe why you disagree (at least 20 characters)."))
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today or (by is None and received_on != today):
        raise ActionRefused(_("The date received cannot be in the future."))
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


@transaction.atomic
def item_send_to_mediation(
    *, item: PetitionItem, by: User, team_name: str, case_id: int
) -> PetitionItem:
    """Record that a civil dispute between citizens went to grassroots mediation first
    (Luật Hòa giải ở cơ sở); the item stays open until the mediation ends."""
    item = _locked(item)
    _check_actor(item, by, Act.PETITION_PROCESS)
    if item.status not in {Status.RECEIVED, Status.PROCESSING}:
        raise ActionRefused(_("Only a petition being processed can be sent to mediation."))
    if item.status == Status.RECEIVED:
        _move(item, Status.PROCESSING)
        _save(item, "status")
    events.mediation(
        item,
        ItemEvent.Kind.SENT_TO_MEDIATION,
        actor=by,
        public={"team": team_name},
        data={"mediation": case_id},
    )
    return item


@transaction.atomic
def item_mediation_outcome(
    *, item: PetitionItem, by: User, settled: bool, case_id: int
) -> PetitionItem:
    """Settled by mediation: the item is filed on that ground. Not settled: it continues."""
    item = _locked(item)
    if not item.is_open:
        return item
    if settled and item.status not in {Status.RECEIVED, Status.PROCESSING}:
        # Accepted for resolution meanwhile: the resolution goes on; the agreement is on record.
        events.flagged(
            item,
            flag="mediation_settled",
            data={"mediation": case_id},
            note=events.official(
                gettext_lazy("Settled by grassroots mediation while being resolved.")
            ),
        )
        return item
    if settled:
        before = _move(item, Status.FILED)
        item.filing_ground, item.due_on = PetitionItem.FilingGround.MEDIATED, None
        _save(item, "status", "filing_ground", "due_on")
        events.status_changed(
            item,
            ItemEvent.Kind.FILED,
            actor=by,
            from_status=before,
            data={"mediation": case_id},
            public={"ground": str(PetitionItem.FilingGround.MEDIATED.label)},
        )
    else:
        events.mediation(
            item,
            ItemEvent.Kind.MEDIATION_FAILED,
            actor=by,
            public={"agency": item.agency.name},
            data={"mediation": case_id},
        )
    return item
