"""Background work for petitions. Tasks take ids only, never personal data, and load the row."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from gov import jobs
from gov.jobs import job_run

from . import volume
from .models import Petition, PetitionItem


def _send(template: str, *, to: str, context: dict) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"complaints/email/{template}_subject.txt", context).strip()
        text = render_to_string(f"complaints/email/{template}.txt", context)
        html = render_to_string(f"complaints/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
    jobs.record_delivery()


def acknowledgements_pending() -> QuerySet[Petition]:
    stale = timezone.now() - dt.timedelta(seconds=settings.PORTAL_CLAIM_STALE_SECONDS)
    return (
        Petition.objects.filter(acknowledged_at__isnull=True)
        .exclude(contact_email="")
        .filter(Q(ack_claimed_at__isnull=True) | Q(ack_claimed_at__lt=stale))
    )


def _ack_context(petition: Petition) -> dict:
    """The acknowledgement's context; for a petition sent online, the link that confirms the
    e-mail is the sender's (complaints.volume)."""
    confirm_url = ""
    if not petition.sender_known:
        path = reverse("complaints:contact_confirm", args=[volume.contact_token(petition.pk)])
        confirm_url = settings.PORTAL_SITE_URL.rstrip("/") + path
    return {"petition": petition, "confirm_url": confirm_url}


def acknowledgement_send(petition_id: int) -> bool:
    """Send the acknowledgement once: claim, send, mark sent. Returns True if this call sent it."""
    if not acknowledgements_pending().filter(pk=petition_id).update(ack_claimed_at=timezone.now()):
        return False
    petition = Petition.objects.select_related("receiving_agency").get(pk=petition_id)
    try:
        _send("acknowledgement", to=petition.contact_email, context=_ack_context(petition))
    except OSError:
        Petition.objects.filter(pk=petition_id).update(ack_claimed_at=None)
        raise
    Petition.objects.filter(pk=petition_id).update(acknowledged_at=timezone.now())
    return True


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),  # so that Celery applies the backoff below (not a fixed 180 s)
    max_retries=6,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
)
def acknowledgement_send_task(petition_id: int) -> bool:
    """Tell the citizen the petition arrived, with its tracking code (never the secret)."""
    return acknowledgement_send(petition_id)


@shared_task(acks_late=True)
def acknowledgements_pending_task() -> int:
    """Queue what the broker missed (it was down when the petition arrived), or a dead worker left."""
    with job_run(jobs.ACKNOWLEDGEMENTS):
        ids = list(acknowledgements_pending().order_by("id").values_list("id", flat=True)[:10_000])
        for petition_id in ids:
            acknowledgement_send_task.delay(petition_id)
    return len(ids)


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=60)
def status_update_send_task(self, item_id: int) -> None:
    """Tell the citizen that an item was transferred, guided or concluded."""
    item = PetitionItem.objects.select_related("petition").filter(pk=item_id).first()
    if item is None or not item.petition.contact_email:
        return
    event = item.events.filter(is_public=True).order_by("-at", "-id").first()
    try:
        _send(
            "status_update",
            to=item.petition.contact_email,
            context={"petition": item.petition, "item": item, "event": event},
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task(acks_late=True)
def abandoned_uploads_sweep_task() -> int:
    """Delete the files of step-by-step forms never sent (daily). Safe to run twice."""
    from .uploads import abandoned_uploads_sweep

    with job_run(jobs.UPLOADS):
        return abandoned_uploads_sweep()


@shared_task(acks_late=True)
def attachments_scan_pending_task() -> int:
    """Scan the files held while clamd was unreachable (every 10 minutes). Safe to run twice."""
    from .scanning import attachments_scan_pending

    with job_run(jobs.SCAN):
        return attachments_scan_pending().waiting
