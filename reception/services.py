"""Writes of citizen reception: the calendar, the sessions held and the visitors received.

A petition received in a session enters the same pipeline as an online one, through
``complaints.services.petition_submit`` with the channel "reception session" and the session's
date as the date received.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import services as petitions
from complaints.detection import submitter_key
from complaints.events import official
from complaints.models import Channel, Petition
from gov import authority
from gov.authority import Act
from gov.errors import Refused
from gov.legal import GROUP_MIN_PEOPLE, representatives_error
from gov.models import AdministrativeUnit, Agency, PetitionKind, Sector, User
from gov.notifications import notification_send
from gov.workdays import get_calendar

from . import events
from .models import (
    SCHEDULE_LIFECYCLE,
    FrequencyRule,
    PresiderType,
    ReceptionSession,
    Schedule,
    SessionKind,
    Visit,
)


def _check_staff(agency: Agency, by: User) -> None:
    """Each agency keeps its own calendar and log (``gov.authority`` says who may)."""
    authority.require(by, Act.RECEPTION, agency, refused=Refused)


def _locked_schedule(schedule: Schedule) -> Schedule:
    """The calendar entry as it is now, locked: two requests never both hold or cancel it."""
    return (
        Schedule.objects.select_for_update(of=("self",))
        .select_related("agency", "session")
        .get(pk=schedule.pk)
    )


def frequency_rule(agency: Agency, *, on: dt.date) -> FrequencyRule | None:
    """The rule in force on ``on`` for the head of ``agency``, if the law sets one."""
    return (
        FrequencyRule.objects.filter(
            agency_kind=agency.kind, unit_level=agency.unit.level, effective_from__lte=on
        )
        .order_by("-effective_from")
        .first()
    )


# --- the calendar ----------------------------------------------------------------------------


@transaction.atomic
def schedule_add(
    *,
    agency: Agency,
    by: User,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    host: str,
    place: str,
    kind: str = SessionKind.PERIODIC,
    note: str = "",
    is_published: bool = True,
) -> Schedule:
    _check_staff(agency, by)
    if end_time <= start_time:
        raise Refused(_("The session must end after it starts."))
    if not get_calendar().is_working_day(date):
        raise Refused(_("%(day)s is not a working day.") % {"day": date.strftime("%d/%m/%Y")})
    schedule = Schedule.objects.create(
        agency=agency,
        kind=kind,
        date=date,
        start_time=start_time,
        end_time=end_time,
        host=host,
        place=place,
        note=note,
        is_published=is_published,
        created_by=by,
    )
    events.scheduled(schedule, actor=by)
    return schedule


@transaction.atomic
def schedule_add_recurring(
    *,
    agency: Agency,
    by: User,
    weekday: int,
    first: dt.date,
    last: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    host: str,
    place: str,
    every_weeks: int = 1,
    kind: str = SessionKind.PERIODIC,
) -> list[Schedule]:
    """Plan a day of reception every ``every_weeks`` weeks on ``weekday`` (0 = Monday); a
    holiday moves that week's session to the next working day. Dates already planned are kept
    as they are (running it twice plans nothing twice)."""
    _check_staff(agency, by)
    if not 0 <= weekday <= 6 or every_weeks < 1:
        raise Refused(_("Choose a day of the week."))
    if last < first or (last - first).days > 366:
        raise Refused(_("Plan at most a year ahead, from the first date to the last."))
    cal, created = get_calendar(), []
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    while day <= last:
        actual = cal.next_working_day(day)
        if (
            actual <= last
            and not Schedule.objects.filter(agency=agency, date=actual, is_cancelled=False).exists()
        ):
            created.append(
                schedule_add(
                    agency=agency,
                    by=by,
                    date=actual,
                    start_time=start_time,
                    end_time=end_time,
                    host=host,
                    place=place,
                    kind=kind,
                )
            )
        day += dt.timedelta(weeks=every_weeks)
    return created


@transaction.atomic
def schedule_cancel(*, schedule: Schedule, by: User, reason: str) -> Schedule:
    _check_staff(schedule.agency, by)
    schedule = _locked_schedule(schedule)
    if schedule.state == Schedule.State.HELD:
        raise Refused(_("A session was already held for this calendar entry."))
    SCHEDULE_LIFECYCLE.check_move(schedule.state, Schedule.State.CANCELLED, refused=Refused)
    if not reason.strip():
        raise Refused(_("Give the reason for cancelling."))
    schedule.is_cancelled = True
    schedule.save(update_fields=["is_cancelled"])
    events.schedule_cancelled(schedule, actor=by, reason=reason)
    return schedule


# --- sessions and visits ---------------------------------------------------------------------


def delegation_warning(*, agency: Agency, kind: str, presider_type: str, on: dt.date) -> str:
    """From 1 July 2026 a head may not delegate periodic reception: the warning, or ""."""
    if kind != SessionKind.PERIODIC or presider_type == PresiderType.HEAD:
        return ""
    rule = frequency_rule(agency, on=on)
    if rule is None or rule.delegation_allowed:
        return ""
    return official(
        gettext_lazy(
            "Periodic reception must be held by the head in person since %(day)s (%(source)s)."
        ),
        day=rule.effective_from.strftime("%d/%m/%Y"),
        source=rule.source,
    )


@transaction.atomic
def session_log(
    *,
    agency: Agency,
    by: User,
    kind: str,
    date: dt.date,
    presider_type: str,
    presider_name: str,
    schedule: Schedule | None = None,
    place: str = "",
    officers: list[User] | None = None,
    ad_hoc_reason: str = "",
    note: str = "",
    presider: User | None = None,
) -> ReceptionSession:
    """Record a session as held. A periodic session delegated after 1 July 2026 is recorded,
    with a warning on record, since the record must reflect what happened."""
    _check_staff(agency, by)
    if date > timezone.localdate():
        raise Refused(_("A session is logged once held: the date cannot be in the future."))
    if kind == SessionKind.AD_HOC and not ad_hoc_reason.strip():
        raise Refused(_("Say why the ad hoc reception was needed (Luật Tiếp công dân Art. 18(3))."))
    if not presider_name.strip():
        raise Refused(_("Name the person who presided."))
    if schedule is not None:
        schedule = _locked_schedule(schedule)
        if schedule.agency_id != agency.pk:
            raise Refused(_("The calendar entry belongs to another agency."))
        if schedule.state == Schedule.State.CANCELLED:
            raise Refused(_("This calendar entry was cancelled."))
        if schedule.state == Schedule.State.HELD:
            raise Refused(_("A session was already logged for this calendar entry."))
        SCHEDULE_LIFECYCLE.check_move(schedule.state, Schedule.State.HELD, refused=Refused)
        if schedule.date != date:
            raise Refused(_("The session's date differs from its calendar entry's."))
    session = ReceptionSession.objects.create(
        agency=agency,
        schedule=schedule,
        kind=kind,
        date=date,
        place=place or (schedule.place if schedule else ""),
        presider_type=presider_type,
        presider_name=presider_name,
        presider=presider,
        ad_hoc_reason=ad_hoc_reason,
        note=note,
        recorded_by=by,
        delegation_warning=delegation_warning(
            agency=agency, kind=kind, presider_type=presider_type, on=date
        ),
    )
    if officers:
        session.officers.set([o for o in officers if o.agency_id == agency.pk])
    events.session_logged(session, actor=by)
    if session.delegation_warning:
        events.delegation_warning(session, actor=by)
    return session


@dataclass
class VisitData:
    full_name: str
    address: str
    kind: str
    sector: Sector
    location_unit: AdministrativeUnit
    content: str
    outcome: str
    id_number: str = ""
    phone: str = ""
    denounced: str = ""
    prior_handling: str = ""
    request: str = ""
    group_size: int = 1
    representatives: list[str] = field(default_factory=list)
    refusal_ground: str = ""
    handling: str = ""
    identity_protected: bool = False


def _validate_visit(data: VisitData) -> None:
    errors: dict[str, list[str]] = {}
    message = representatives_error(data.group_size, 1 + len(data.representatives))
    if message:
        errors["representatives"] = [message]
    if data.outcome == Visit.Outcome.REFUSED and not data.refusal_ground:
        errors["refusal_ground"] = [
            _("Choose the legal ground for refusing (Luật Tiếp công dân Art. 9).")
        ]
    if data.outcome in {Visit.Outcome.GUIDED, Visit.Outcome.ANSWERED} and not data.handling.strip():
        errors["handling"] = [_("Write the guidance or the answer given.")]
    if (
        data.kind == PetitionKind.DENUNCIATION
        and data.outcome == Visit.Outcome.PETITION
        and not data.denounced.strip()
    ):
        errors["denounced"] = [_("A denunciation names who broke the law (a person or an agency).")]
    if errors:
        raise Refused(errors)


def _next_serial(agency: Agency, year: int) -> int:
    """The reception log numbers visits per agency and year; the agency row is locked."""
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    last = Visit.objects.filter(session__agency=agency, year=year).aggregate(n=Max("serial"))["n"]
    return (last or 0) + 1


@transaction.atomic
def visit_log(*, session: ReceptionSession, by: User, data: VisitData) -> Visit:
    """Record a visitor or group; a petition received enters the petitions pipeline."""
    _check_staff(session.agency, by)
    _validate_visit(data)
    protected = data.identity_protected or data.kind == PetitionKind.DENUNCIATION
    petition, secret = None, ""
    if data.outcome == Visit.Outcome.PETITION:
        petition, secret = _petition_from_visit(session, by=by, data=data, protected=protected)
    visit = Visit.objects.create(
        session=session,
        serial=_next_serial(session.agency, session.date.year),
        year=session.date.year,
        full_name=data.full_name,
        id_number=data.id_number,
        address=data.address,
        phone=data.phone,
        kind=data.kind,
        sector=data.sector,
        location_unit=data.location_unit,
        content=data.content,
        denounced=data.denounced,
        prior_handling=data.prior_handling,
        request=data.request,
        group_size=data.group_size,
        representatives="\n".join(data.representatives),
        is_group=data.group_size >= GROUP_MIN_PEOPLE,
        identity_protected=protected,
        outcome=data.outcome,
        refusal_ground=data.refusal_ground if data.outcome == Visit.Outcome.REFUSED else "",
        handling=data.handling,
        petition=petition,
        recorded_by=by,
        person_key=submitter_key(
            id_number=data.id_number,
            phone=data.phone,
            full_name=data.full_name,
            unit_id=data.location_unit.current().pk,
        ),
    )
    events.visit_logged(session, actor=by, visit_id=visit.pk, outcome=visit.outcome)
    visit.petition_secret = secret  # shown once to the citizen at the counter; never stored
    if visit.is_group:
        transaction.on_commit(lambda: _alert_group(visit.pk))
    return visit


def _petition_from_visit(
    session: ReceptionSession, *, by: User, data: VisitData, protected: bool
) -> tuple[Petition, str]:
    submitters = [
        petitions.SubmitterData(
            full_name=data.full_name,
            id_number=data.id_number,
            phone=data.phone,
            address=data.address,
            is_representative=data.group_size > 1,
        )
    ]
    submitters += [
        petitions.SubmitterData(full_name=n, is_representative=True) for n in data.representatives
    ]
    item = petitions.ItemData(
        kind=data.kind, sector=data.sector, summary=data.content, denounced_person=data.denounced
    )
    result = petitions.petition_submit(
        by=by,
        data=petitions.Submission(
            channel=Channel.RECEPTION_SESSION,
            received_on=session.date,
            receiving_agency=session.agency,
            location_unit=data.location_unit,
            content=data.content + (f"\n\n{data.request}" if data.request else ""),
            items=[item],
            submitters=submitters,
            identity_protected=protected,
            submitter_type=Petition.SubmitterType.GROUP
            if data.group_size > 1
            else Petition.SubmitterType.PERSON,
            group_size=data.group_size,
            contact_phone=data.phone,
        ),
    )
    return result.petition, result.secret


def _alert_group(visit_id: int) -> None:
    """A group of many people: the leaders of the receiving agency, and of its superior, hear
    of it at once (khiếu kiện đông người)."""
    visit = Visit.objects.select_related("session__agency", "sector").get(pk=visit_id)
    agency = visit.session.agency
    committee, seen = agency, set()
    while (
        committee.kind != Agency.Kind.PEOPLES_COMMITTEE
        and committee.parent_id
        and committee.pk not in seen
    ):
        seen.add(committee.pk)
        committee = committee.parent  # the board → the Office → the provincial People's Committee
    leaders = User.objects.filter(
        is_active=True, role=User.Role.LEADER, agency_id__in={agency.pk, committee.pk}
    )
    for leader in leaders:
        notification_send(
            recipient=leader,
            kind="group_visit",
            dedupe_key=f"group-visit:{visit.pk}",
            title=official(
                gettext_lazy("A group of %(n)s people came about %(sector)s on %(day)s"),
                n=visit.group_size,
                sector=visit.sector.name,
                day=visit.session.date.strftime("%d/%m/%Y"),
            ),
            url=reverse("reception:session", args=[visit.session_id]),
        )
