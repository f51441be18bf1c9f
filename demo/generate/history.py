"""What happened to each generated item after it was received: its deadlines, events and letters,
in the order the services write them (``complaints.services``), from intake to its status
today. ``Batch`` (demo.generate.batch) inherits it."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models

from complaints import deadlines
from complaints.models import Channel, ItemDeadline, ItemEvent, Letter, PetitionItem, Status
from demo.generate.rows import PROCESSED, RESOLVING, Reference, Rows, _at
from gov.models import Agency, User


@dataclass
class Step:
    agency: Agency
    status: str
    overdue: bool = False
    start: dt.date | None = None
    accepted: dt.date | None = None
    decided: dt.date | None = None


class History:
    """The item's life after intake; the batch holds the state it reads and writes."""

    ref: Reference
    rng: random.Random
    today: dt.date
    rows: Rows
    letter_ids: Iterator[int]
    _letter_seq: dict[tuple, int]

    def _lifecycle(self, item: PetitionItem, step: Step, *, transferred_in: bool) -> None:
        """Deadlines and events, in the order the services write them."""
        rng, ref, rows = self.rng, self.ref, self.rows
        staff = ref.handler.get(item.agency_id) or ref.leader.get(item.agency_id)
        by = staff if item.petition.channel != Channel.ONLINE or transferred_in else None
        stage, intake = ref.intake(item, step.start)
        item.due_stage, item.due_on, item.due_rule = stage, intake.due, intake.rule
        created = _at(step.start, rng)
        item.created_at = item.updated_at = created
        rows.deadlines.append(
            ItemDeadline(
                item_id=item.id,
                stage=stage,
                start_on=step.start,
                due_on=intake.due,
                rule=intake.rule,
                reason=ItemDeadline.Reason.STAGE,
                created_by=by,
                created_at=created,
                is_current=step.accepted is None,
            )
        )
        agency = {"agency": item.agency.name}
        status = Status.RECEIVED
        if transferred_in:
            self._event(
                item,
                "transferred_in",
                created,
                by,
                public=agency,
                data={"from_item": item.transferred_from_id},
                to=status,
            )
        else:
            self._event(
                item,
                "received",
                created,
                by,
                public=agency,
                data={"due_on": intake.due.isoformat(), "backdated_from": ""},
                to=status,
            )
        if item.is_skip_level:
            self._event(
                item,
                "flagged",
                created,
                None,
                note=item.skip_level_reason,
                data={"flag": "skip_level"},
                to=status,
            )
        if item.is_mass:
            self._event(item, "flagged", created, None, data={"flag": "mass"}, to=status)
        final = step.status
        day = step.decided or step.accepted or step.start
        if final in PROCESSED or final in RESOLVING:
            when = min(_at(step.start + dt.timedelta(days=1), rng), _at(day, rng))
            self._event(
                item,
                "processing_started",
                max(when, created),
                staff,
                public=agency,
                frm=status,
                to=Status.PROCESSING,
            )
            status = Status.PROCESSING
        if final in {Status.TRANSFERRED, Status.GUIDED, Status.FILED, Status.WITHDRAWN}:
            item.due_on = None
            self._closing_event(item, final, _at(step.decided, rng), staff, status)
            return
        if final not in RESOLVING:
            return
        self._resolve(item, step, staff, status)

    def _resolve(self, item: PetitionItem, step: Step, staff: User, status: str) -> None:
        rng, ref = self.rng, self.ref
        accepted = ref.resolution(item, step.accepted)
        item.handler, item.accepted_on, item.started_on = staff, step.accepted, step.accepted
        item.due_stage = deadlines.resolution_stage(item)
        item.due_on, item.due_rule = accepted.due, accepted.rule
        at = _at(step.accepted, rng)
        self.rows.deadlines.append(
            ItemDeadline(
                item_id=item.id,
                stage=item.due_stage,
                start_on=step.accepted,
                due_on=accepted.due,
                rule=accepted.rule,
                reason=ItemDeadline.Reason.STAGE,
                created_by=staff,
                created_at=at,
            )
        )
        agency = {"agency": item.agency.name}
        self._event(
            item,
            "accepted",
            at,
            staff,
            frm=status,
            to=Status.ACCEPTED,
            public={**agency, "due": accepted.due.strftime("%d/%m/%Y")},
            data={"handler": staff.pk},
        )
        status = Status.ACCEPTED
        if step.status == Status.ACCEPTED:
            return
        span = max((accepted.due - step.accepted).days, 1)
        late = rng.random() < 0.15
        offset = span + rng.randint(1, 40) if late else rng.randint(max(span // 3, 1), span)
        concluded = min(
            step.accepted + dt.timedelta(days=offset), self.today - dt.timedelta(days=1)
        )
        concluded = max(concluded, step.accepted)
        if step.status == Status.VERIFYING or rng.random() < 0.5:
            verify = step.accepted + dt.timedelta(
                days=rng.randint(0, (concluded - step.accepted).days)
            )
            self._event(
                item,
                "verification_started",
                _at(min(verify, self.today), rng),
                staff,
                public={},
                frm=status,
                to=Status.VERIFYING,
            )
            status = Status.VERIFYING
        if step.status == Status.VERIFYING:
            return
        item.concluded_on = concluded
        item.conclusion = "Kết luận: giải quyết theo quy định."
        item.decision_number = f"{rng.randint(1, 999)}/QĐ-GQKN"
        self._event(
            item,
            "concluded",
            _at(item.concluded_on, rng),
            staff,
            public=agency,
            frm=status,
            to=Status.CONCLUDED,
            data={"on_time": item.concluded_on <= accepted.due},
        )
        if step.status == Status.CLOSED:
            closed = min(item.concluded_on + dt.timedelta(days=rng.randint(1, 20)), self.today)
            self._event(
                item,
                "closed",
                _at(closed, rng),
                staff,
                public={},
                frm=Status.CONCLUDED,
                to=Status.CLOSED,
            )
        item.updated_at = max(e.at for e in self.rows.events[-3:])

    def _closing_event(
        self, item: PetitionItem, final: str, at: dt.datetime, staff: User, before: str
    ) -> None:
        target = self.ref.route(item, item.petition.unit).agency
        if final == Status.TRANSFERRED:
            letter = self._letter(item, Letter.Kind.TRANSFER, at, staff, target.name)
            self._event(
                item,
                "transferred_out",
                at,
                staff,
                frm=before,
                to=final,
                public={"target": target.name},
                data={"target": target.pk, "letter": letter},
            )
        elif final == Status.GUIDED:
            letter = self._letter(item, Letter.Kind.GUIDANCE, at, staff, "Công dân")
            self._event(
                item,
                "guided",
                at,
                staff,
                frm=before,
                to=final,
                public={"agency": item.agency.name},
                note="Hướng dẫn công dân gửi đơn đến cơ quan có thẩm quyền.",
                data={"letter": letter},
            )
        elif final == Status.FILED:
            ground = self.rng.choice(["not_specific", "duplicate", "already_resolved"])
            item.filing_ground = ground
            label = str(PetitionItem.FilingGround(ground).label)
            self._event(item, "filed", at, staff, frm=before, to=final, public={"ground": label})
        else:
            self._event(
                item,
                "withdrawn",
                at,
                staff,
                frm=before,
                to=final,
                public={},
                note="Công dân có đơn xin rút.",
            )
        item.updated_at = at

    def _letter(self, item: PetitionItem, kind: str, at: dt.datetime, by: User, to: str) -> int:
        key = (item.agency_id, kind, at.year)
        if key not in self._letter_seq:
            last = Letter.objects.filter(agency_id=key[0], kind=kind, year=key[2]).aggregate(
                n=models.Max("seq")
            )["n"]
            self._letter_seq[key] = last or 0
        self._letter_seq[key] += 1
        prefix = "PC" if kind == Letter.Kind.TRANSFER else "HD"
        number = f"{self._letter_seq[key]}/{prefix}-{item.agency.short_name or item.agency.code}"
        letter = Letter(
            id=next(self.letter_ids),
            petition_id=item.petition_id,
            item_id=item.id,
            kind=kind,
            agency_id=item.agency_id,
            year=at.year,
            seq=self._letter_seq[key],
            number=number,
            addressee=to[:200],
            body=f"{number}: đơn {item.petition.code} gửi {to}.",
            created_at=at,
            created_by=by,
        )
        self.rows.letters.append(letter)
        return letter.id

    def _event(
        self,
        item: PetitionItem,
        kind: str,
        at: dt.datetime,
        actor: User | None,
        *,
        frm: str = "",
        to: str = "",
        note: str = "",
        public: dict | None = None,
        data: dict | None = None,
    ) -> None:
        payload = dict(data or {})
        if public is not None:
            payload["public"] = public
        self.rows.events.append(
            ItemEvent(
                petition_id=item.petition_id,
                item_id=item.id,
                kind=kind,
                actor=actor,
                at=at,
                from_status=frm,
                to_status=to,
                note=note,
                is_public=public is not None,
                data=payload,
            )
        )
