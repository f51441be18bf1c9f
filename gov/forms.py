from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gov import login_guard
from gov.models import User


class UnitSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name of a commune, ward or former district"),
        max_length=60,
        required=False,
        help_text=_("With or without diacritics, e.g. “Tà Mung” or “ta mung”."),
    )


def wait_text(seconds: int) -> str:
    """ "45 seconds", "3 minutes": how long to wait, rounded up to what a person reads."""
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = -(-seconds // 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


class GuardedLoginMixin:
    """An authentication form that makes a login wait as ``gov.login_guard`` says, and counts
    wrong passwords. What the user typed in the username box stays there."""

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        wait, why = login_guard.wait_seconds(self.request, username)
        if wait:
            if why == "address":
                message = _(
                    "Too many wrong passwords from this address. Try again in %(wait)s, or ask "
                    "an administrator."
                )
            else:
                message = _(
                    "Too many wrong passwords for this account. For its safety, each new "
                    "attempt must wait: try again in %(wait)s."
                )
            raise forms.ValidationError(
                message, code="slowed_down", params={"wait": wait_text(wait)}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError as exc:
            # A wrong password, not a right one refused (a staff member who may not use the
            # admin: Django says "invalid login" for that too).
            if getattr(exc, "code", None) == "invalid_login" and self.get_user() is None:
                login_guard.failed(self.request, username)
            raise
        login_guard.succeeded(username)
        return cleaned


class GuardedAuthenticationForm(GuardedLoginMixin, AuthenticationForm):
    pass


class GuardedAdminAuthenticationForm(GuardedLoginMixin, AdminAuthenticationForm):
    pass


class SecondFactorCodeForm(forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class EnrolCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code your app shows"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class StaffChoiceField(forms.ModelChoiceField):
    """A choice of one staff member, named by full name and title (``User.staff_label``),
    never by login."""

    def label_from_instance(self, obj: User) -> str:
        return obj.staff_label


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of staff members, named as ``StaffChoiceField`` names them."""

    def label_from_instance(self, obj: User) -> str:
        return obj.staff_label
