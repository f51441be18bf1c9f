"""Writes of personal data protection: withdrawing consent to SMS/Zalo news, erasing the
identities of records whose retention period has ended, and recording a person's data export.

The retention job (``retention_sweep``) is safe to run twice and in parallel: each record is
claimed by a conditional update (``anonymised_at IS NULL``) before anything else is written, in
the transaction that erases it. It reads a bounded batch each time and is run daily (Celery beat,
or ``manage.py sweep`` without a broker).

What is erased: the identity of the citizens in the record (submitters' names, ID numbers,
phones, e-mails and addresses; the petition's contact details and pseudonymous key; the files
they sent, which may show their name; a visitor's identity; the parties of a mediation case).
What is kept: the case itself (its content, steps, decisions and the agencies concerned), which
the State's archive keeps for its own periods.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import events as item_events
from complaints.events import official
from complaints.models import Attachment, Petition, PetitionItem, Status, Submitter
from dialogues import events as follow_up_events
from dialogues.models import MediationCase
from gov.audit import audit_record
from gov.models import AuditRecord
from reception import events as reception_events
from reception.models import Visit

from .models import RetentionRule

log = logging.getLogger(__name__)
Kind = RetentionRule.RecordKind

# Statuses after which nothing more happens to an item here; the retention period counts from
# its last change. A concluded item may still be closed; its conclusion ends the matter.
ENDED = {
    Status.CONCLUDED,
    Status.CLOSED,
    Status.TRANSFERRED,
    Status.GUIDED,
    Status.FILED,
    Status.WITHDRAWN,
}
RESOLVED = {Status.CONCLUDED, Status.CLOSED}
BATCH = 500


def erased_name() -> str:
    """What an erased name reads as, in the records' official language."""
    return official(_("[erased after the retention period]"))


@dataclass
class SweepReport:
    petitions: int = 0
    visits: int = 0
    mediation_cases: int = 0
    files: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.petitions + self.visits + self.mediation_cases


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- consent -----------------------------------------------------------------------------------


@transaction.atomic
def petition_phone_consent_withdraw(*, petition: Petition) -> bool:
    """The citizen stops news by SMS/Zalo. Returns whether consent was in force."""
    changed = Petition.objects.filter(pk=petition.pk, phone_consent_at__isnull=False).update(
        phone_consent_at=None
    )
    if not changed:
        return False
    petition.phone_consent_at = None
    for item in PetitionItem.objects.filter(petition=petition).order_by("number"):
        item_events.consent_withdrawn(item)
    return True


# --- retention -----------------------------------------------------------------------------------


def retention_sweep(*, today: dt.date | None = None, batch: int = BATCH) -> SweepReport:
    """Erase the identities of every record whose retention period ended before ``today``."""
    today = today or timezone.localdate()
    rules = RetentionRule.in_force(today)
    report = SweepReport()
    if Kind.RESOLVED_COMPLAINT in rules and Kind.OTHER_PETITION in rules:
        _sweep_petitions(rules, today, batch, report)
    if Kind.RECEPTION_VISIT in rules:
        _sweep_visits(rules[Kind.RECEPTION_VISIT], today, batch, report)
    if Kind.MEDIATION_CASE in rules:
        _sweep_mediation(rules[Kind.MEDIATION_CASE], today, batch, report)
    if report.total:
        audit_record(
            kind=AuditRecord.Kind.ANONYMISED,
            subject="retention sweep",
            data={
                "petitions": report.petitions,
                "visits": report.visits,
                "mediation_cases": report.mediation_cases,
                "files": report.files,
            },
        )
        log.info(
            "Retention: identities erased in %s petitions, %s visits, %s mediation cases",
            report.petitions,
            report.visits,
            report.mediation_cases,
        )
    return report


