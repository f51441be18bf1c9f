from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class PersonDataRequestForm(forms.Form):
    """A person asks for the data the portal holds about them (Law 91/2025)."""

    id_number = forms.CharField(
        label=_("Citizen ID number of the person"), max_length=20, required=False
    )
    phone = forms.CharField(label=_("Phone of the person"), max_length=20, required=False)
    reference = forms.CharField(
        label=_("The request"),
        max_length=200,
        help_text=_("Number and date of the written request, or how the person asked."),
        error_messages={"required": _("Say which request this answers.")},
    )

    def clean(self) -> dict:
        data = super().clean()
        id_number = "".join(c for c in data.get("id_number", "") if c.isalnum())
        phone = "".join(c for c in data.get("phone", "") if c.isdigit())
        if not id_number and len(phone) < 8:
            raise ValidationError(_("Give the person's ID number or phone number."))
        data["id_number"], data["phone"] = id_number, phone
        return data
