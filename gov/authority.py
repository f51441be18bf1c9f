"""Who may write what: the one rule for records that belong to an agency or a council.

Reading is ``gov.scoping``'s business (a province-wide account sees every commune); writing is
decided here. A dialogue, a mediation case, a council session or question, a voters'
recommendation, a promise or a reception session belongs to one agency, its *owner*. A write
acts for the owner: only the owner's own staff, in the roles the act needs (``RULES``), may make
it, and the leaders of the owner's superior agency where the law gives them the task. Nobody
else: not another commune, not a provincial department, not an administrator (who keeps the
accounts, not the records), not a superuser outside that agency. Petition actions are in the
same table: the record is the petition item, its owner the agency that holds it.

Where the law names who acts, ``Rule.basis`` cites it; where it leaves it open, the basis says
"portal rule" and this table is where the choice is made.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gov.models import Agency, User

Role = User.Role
# Sent with ``user``, ``act`` and ``agency`` when ``require`` refuses: ``gov.refusals`` notes it
# for the audit log.
refused_signal = Signal()
LEADER, HANDLER, RECEPTION = Role.LEADER, Role.HANDLER, Role.RECEPTION_OFFICER


class Act(models.TextChoices):
    DIALOGUE_PREPARE = "dialogue_prepare", gettext_lazy("plan, announce and record a dialogue")
    DIALOGUE_CANCEL = "dialogue_cancel", gettext_lazy("cancel a dialogue")
    MEDIATION = "mediation", gettext_lazy("keep the mediation teams and their cases")
    COUNCIL_RECORD = (
        "council_record",
        gettext_lazy("record the council's sessions, questions, resolutions and voter meetings"),
    )
    QUESTION_ANSWER = "question_answer", gettext_lazy("answer a council question")
    VOTERS_REPLY = "voters_reply", gettext_lazy("reply to voters")
    COMMITMENT_RECORD = "commitment_record", gettext_lazy("record a promise and its progress")
    COMMITMENT_DECIDE = (
        "commitment_decide",
        gettext_lazy("move a promise's deadline, close it as kept or not kept"),
    )
    RECEPTION = (
        "reception",
        gettext_lazy("keep the reception calendar, log its sessions and visits"),
    )
    PETITION_PROCESS = (
        "petition_process",
        gettext_lazy(
            "process a petition: classify, accept, transfer, guide, file, split, withdraw, "
            "link a duplicate, confirm its sender, send it to mediation"
        ),
    )
    PETITION_RESOLVE = (
        "petition_resolve",
        gettext_lazy("resolve a petition: verify, extend, conclude, close"),
    )
    PETITION_ASSIGN = "petition_assign", gettext_lazy("assign a petition's handler")


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]  # roles of the owner's own staff who may act
    superior_leaders: bool  # the leaders of the owner's superior agency may act too
    basis: str


RULES: dict[str, Rule] = {
    # The chairman convenes the commune's dialogue with the people; the commune's officers
    # prepare and record it (Law 10/2022 Art. 32; Law 72/2025 Art. 43). Cancelling one the
    # chairman called is the leaders' decision: portal rule.
    Act.DIALOGUE_PREPARE: Rule(
        frozenset({LEADER, HANDLER}), False, "Law 10/2022/QH15 Art. 32; Law 72/2025/QH15 Art. 43"
    ),
    Act.DIALOGUE_CANCEL: Rule(frozenset({LEADER}), False, "portal rule"),
    # The commune People's Committee of the team's village guides and keeps grassroots
    # mediation (Law 35/2013 Art. 5, 12); its justice officer does it: portal rule for roles.
    Act.MEDIATION: Rule(frozenset({LEADER, HANDLER}), False, "Law 35/2013/QH13 Art. 5, 12"),
    # The council's own staff record its work; no other body writes a council's record.
    Act.COUNCIL_RECORD: Rule(frozenset({LEADER, HANDLER}), False, "Law 87/2015/QH13 Art. 60"),
    # The official questioned answers (Law 87/2015 Art. 60); the People's Committee answers
    # to the council for its departments, so its leaders may answer for them too.
    Act.QUESTION_ANSWER: Rule(frozenset({LEADER, HANDLER}), True, "Law 87/2015/QH13 Art. 60"),
    # The agency assigned replies; the People's Committee reports on voters' recommendations.
    Act.VOTERS_REPLY: Rule(frozenset({LEADER, HANDLER}), True, "Law 87/2015/QH13 Art. 60, 89"),
    # A promise is the owner's: its staff record it and note progress; only its leaders, or
    # the superior's, move the deadline or say it was kept: portal rule.
    Act.COMMITMENT_RECORD: Rule(frozenset({LEADER, HANDLER, RECEPTION}), True, "portal rule"),
    Act.COMMITMENT_DECIDE: Rule(frozenset({LEADER}), True, "portal rule"),
    # Each agency keeps its own reception calendar and log; heads record their own sessions
    # (Decree 154/2026 Art. 25, 27, 29). A ward's handler often is its reception officer.
    Act.RECEPTION: Rule(
        frozenset({LEADER, RECEPTION, HANDLER}), False, "Decree 154/2026/NĐ-CP Art. 25, 27, 29"
    ),
    # Petitions (complaints.services). The agency that holds an item processes it (xử lý đơn):
    # classifies, accepts or files it, transfers what is not its own, guides the citizen
    # (Luật Khiếu nại Art. 27; Luật Tố cáo Art. 24; Luật Tiếp công dân Art. 26, 28). Its
    # reception officers take part in that, not in the resolution, which is the competent
    # head's and the officers they name (Luật Khiếu nại Art. 28, 29; Luật Tố cáo Art. 30, 31).
    # The superior's leaders do not act on a subordinate's item: a second complaint is a new
    # item of the superior (Luật Khiếu nại Art. 33), and for an overdue denunciation the
    # superior demands a report (Luật Tố cáo Art. 38); neither touches the item held below.
    Act.PETITION_PROCESS: Rule(
        frozenset({LEADER, HANDLER, RECEPTION}),
        False,
        "Law 02/2011/QH13 Art. 27; Law 25/2018/QH14 Art. 24; Law 42/2013/QH13 Art. 26, 28",
    ),
    Act.PETITION_RESOLVE: Rule(
        frozenset({LEADER, HANDLER}),
        False,
        "Law 02/2011/QH13 Art. 28, 29; Law 25/2018/QH14 Art. 30, 31",
    ),
    # The head names who verifies (Luật Khiếu nại Art. 29; Luật Tố cáo Art. 31).
    Act.PETITION_ASSIGN: Rule(
        frozenset({LEADER}), False, "Law 02/2011/QH13 Art. 29; Law 25/2018/QH14 Art. 31"
    ),
}


def may_act(user: User, act: str, agency: Agency) -> bool:
    """Whether ``user`` may do ``act`` for a record that belongs to ``agency``."""
    rule = RULES[act]
    if not (user.is_active and user.agency_id):
        return False
    if user.agency_id == agency.pk and user.role in rule.roles:
        return True
    return bool(
        rule.superior_leaders
        and agency.parent_id
        and user.agency_id == agency.parent_id
        and user.role == LEADER
    )


def require(
    user: User, act: str, agency: Agency, *, refused: type[ValidationError] = ValidationError
) -> None:
    """Refuse, with ``refused`` (the calling service's exception) and a message that says who
    may, unless ``user`` may do ``act`` for ``agency``."""
    if may_act(user, act, agency):
        return
    # Audited once the request has its answer: this refusal rolls the caller's transaction back.
    refused_signal.send(sender=require, user=user, act=act, agency=agency)
    rule = RULES[act]
    values = {
        "roles": ", ".join(str(Role(r).label).lower() for r in sorted(rule.roles)),
        "agency": agency.name,
    }
    if rule.superior_leaders and agency.parent_id:
        values["superior"] = agency.parent.name
        message = _("Only %(roles)s of %(agency)s, or the leaders of %(superior)s, may do this.")
    else:
        message = _("Only %(roles)s of %(agency)s may do this.")
    raise refused(message % values)
