"""The forms of the officer's actions on a petition item, one per entry of
``complaints.actions.REGISTRY`` that takes input. Each is built for the item and the officer
(``ActionForm``), and its cleaned data are the service's keyword arguments."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gov.forms import StaffChoiceField
from gov.models import Agency, Sector, User

from . import selectors
from .codes import normalise_code
from .forms import DATE_WIDGET, Kind, current_agencies
from .models import PetitionItem


class ActionForm(forms.Form):
    """The form of an officer's action on an item (``complaints.actions.REGISTRY``), built for
    the item and the officer; its cleaned data are the service's keyword arguments."""

    def __init__(self, *args: Any, item: PetitionItem, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item, self.user = item, user

    def _rows(self, name: str, queryset: QuerySet) -> None:
        """The rows the choice field ``name`` offers (known only once the form is built)."""
        cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset


class ClassifyForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all())
    is_complex = forms.BooleanField(label=_("Complex case"), required=False)
    summary = forms.CharField(
        label=_("Content of the item"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            item = self.item
            self.initial = {
                "kind": item.kind,
                "sector": item.sector_id,
                "is_complex": item.is_complex,
                "summary": item.summary,
            }


class AcceptForm(ActionForm):
    handler = StaffChoiceField(
        label=_("Handler"), queryset=User.objects.none(), empty_label=_("— choose the handler —")
    )
    accepted_on = forms.DateField(label=_("Accepted on"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rows("handler", selectors.same_agency_handlers(self.item))
        self.fields["accepted_on"].initial = timezone.localdate()


class TransferForm(ActionForm):
    target = forms.ModelChoiceField(label=_("Transfer to"), queryset=Agency.objects.none())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rows("target", current_agencies())
        if self.item.proposed_agency_id:
            self.fields["target"].initial = self.item.proposed_agency_id


class GuideForm(ActionForm):
    guidance = forms.CharField(
        label=_("Guidance for the citizen"), widget=forms.Textarea(attrs={"rows": 4})
    )


class FileForm(ActionForm):
    ground = forms.ChoiceField(label=_("Legal ground"), choices=PetitionItem.FilingGround.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DuplicateForm(ActionForm):
    original = forms.CharField(
        label=_("Tracking code of the original petition (e.g. LC26-ABC123/1)"), max_length=30
    )

    def clean_original(self) -> PetitionItem:
        """The item the code names (its first, without "/n") among those the officer reads."""
        code, _sep, number = self.cleaned_data["original"].strip().partition("/")
        qs = selectors.items_for(self.user).filter(petition__code=normalise_code(code))
        if number.strip().isdigit():
            qs = qs.filter(number=int(number))
        original = qs.order_by("number").first()
        if original is None:
            raise ValidationError(_("No petition in your scope has this code."))
        return original


class ExtendForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason for the extension"), widget=forms.Textarea(attrs={"rows": 2})
    )
    especially_complex = forms.BooleanField(
        label=_("Especially complex (denunciations)"), required=False
    )


class ConcludeForm(ActionForm):
    conclusion = forms.CharField(
        label=_("Conclusion or resolution decision"), widget=forms.Textarea(attrs={"rows": 4})
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    concluded_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concluded_on"].initial = timezone.localdate()


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContactConfirmForm(ActionForm):
    note = forms.CharField(
        label=_("How you confirmed it (e.g. called the phone number given)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
    )


class WithdrawForm(ActionForm):
    note = forms.CharField(
        label=_("How the citizen withdrew it"), widget=forms.Textarea(attrs={"rows": 2})
    )
