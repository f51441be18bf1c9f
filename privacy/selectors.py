"""Reads of personal data protection: what the portal holds about one person, as a staff member
answering that person's request may see it (Law 91/2025/QH15: the right to access one's data
and to receive a copy).

A person is found by the pseudonymous key the portal keeps for each petition's first submitter
and each visitor (``complaints.detection.submitter_key``): their ID number, else their phone.
The staff member's scope applies as everywhere (``gov.scoping``); a petition whose identity is
protected is included only for those who may see that identity, and the others are counted so
the answer can say which agency holds them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from complaints import selectors as complaint_selectors
from complaints.confidentiality import identity_for, may_see_identity
from complaints.detection import submitter_key
from complaints.models import Petition
from gov.models import User
from reception import selectors as reception_selectors
from reception.models import Visit

from .models import RetentionRule

REQUEST_ROLES = {User.Role.LEADER, User.Role.HANDLER}


def may_answer_requests(user: User) -> bool:
    """Leaders and handlers answer a person's request for their data."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or (user.agency_id and user.role in REQUEST_ROLES))
    )


def person_keys(*, id_number: str = "", phone: str = "") -> set[str]:
    return {k for k in (submitter_key(id_number=id_number), submitter_key(phone=phone)) if k}


@dataclass
class PersonRecords:
    petitions: list[Petition] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    withheld: dict[str, int] = field(default_factory=dict)  # agency name: protected petitions

    @property
    def empty(self) -> bool:
        return not (self.petitions or self.visits or self.withheld)


def person_records(user: User, *, id_number: str = "", phone: str = "") -> PersonRecords:
    keys = person_keys(id_number=id_number, phone=phone)
    records = PersonRecords()
    if not keys:
        return records
    petition_ids = (
        complaint_selectors.items_for(user)
        .filter(submitter_key__in=keys)
        .values_list("petition_id", flat=True)
    )
    petitions = (
        Petition.objects.filter(pk__in=petition_ids, anonymised_at__isnull=True)
        .select_related("receiving_agency", "location_unit")
        .prefetch_related("items__agency", "items__sector")
        .order_by("received_on", "id")
    )
    for petition in petitions:
        if may_see_identity(user, petition):
            records.petitions.append(petition)
        else:
            agency = petition.receiving_agency.name
            records.withheld[agency] = records.withheld.get(agency, 0) + 1
    visits = (
        reception_selectors.visits_for(user)
        .filter(person_key__in=keys, anonymised_at__isnull=True)
        .order_by("session__date", "serial")
    )
    for visit in visits:
        if reception_selectors.may_see_visitor(user, visit):
            records.visits.append(visit)
        else:
            agency = visit.session.agency.name
            records.withheld[agency] = records.withheld.get(agency, 0) + 1
    return records


def person_export(user: User, records: PersonRecords, *, reference: str) -> dict:
    """The copy handed to the person: everything the portal holds about them in ``records``,
    as plain data (JSON). Reading a protected identity here is logged like any reveal."""
    return {
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "exported_by_agency": user.agency.name if user.agency_id else "",
        "request_reference": reference,
        "petitions": [_petition(user, p) for p in records.petitions],
        "reception_visits": [_visit(user, v) for v in records.visits],
        "held_elsewhere_with_protected_identity": records.withheld,
        "retention": {
            r.record_kind: {"years": r.years, "counted_from": r.counted_from}
            for r in RetentionRule.in_force(dt.date.today()).values()
        },
    }


def _petition(user: User, petition: Petition) -> dict:
    people = identity_for(user, petition, purpose="personal data request")
    return {
        "code": petition.code,
        "received_on": petition.received_on.isoformat(),
        "channel": petition.get_channel_display(),
        "addressed_to": petition.receiving_agency.name,
        "place": str(petition.location_unit),
        "address_of_the_place": petition.location_address,
        "content": petition.content,
        "submitters": [
            {
                "full_name": s.full_name,
                "id_number": s.id_number,
                "phone": s.phone,
                "email": s.email,
                "address": s.address,
                "representative": s.is_representative,
            }
            for s in people
        ],
        "contact_email": petition.contact_email,
        "contact_phone": petition.contact_phone,
        "sms_zalo_consent_since": petition.phone_consent_at.isoformat()
        if petition.phone_consent_at
        else None,
        "privacy_notice_version": petition.privacy_notice,
        "identity_protected": petition.identity_protected,
        "items": [
            {
                "number": item.number,
                "kind": item.get_kind_display(),
                "sector": item.sector.name,
                "agency": item.agency.name,
                "status": item.get_status_display(),
                "due_on": item.due_on.isoformat() if item.due_on else None,
                "conclusion": item.conclusion,
            }
            for item in petition.items.all()
        ],
        "timeline": [
            {"at": e.at.isoformat(timespec="minutes"), "text": e.public_text}
            for e in complaint_selectors.public_timeline(petition)
        ],
    }


def _visit(user: User, visit: Visit) -> dict:
    person = reception_selectors.visitor_for(user, visit)
    return {
        "agency": visit.session.agency.name,
        "date": visit.session.date.isoformat(),
        "serial": f"{visit.serial}/{visit.year}",
        "full_name": person.name,
        "id_number": person.id_number,
        "phone": person.phone,
        "address": person.address,
        "kind": visit.get_kind_display(),
        "sector": visit.sector.name,
        "content": visit.content,
        "outcome": visit.get_outcome_display(),
        "handling": visit.handling,
    }
