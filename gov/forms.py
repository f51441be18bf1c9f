from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gov import login_guard


class UnitSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name of a commune, ward or former district"),
        max_length=60,
        required=False,
        help_text=_("With or without diacritics, e.g. “Tà Mung” or “ta mung”."),
    )


class GuardedLoginMixin:
    """An authentication form that refuses logins ``gov.login_guard`` has locked, and counts
    wrong passwords. What the user typed in the username box stays there."""

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        if login_guard.refused(self.request, username):
            minutes = max(1, settings.PORTAL_LOGIN_WINDOW_SECONDS // 60)
            raise forms.ValidationError(
                _(
                    "Too many wrong passwords. For your account's safety, logging in is paused: "
                    "try again in %(minutes)s minutes, or ask an administrator."
                ),
                code="locked",
                params={"minutes": minutes},
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
