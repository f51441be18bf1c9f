"""Background work for petitions. Tasks take ids only, never personal data, and load the row."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .models import Petition, PetitionItem


def _send(template: str, *, to: str, context: dict) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"complaints/email/{template}_subject.txt", context).strip()
        text = render_to_string(f"complaints/email/{template}.txt", context)
        html = render_to_string(f"complaints/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=60)
def acknowledgement_send_task(self, petition_id: int) -> None:
    """Tell the citizen the petition arrived, with its tracking code (never the secret)."""
    petition = Petition.objects.filter(pk=petition_id).first()
    if petition is None or not petition.contact_email:
        return
    try:
        _send("acknowledgement", to=petition.contact_email, context={"petition": petition})
    except OSError as exc:
        raise self.retry(exc=exc) from exc


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
