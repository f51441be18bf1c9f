"""Password rules of staff accounts (``AUTH_PASSWORD_VALIDATORS``): at least 12 characters, not
a common password (the list shipped in gov/data), not all digits, not like the account's name."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its refusal in the portal's catalogue: Django 5.2 changed that message and
    its Vietnamese catalogue has no translation of the new one."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must have at least %(n)d character.",
            "This password is too short: it must have at least %(n)d characters.",
            self.min_length,
        ) % {"n": self.min_length}
