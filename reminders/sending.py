"""Sending reminders, exactly once.

A sender claims a row with a conditional update (``sent_at`` empty, and no live claim); only
the one that claims it sends. A claim older than ``STALE`` (a worker killed mid-send) may be
taken again by the next dispatch, so nothing is lost. Messages carry no personal data beyond
what the recipient, a staff member in scope, already sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from complaints.models import PetitionItem
from complaints.models.items import OPEN_STATUSES
from dialogues.models import Commitment, MediationCase, Question, VoterRecommendation
from gov.services import notification_send
from reception.models import Schedule

from .models import Reminder

STALE = dt.timedelta(minutes=15)
Kind = Reminder.Kind
Target = Reminder.Target


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str


def pending() -> Reminder.objects:
    """Rows waiting to be sent, or whose sender died."""
    stale = timezone.now() - STALE
    return Reminder.objects.filter(sent_at__isnull=True).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )


def claim(reminder_id: int) -> bool:
    stale = timezone.now() - STALE
    return bool(
        Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .update(claimed_at=timezone.now(), attempts=F("attempts") + 1)
    )


def release(reminder_id: int, error: str) -> None:
    Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(
        claimed_at=None, last_error=error[:255]
    )


def _when(kind: str, deadline: dt.date) -> str:
    day = deadline.strftime("%d/%m/%Y")
    return {
        Kind.DUE_SOON: _("due on %(day)s") % {"day": day},
        Kind.DUE_TOMORROW: _("due on %(day)s, within a working day") % {"day": day},
        Kind.OVERDUE: _("overdue since %(day)s") % {"day": day},
        Kind.ESCALATED: _("overdue since %(day)s, escalated to the superior level") % {"day": day},
        Kind.UPCOMING: _("on %(day)s") % {"day": day},
    }.get(kind, day)


def build(reminder: Reminder) -> Message | None:
    """The message for a reminder, or None when the thing was closed since the sweep."""
    when = _when(reminder.kind, reminder.deadline)
    t = reminder.target
    if t == Target.PETITION_ITEM:
        item = (
            PetitionItem.objects.select_related("petition", "agency")
            .filter(pk=reminder.target_id)
            .first()
        )
        if item is None or item.status not in OPEN_STATUSES or item.due_on != reminder.deadline:
            return None
        return Message(
            _("Petition %(ref)s is %(when)s") % {"ref": item, "when": when},
            _("%(stage)s at %(agency)s: %(summary)s")
            % {
                "stage": item.get_due_stage_display(),
                "agency": item.agency.name,
                "summary": item.summary[:200],
            },
            reverse("complaints:case", args=[item.pk]),
        )
    if t == Target.COMMITMENT:
        c = Commitment.objects.select_related("owner_agency").filter(pk=reminder.target_id).first()
        if c is None or c.state != Commitment.State.OPEN or c.deadline != reminder.deadline:
            return None
        return Message(
            _("A promise is %(when)s") % {"when": when},
            f"{c.owner_agency.name}: {c.content[:200]}",
            reverse("dialogues:commitment", args=[c.pk]),
        )
    if t == Target.COUNCIL_QUESTION:
        q = Question.objects.select_related("asked_agency").filter(pk=reminder.target_id).first()
        if q is None or q.state != Question.State.ASKED:
            return None
        return Message(
            _("A written answer to a council question is %(when)s") % {"when": when},
            f"{q.deputy}: {q.content[:200]}",
            reverse("dialogues:council_session", args=[q.session_id]),
        )
    if t == Target.VOTER_RECOMMENDATION:
        r = VoterRecommendation.objects.filter(pk=reminder.target_id).first()
        if r is None or r.replied_on:
            return None
        return Message(
            _("A reply to voters is %(when)s") % {"when": when},
            r.content[:200],
            reverse("dialogues:voter_meetings"),
        )
    if t == Target.MEDIATION:
        m = MediationCase.objects.filter(pk=reminder.target_id).first()
        if m is None or m.started_on or m.outcome != MediationCase.Outcome.PENDING:
            return None
        return Message(
            _("A mediation is to start, %(when)s") % {"when": when},
            m.dispute[:200],
            reverse("dialogues:mediation"),
        )
    if t == Target.RECEPTION_SCHEDULE:
        s = Schedule.objects.select_related("agency").filter(pk=reminder.target_id).first()
        if s is None or s.is_cancelled:
            return None
        return Message(
            _("Citizen reception %(when)s") % {"when": when},
            f"{s.agency.name}: {s.start_time:%H:%M}–{s.end_time:%H:%M}, {s.place}",
            reverse("reception:sessions"),
        )
    if t == Target.DIGEST:
        from .digest import digest_message

        return digest_message(reminder)
    return None


def send(reminder_id: int) -> bool:
    """Claim and send one reminder. Returns True if this call sent it."""
    if not claim(reminder_id):
        return False
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    with translation.override(settings.LANGUAGE_CODE):
        message = build(reminder)
        if message is not None:
            notification_send(
                recipient=reminder.recipient,
                kind=f"reminder:{reminder.kind}",
                title=message.title,
                body=message.body,
                url=message.url,
                dedupe_key=f"reminder:{reminder.pk}",
            )
            if reminder.recipient.email:
                _email(reminder, message)
    Reminder.objects.filter(pk=reminder_id).update(sent_at=timezone.now(), last_error="")
    return message is not None


def _email(reminder: Reminder, message: Message) -> None:
    context = {"message": message, "reminder": reminder, "site": settings.PORTAL_SITE_URL}
    text = render_to_string("reminders/email/reminder.txt", context)
    html = render_to_string("reminders/email/reminder.html", context)
    mail = EmailMultiAlternatives(message.title, text, to=[reminder.recipient.email])
    mail.attach_alternative(html, "text/html")
    mail.send()
