"""One batch of generated petitions: see ``demo.generate.rows`` for what is generated and why."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import translation

from complaints.models import (
    Channel,
    Letter,
    Petition,
    PetitionItem,
    Status,
    Submitter,
)
from complaints.routing import Route, skip_level_reason
from complaints.services.common import _index_text
from demo.generate.history import History, Step
from demo.generate.rows import (
    CHANNELS,
    DETAILS,
    FAMILY,
    GIVEN,
    HISTORY_DAYS,
    ITEMS_PER_COMMITMENT,
    ITEMS_PER_SESSION,
    KINDS,
    LIFECYCLE,
    MIDDLE_F,
    MIDDLE_M,
    OVERDUE_SHARE_OF_OPEN,
    REFORM,
    SUBJECTS,
    VILLAGES,
    Reference,
    Rows,
    _at,
    _code,
    reserve_ids,
)
from dialogues.models import Commitment, CommitmentEvent
from dialogues.models.commitments import CommitmentSource
from gov.models import AdministrativeUnit, Agency, Sector
from reception.models import ReceptionSession
from reception.models.reception import PresiderType, ReceptionEvent, SessionKind


@dataclass
class Plan:
    kind: str
    sector: Sector
    summary: str
    route: Route
    items: list[Step] = field(default_factory=list)
    received_on: dt.date | None = None
    first_id: int | None = None


class Batch(History):
    """Builds the rows of ``n`` items; ``seq`` numbers the petitions (their codes)."""

    def __init__(self, ref: Reference, rng: random.Random, today: dt.date, seq: int) -> None:
        self.ref, self.rng, self.today, self.seq = ref, rng, today, seq
        self.rows = Rows()
        self._letter_seq = {}

    def build(self, n: int) -> Rows:
        rng = self.rng
        self.pet_ids = reserve_ids(Petition, n)
        self.item_ids = reserve_ids(PetitionItem, n)
        self.letter_ids = reserve_ids(Letter, n)
        left = n
        while left > 0:
            left -= self._petition(max_items=left)
        sessions = max(1, n // ITEMS_PER_SESSION)
        session_ids = reserve_ids(ReceptionSession, sessions)
        for _ in range(sessions):
            self._session(next(session_ids))
        commitments = max(1, n // ITEMS_PER_COMMITMENT)
        commitment_ids = reserve_ids(Commitment, commitments)
        for _ in range(commitments):
            self._commitment(next(commitment_ids), rng.choice(self.rows.sessions))
        return self.rows

    # -- petitions and items --

    def _name(self) -> str:
        rng = self.rng
        middle = rng.choice(MIDDLE_F if rng.random() < 0.45 else MIDDLE_M)
        return f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}"

    def _petition(self, *, max_items: int) -> int:
        rng, ref = self.rng, self.ref
        unit = rng.choice(ref.communes)
        commune_agency = ref.commune_agency.get(unit.pk)
        addressed = (
            rng.choice(ref.provincial) if rng.random() < 0.2 or not commune_agency else None
        ) or commune_agency
        kinds = [rng.choices(list(KINDS), weights=list(KINDS.values()))[0]]
        mass = rng.random() < 0.015
        petition = Petition(
            id=next(self.pet_ids),
            channel=rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0],
            receiving_agency=addressed,
            unit=unit,
            is_mass=mass,
            submitter_type=Petition.SubmitterType.GROUP
            if mass
            else rng.choices(["person", "organisation"], weights=[95, 5])[0],
            group_size=rng.randint(5, 40) if mass else 1,
            is_anonymous=not mass and rng.random() < 0.02,
        )
        petition.identity_protected = "denunciation" in kinds
        village = rng.choice(VILLAGES)
        petition.location_address = f"Bản {village}, {unit.name}"
        names = [] if petition.is_anonymous else [self._name() for _ in range(1 + mass)]
        if petition.submitter_type == Petition.SubmitterType.ORGANISATION:
            petition.organisation_name = f"Hợp tác xã nông nghiệp {village}"
        petition.submitter_display = self._display(petition, names)
        # Items are planned first: a transfer's new item fixes when the petition came in.
        plans = [self._plan(petition, kinds[0], addressed, max_items)]
        # A second matter in the same petition (Luật Tiếp công dân Art. 26: one item per kind)
        # goes through the same hands on the same days.
        if max_items >= 2 and len(plans[0].items) == 1 and rng.random() < 0.08:
            other = rng.choice([k for k in KINDS if k != kinds[0]])
            kinds.append(other)
            plans.append(self._plan(petition, other, addressed, 1, like=plans[0].items[0]))
        received_on = plans[0].received_on
        petition.received_on = received_on
        petition.recorded_at = _at(received_on, rng)
        petition.code = _code(self.seq, received_on.year)
        petition.secret_hash = ""  # no citizen holds a secret for generated petitions
        self.seq += 1
        petition.location_unit = (
            rng.choice(ref.former[unit.pk])
            if received_on < REFORM and ref.former.get(unit.pk)
            else unit
        )
        petition.content = ". ".join(p.summary for p in plans) + "."
        petition.recorded_by = (
            None if petition.channel == Channel.ONLINE else ref.handler.get(addressed.pk)
        )
        first = names[0] if names else ""
        petition.submitter_key = "" if petition.is_anonymous else self._key(first, unit)
        self.rows.petitions.append(petition)
        self.rows.submitters += [
            Submitter(
                petition_id=petition.id,
                full_name=name,
                phone=f"09{rng.randint(10000000, 99999999)}",
                address=petition.location_address,
                is_representative=petition.submitter_type != "person",
                position=i,
            )
            for i, name in enumerate(names)
        ]
        number = 0
        for plan in plans:
            for step in plan.items:
                number += 1
                self._item(petition, plan, step, number)
        return sum(len(p.items) for p in plans)

    def _display(self, petition: Petition, names: list[str]) -> str:
        if petition.identity_protected or not names:
            return ""
        if petition.submitter_type == Petition.SubmitterType.ORGANISATION:
            return petition.organisation_name
        if petition.submitter_type == Petition.SubmitterType.GROUP:
            return translation.gettext("%(name)s and %(n)s others") % {
                "name": names[0],
                "n": petition.group_size - 1,
            }
        return names[0]

    @staticmethod
    def _key(name: str, unit: AdministrativeUnit) -> str:
        from complaints.detection import submitter_key

        return submitter_key(full_name=name, unit_id=unit.pk)

    def _plan(
        self, petition: Petition, kind: str, addressed: Agency, room: int, like: Step | None = None
    ) -> Plan:
        rng, ref = self.rng, self.ref
        sector = rng.choices(ref.sectors, weights=ref.sector_weights)[0]
        village = rng.choice(VILLAGES)
        summary = (
            SUBJECTS[kind].format(s=sector.name.lower())
            + ", "
            + rng.choice(DETAILS).format(v=village)
        )
        probe = PetitionItem(kind=kind, sector=sector, complaint_round=1)
        route = ref.route(probe, petition.unit)
        target = route.agency
        transfer = (
            room >= 2 and target is not None and target.pk != addressed.pk and rng.random() < 0.75
        )
        plan = Plan(kind=kind, sector=sector, summary=summary, route=route)
        if like is not None:
            plan.items = [dataclasses.replace(like)]
        elif transfer:
            last = self._step(kind, target, self._status())
            moved_on = last.start
            first = self._step(kind, addressed, Status.TRANSFERRED, decided_on=moved_on)
            plan.items = [first, last]
        elif target is None:
            status = rng.choices([Status.GUIDED, Status.FILED, Status.RECEIVED], [80, 10, 10])[0]
            plan.items = [self._step(kind, addressed, status)]
        else:
            plan.items = [self._step(kind, addressed, self._status())]
        plan.received_on = plan.items[0].start
        return plan

    def _status(self) -> str:
        return self.rng.choices(list(LIFECYCLE), weights=list(LIFECYCLE.values()))[0]

    def _step(
        self, kind: str, agency: Agency, status: str, *, decided_on: dt.date | None = None
    ) -> Step:
        """When an item started and what happened to it, so that its status, deadlines and
        overdue share come out as they would in life."""
        rng, today = self.rng, self.today
        back = lambda lo, hi: today - dt.timedelta(days=rng.randint(lo, hi))  # noqa: E731
        overdue = status in {"received", "processing", "accepted", "verifying"} and (
            rng.random() < OVERDUE_SHARE_OF_OPEN
        )
        step = Step(agency=agency, status=status, overdue=overdue)
        if decided_on is not None:  # transferred out on the day the new item started
            step.start = decided_on - dt.timedelta(days=rng.randint(1, 8))
            step.decided = decided_on
        elif status in {"received", "processing"}:
            step.start = back(20, 400) if overdue else back(0, 8)
        elif status in {"accepted", "verifying"}:
            step.accepted = back(75, 500) if overdue else back(0, 12)
            step.start = step.accepted - dt.timedelta(days=rng.randint(1, 12))
        elif status in {"concluded", "closed"}:
            step.start = back(60, HISTORY_DAYS)
            step.accepted = step.start + dt.timedelta(days=rng.randint(2, 12))
        else:  # guided, filed, withdrawn
            step.start = back(10, HISTORY_DAYS)
            step.decided = step.start + dt.timedelta(days=rng.randint(1, 9))
        return step

    def _item(self, petition: Petition, plan: Plan, step: Step, number: int) -> None:
        rng = self.rng
        transferred_in = plan.items[0] is not step
        item = PetitionItem(
            id=next(self.item_ids),
            petition=petition,
            number=number,
            kind=plan.kind,
            sector=plan.sector,
            summary=plan.summary,
            status=step.status,
            agency=step.agency,
            scope_path=step.agency.unit.path,
            proposed_agency=plan.route.agency,
            started_on=step.start,
            is_complex=plan.kind == "complaint" and rng.random() < 0.1,
            is_remote=petition.unit.is_remote,
            place_commune_id=petition.unit_id,  # a commune: the generator names no village
            received_on=petition.received_on,
            submitter_key=petition.submitter_key,
            sender_known=petition.sender_known,
            is_mass=petition.is_mass,
            transferred_from_id=plan.first_id if transferred_in else None,
            # Need-to-know, as complaints.services.item_transfer records a transfer's two ends.
            referred_by=plan.items[0].agency if transferred_in else None,
            referred_to=plan.items[-1].agency if step.status == Status.TRANSFERRED else None,
        )
        if plan.kind == "complaint":
            item.contested_decision = f"Quyết định số {rng.randint(1, 999)}/QĐ-UBND"
            item.issuer_text = f"UBND {petition.unit.name}"
            item.decision_date = step.start - dt.timedelta(days=rng.randint(5, 60))
        elif plan.kind == "denunciation":
            item.denounced_person = f"Ông {self._name()}, công chức {petition.unit.name}"
        reason = (
            ""
            if transferred_in
            else skip_level_reason(item, addressed_to=step.agency, route=plan.route)
        )
        item.is_skip_level, item.skip_level_reason = bool(reason), reason[:255]
        _index_text(item)
        if not transferred_in:
            plan.first_id = item.id
        self._lifecycle(item, step, transferred_in=transferred_in)
        self.rows.items.append(item)

    # -- reception sessions and commitments --

    def _session(self, pk: int) -> None:
        rng, ref = self.rng, self.ref
        agency = (
            ref.commune_agency[rng.choice(ref.communes).pk]
            if rng.random() < 0.8
            else rng.choice(ref.provincial)
        )
        day = self.today - dt.timedelta(days=rng.randint(1, HISTORY_DAYS))
        officer = ref.handler[agency.pk]
        periodic = rng.random() < 0.6
        session = ReceptionSession(
            id=pk,
            agency=agency,
            kind=SessionKind.PERIODIC if periodic else SessionKind.REGULAR,
            date=day,
            place=f"Trụ sở {agency.name}",
            presider_type=PresiderType.HEAD if periodic else PresiderType.OFFICER,
            presider_name=f"{agency.head_title or 'Thủ trưởng'} {agency.short_name or agency.name}",
            recorded_by=officer,
            created_at=_at(day, rng),
        )
        self.rows.sessions.append(session)
        self.rows.session_events.append(
            ReceptionEvent(
                session_id=pk,
                kind=ReceptionEvent.Kind.SESSION_LOGGED,
                actor=officer,
                at=session.created_at,
                data={"presider_type": session.presider_type, "kind": session.kind},
            )
        )

    def _commitment(self, pk: int, session: ReceptionSession) -> None:
        rng = self.rng
        deadline = session.date + dt.timedelta(days=rng.randint(15, 90))
        state, kept_on = Commitment.State.OPEN, None
        if deadline < self.today:
            state = rng.choices(["kept", "not_kept", "open"], [70, 15, 15])[0]
        if state == "kept":
            kept_on = min(deadline - dt.timedelta(days=rng.randint(0, 10)), self.today)
            kept_on = max(kept_on, session.date)
        commitment = Commitment(
            id=pk,
            source=CommitmentSource.RECEPTION,
            reception_session_id=session.id,
            owner_agency=session.agency,
            owner_name=session.presider_name,
            content=f"Kiểm tra, trả lời kiến nghị của công dân về {rng.choice(VILLAGES)}",
            made_on=session.date,
            deadline=deadline,
            state=state,
            kept_on=kept_on,
            evidence="Văn bản trả lời công dân." if state == "kept" else "",
            created_by=session.recorded_by,
            created_at=session.created_at,
        )
        self.rows.commitments.append(commitment)
        events = [("made", session.created_at, {"deadline": deadline.isoformat()})]
        if state != "open":
            events.append((state, _at(kept_on or deadline + dt.timedelta(days=1), rng), {}))
        self.rows.commitment_events += [
            CommitmentEvent(commitment_id=pk, kind=kind, actor=session.recorded_by, at=at, data=d)
            for kind, at, d in events
        ]
