from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UnitSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name of a commune, ward or former district"),
        max_length=60,
        required=False,
        help_text=_("With or without diacritics, e.g. “Tà Mung” or “ta mung”."),
    )
