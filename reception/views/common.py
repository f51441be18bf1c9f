"""What the reception pages share: who may see and record what, the filter forms' defaults,
a service's refusal shown on its form, the calendar's rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404, HttpRequest, QueryDict
from django.utils.translation import gettext as _

from gov import authority
from gov.authority import Act
from gov.guards import role_page, staff_user
from gov.models import Agency, User
from reception.models import ReceptionSession, Schedule

CALENDAR_DAYS_AHEAD = 60
STAFF_CALENDAR_DAYS_BEHIND = 14  # entries held lately but not yet logged stay in view
STAFF_CALENDAR_DAYS_AHEAD = 30
# Compliance is a report on the heads' duty: for those who organise reception (reception
# officers), those who answer for it (leaders) and administrators; not for case handlers.
COMPLIANCE_ROLES = {User.Role.RECEPTION_OFFICER, User.Role.LEADER, User.Role.ADMINISTRATOR}


def _may_record(user: User, agency: Agency | None = None) -> bool:
    """Whether ``user`` may log sessions of ``agency`` (their own, by default)."""
    agency = agency or user.agency
    return bool(agency and authority.may_act(user, Act.RECEPTION, agency))


def _recorder_or_404(request: HttpRequest) -> User:
    """Staff who may write their own agency's calendar and sessions (an object's page: anyone
    else gets a 404)."""
    user = request.user
    if not _may_record(user):
        raise Http404
    return user


def _recorder_page(request: HttpRequest) -> User:
    """The calendar's and the session log's forms: staff who may write their own agency's
    calendar and sessions; other staff are told whose page it is (403)."""
    return role_page(
        request,
        allowed=_may_record(staff_user(request)),
        audience=_(
            "This page is for those who receive citizens: leaders, reception officers and handlers."
        ),
    )


def _may_see_compliance(user: User) -> bool:
    return user.is_superuser or (bool(user.agency_id) and user.role in COMPLIANCE_ROLES)


def _with_defaults(query: QueryDict, **defaults: object) -> QueryDict:
    """A filter form is always bound, so its fields show the defaults it applied."""
    data = query.copy()
    for key, value in defaults.items():
        if not data.get(key):
            data[key] = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
    return data


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class EntryRow:
    entry: Schedule
    session: ReceptionSession | None

    @property
    def state(self) -> str:
        return self.entry.state


def _entry_row(entry: Schedule) -> EntryRow:
    # The reverse one-to-one raises when no session was logged; select_related loaded it.
    return EntryRow(entry=entry, session=getattr(entry, "session", None))
