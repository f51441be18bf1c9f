"""Delivery channels. E-mail and in-app notifications are built in; SMS is an interface with no
provider bundled: a deployment names its class in ``PORTAL_SMS_BACKEND``."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class NoSmsBackend:
    """The default: no SMS provider is configured, so nothing is sent (and nothing logged about
    the recipient: the log line carries no phone number or text)."""

    def send(self, *, phone: str, text: str) -> None:
        log.debug("SMS channel not configured; message skipped")


def sms_backend() -> SmsBackend:
    return import_string(settings.PORTAL_SMS_BACKEND)()
