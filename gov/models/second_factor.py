"""Recovery codes kept as keyed hashes (ASVS 5.0 V6.5.2).

django-otp's ``StaticDevice`` keeps its single-use codes in clear: whoever reads a dump of the
database (a backup, a replica, a support copy) could log in as any staff member with a password
they guessed. Here a code is stored only as an HMAC-SHA256 under a key derived from the site's
``SECRET_KEY``, which is not in the database: the codes cannot be recovered from a dump, and a
code typed is checked by hashing it the same way. A used code's row is deleted by the check that
accepts it, so two requests racing with one code let one in.
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

DIGEST_SALT = "gov.second_factor.recovery-code"


def normalise_code(code: str) -> str:
    """How a code is compared: without spaces or dashes, in lower case."""
    return "".join(str(code).split()).replace("-", "").casefold()


def code_digest(code: str, *, secret: str | bytes | None = None) -> str:
    """The keyed hash a code is stored as (``secret``: one of ``SECRET_KEY_FALLBACKS``)."""
    return salted_hmac(
        DIGEST_SALT, normalise_code(code), secret=secret, algorithm="sha256"
    ).hexdigest()


def code_digests(code: str) -> list[str]:
    """A code's hash under the current key and under each former one still accepted, so that a
    change of ``SECRET_KEY`` (the former one kept in ``SECRET_KEY_FALLBACKS``) keeps the codes
    working."""
    fallbacks = getattr(settings, "SECRET_KEY_FALLBACKS", [])
    return [code_digest(code), *(code_digest(code, secret=key) for key in fallbacks)]


def random_code() -> str:
    """Eight characters of base 32 (40 bits) from the system's secure source, as django-otp's."""
    return b32encode(secrets.token_bytes(5)).decode().lower()


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """An account's set of single-use recovery codes (mã dự phòng), stored hashed."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def codes_replace(self, codes: list[str]) -> None:
        """Forget the former codes, keep the hashes of ``codes``."""
        self.codes.all().delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=self, digest=code_digest(code)) for code in codes
        )

    def verify_token(self, token: Any) -> bool:
        allowed, _data = self.verify_is_allowed()
        if not allowed:
            return False
        digests = code_digests(str(token))
        with transaction.atomic():
            # Deleting is the check: of two requests with one code, one deletes the row.
            used, _by_model = RecoveryCode.objects.filter(device=self, digest__in=digests).delete()
            if used:
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
                return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    """One unused recovery code: its keyed hash only (``code_digest``)."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(_("keyed hash"), max_length=64)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.digest[:8]}…"
