"""Sending reminders, exactly once.

The in-app notification and the row's ``sent_at`` are written in one transaction, under a row
lock taken with SKIP LOCKED: two workers given the same reminder cannot both send it, and a
worker killed mid-send rolls back, so the reminder stays pending and is sent by the redelivered
task (acks late) or the next dispatch. E-mail follows the commit as its own task with its own
claim; SMTP cannot take part in a transaction, so a crash between the SMTP answer and the mark
may, rarely, repeat an e-mail, never lose it. Messages carry no personal data beyond what the
recipient, a staff member in scope, already sees.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from complaints.models import PetitionItem
from complaints.models.items import OPEN_STATUSES
from dialogues.models import Commitment, Dialogue, MediationCase, Question, VoterRecommendation
from gov import jobs
from gov.notifications import notification_send
from reception.models import Schedule

from .digest import digest_message
from .messages import Message
from .models import Reminder

log = logging.getLogger(__name__)

Kind = Reminder.Kind
Target = Reminder.Target


def stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.PORTAL_CLAIM_STALE_SECONDS)


def pending() -> QuerySet[Reminder]:
    """Rows not sent yet."""
    return Reminder.objects.filter(sent_at__isnull=True)


def emails_pending() -> QuerySet[Reminder]:
    """Sent rows whose e-mail is still to go (never claimed, or claimed by a sender that died)."""
    return Reminder.objects.filter(
        sent_at__isnull=False, emailed_at__isnull=True, recipient__email__gt=""
    ).filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=stale_before()))


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
            reverse("dialogues:session", args=[q.session_id]),
        )
    if t == Target.VOTER_RECOMMENDATION:
        r = VoterRecommendation.objects.filter(pk=reminder.target_id).first()
        if r is None or r.replied_on:
            return None
        return Message(
            _("A reply to voters is %(when)s") % {"when": when},
            r.content[:200],
            reverse("dialogues:recommendation", args=[r.pk]),
        )
    if t == Target.MEDIATION:
        m = MediationCase.objects.filter(pk=reminder.target_id).first()
        if m is None or m.started_on or m.outcome != MediationCase.Outcome.PENDING:
            return None
        return Message(
            _("A mediation is to start, %(when)s") % {"when": when},
            m.dispute[:200],
            reverse("dialogues:mediation_case", args=[m.pk]),
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
    if t == Target.DIALOGUE_RESULTS:
        d = Dialogue.objects.select_related("agency").filter(pk=reminder.target_id).first()
        if (
            d is None
            or d.state != Dialogue.State.HELD
            or d.results_published_on
            or d.results_due_on != reminder.deadline
        ):
            return None
        return Message(
            _("The results of a dialogue are to be published, %(when)s") % {"when": when},
            f"{d.agency.name}: {d.topic}",
            reverse("dialogues:dialogue", args=[d.pk]),
        )
    if t == Target.DIGEST:
        return digest_message(reminder)
    return None


def send(reminder_id: int) -> bool:
    """Send one reminder in the app, exactly once. Returns True if this call sent it; the e-mail
    is then ``email(reminder_id)``'s job."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False
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
        fields = {"sent_at": timezone.now()}
        if message is None or not reminder.recipient.email:
            fields["emailed_at"] = fields["sent_at"]  # nothing to e-mail
        Reminder.objects.filter(pk=reminder_id).update(**fields)
    return message is not None


def email(reminder_id: int) -> bool:
    """E-mail a sent reminder once it is claimed; returns True if this call e-mailed it."""
    if not emails_pending().filter(pk=reminder_id).update(email_claimed_at=timezone.now()):
        return False
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    with translation.override(settings.LANGUAGE_CODE):
        message = build(reminder)
        if message is not None:
            try:
                _email(reminder, message)
            except OSError as exc:  # smtplib's errors are OSErrors
                # Released for the next try, with what went wrong: the exception's class only
                # (an SMTP server's answer may repeat the address).
                Reminder.objects.filter(pk=reminder_id).update(
                    email_claimed_at=None,
                    attempts=F("attempts") + 1,
                    last_error=type(exc).__name__[:255],
                )
                log.warning("Reminder %s: e-mail failed (%s)", reminder_id, type(exc).__name__)
                raise
    Reminder.objects.filter(pk=reminder_id).update(emailed_at=timezone.now())
    return message is not None


def _email(reminder: Reminder, message: Message) -> None:
    context = {"message": message, "reminder": reminder, "site": settings.PORTAL_SITE_URL}
    text = render_to_string("reminders/email/reminder.txt", context)
    html = render_to_string("reminders/email/reminder.html", context)
    mail = EmailMultiAlternatives(message.title, text, to=[reminder.recipient.email])
    mail.attach_alternative(html, "text/html")
    mail.send()
    jobs.record_delivery()
