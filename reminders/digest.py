"""The leaders' weekly digest: what is overdue or due soon in their scope, and the answers,
replies and results owed past their legal day (the overview's card)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import selectors as petitions
from dashboard.selectors import follow_ups
from dialogues.selectors import commitments_for

from .messages import Message
from .models import Reminder


def digest_message(reminder: Reminder) -> Message:
    user = reminder.recipient
    today = timezone.localdate()
    items = petitions.items_for(user)
    overdue = petitions.overdue(items, today=today).count()
    soon = petitions.due_within(items, working_days=5, today=today).count()
    promises = commitments_for(user, today=today)
    promises_overdue = promises.filter(status="overdue").count()
    week = reminder.deadline
    title = _("Week of %(day)s: %(n)s overdue petitions, %(p)s overdue promises") % {
        "day": week.strftime("%d/%m/%Y"),
        "n": overdue,
        "p": promises_overdue,
    }
    body = _(
        "Overdue petitions: %(overdue)s. Due within 5 working days: %(soon)s. Overdue promises: %(p)s."
    ) % {"overdue": overdue, "soon": soon, "p": promises_overdue}
    owed = follow_ups(user, today=today)
    if owed.questions_overdue or owed.recommendations_overdue or owed.dialogue_results_overdue:
        body += " " + _(
            "Owed past the legal day: %(q)s written answers to council questions, %(r)s replies "
            "to voters, %(d)s dialogue results."
        ) % {
            "q": owed.questions_overdue,
            "r": owed.recommendations_overdue,
            "d": owed.dialogue_results_overdue,
        }
    return Message(title=title, body=body, url=reverse("complaints:inbox") + "?overdue=true")
