"""Every change to a reception session or calendar entry writes one event, through here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import ReceptionEvent, ReceptionSession, Schedule

if TYPE_CHECKING:
    from gov.models import User

Kind = ReceptionEvent.Kind


def scheduled(schedule: Schedule, *, actor: User | None) -> ReceptionEvent:
    return ReceptionEvent.objects.create(
        schedule=schedule,
        kind=Kind.SCHEDULED,
        actor=actor,
        data={"date": schedule.date.isoformat()},
    )


def schedule_cancelled(schedule: Schedule, *, actor: User, reason: str) -> ReceptionEvent:
    return ReceptionEvent.objects.create(
        schedule=schedule, kind=Kind.SCHEDULE_CANCELLED, actor=actor, note=reason
    )


def session_logged(session: ReceptionSession, *, actor: User) -> ReceptionEvent:
    return ReceptionEvent.objects.create(
        session=session,
        schedule=session.schedule,
        kind=Kind.SESSION_LOGGED,
        actor=actor,
        data={"presider_type": session.presider_type, "kind": session.kind},
    )


def delegation_warning(session: ReceptionSession, *, actor: User) -> ReceptionEvent:
    return ReceptionEvent.objects.create(
        session=session, kind=Kind.DELEGATION_WARNING, actor=actor, note=session.delegation_warning
    )


def visit_logged(
    session: ReceptionSession, *, actor: User, visit_id: int, outcome: str
) -> ReceptionEvent:
    return ReceptionEvent.objects.create(
        session=session,
        kind=Kind.VISIT_LOGGED,
        actor=actor,
        data={"visit": visit_id, "outcome": outcome},
    )


def visits_anonymised(session: ReceptionSession, *, visit_ids: list[int]) -> ReceptionEvent:
    return ReceptionEvent.objects.create(
        session=session, kind=Kind.VISITS_ANONYMISED, actor=None, data={"visits": visit_ids}
    )