def _sweep_petitions(
    rules: dict[str, RetentionRule], today: dt.date, batch: int, report: SweepReport
) -> None:
    shortest = min(rules[Kind.RESOLVED_COMPLAINT].years, rules[Kind.OTHER_PETITION].years)
    # A petition ends after it was received: one received within the shortest period cannot
    # have passed it (received_on is indexed, so the job reads only old petitions).
    candidates = (
        Petition.objects.filter(
            anonymised_at__isnull=True, received_on__lt=add_years(today, -shortest)
        )
        .exclude(items__status__in=[s for s in Status.values if s not in ENDED])
        .annotate(
            ended_at=Max("items__updated_at"),
            resolved=Exists(
                PetitionItem.objects.filter(
                    petition=OuterRef("pk"),
                    kind__in=[PetitionItem.Kind.COMPLAINT, PetitionItem.Kind.DENUNCIATION],
                    status__in=RESOLVED,
                )
            ),
        )
        .filter(ended_at__isnull=False)
        .order_by("id")
    )
    last_id = 0
    while True:
        rows = list(candidates.filter(id__gt=last_id)[:batch])
        if not rows:
            return
        last_id = rows[-1].pk
        for petition in rows:
            rule = rules[Kind.RESOLVED_COMPLAINT if petition.resolved else Kind.OTHER_PETITION]
            ended = timezone.localdate(petition.ended_at)
            if add_years(ended, rule.years) <= today:
                files = petition_anonymise(petition=petition, rule=rule)
                if files is not None:
                    report.petitions += 1
                    report.files += files
                    report.kinds[rule.record_kind] = report.kinds.get(rule.record_kind, 0) + 1


@transaction.atomic
def petition_anonymise(*, petition: Petition, rule: RetentionRule) -> int | None:
    """Erase the petition's identities; the number of files deleted, or None if another run
    got there first."""
    claimed = Petition.objects.filter(pk=petition.pk, anonymised_at__isnull=True).update(
        anonymised_at=timezone.now(),
        submitter_display="",
        submitter_key="",
        contact_email="",
        contact_phone="",
        phone_consent_at=None,
    )
    if not claimed:
        return None
    Submitter.objects.filter(petition=petition).update(
        full_name=erased_name(), id_number="", phone="", email="", address=""
    )
    files = _delete_files(petition)
    items = list(PetitionItem.objects.filter(petition=petition).select_related("petition"))
    for item in items:
        item.petition.submitter_display = ""
        item_events.anonymised(item, rule=rule.record_kind, years=rule.years, files=files)
    PetitionItem.objects.filter(petition=petition).update(submitter_key="")
    _reindex(items)
    return files


def _reindex(items: list[PetitionItem]) -> None:
    """The search text held the submitter's display name: written again without it."""
    from complaints.services import search_text_of

    for item in items:
        PetitionItem.objects.filter(pk=item.pk).update(search_text=search_text_of(item))


def _delete_files(petition: Petition) -> int:
    """The files a citizen sent may show their name; the archive keeps the paper file."""
    attachments = list(Attachment.objects.filter(petition=petition))
    for attachment in attachments:
        name = attachment.file.name
        transaction.on_commit(lambda n=name, s=attachment.file.storage: s.delete(n))
    Attachment.objects.filter(petition=petition).delete()
    return len(attachments)


def _sweep_visits(rule: RetentionRule, today: dt.date, batch: int, report: SweepReport) -> None:
    cutoff = add_years(today, -rule.years)
    while True:
        with transaction.atomic():
            rows = list(
                Visit.objects.select_for_update(skip_locked=True)
                .filter(anonymised_at__isnull=True, session__date__lt=cutoff)
                .order_by("id")
                .values_list("id", "session_id")[:batch]
            )
            if not rows:
                return
            ids = [pk for pk, _session in rows]
            Visit.objects.filter(pk__in=ids).update(
                anonymised_at=timezone.now(),
                full_name=erased_name(),
                id_number="",
                phone="",
                address="",
                representatives="",
                person_key="",
            )
            by_session: dict[int, list[int]] = {}
            for pk, session_id in rows:
                by_session.setdefault(session_id, []).append(pk)
            from reception.models import ReceptionSession

            for session in ReceptionSession.objects.filter(pk__in=by_session):
                reception_events.visits_anonymised(session, visit_ids=by_session[session.pk])
            report.visits += len(ids)


def _sweep_mediation(rule: RetentionRule, today: dt.date, batch: int, report: SweepReport) -> None:
    cutoff = add_years(today, -rule.years)
    ended = Q(outcome_on__lt=cutoff) & ~Q(outcome=MediationCase.Outcome.PENDING)
    while True:
        with transaction.atomic():
            cases = list(
                MediationCase.objects.select_for_update(skip_locked=True)
                .filter(ended, anonymised_at__isnull=True)
                .order_by("id")[:batch]
            )
            if not cases:
                return
            MediationCase.objects.filter(pk__in=[c.pk for c in cases]).update(
                anonymised_at=timezone.now(), parties=erased_name()
            )
            for case in cases:
                follow_up_events.mediation_anonymised(case, rule=rule.record_kind, years=rule.years)
            report.mediation_cases += len(cases)
