"""Forms of the petitions app: the citizen's step-by-step form, the officer's intake form and
the inbox filters (the officer's actions on an item are in ``complaints.action_forms``). Every
message is Vietnamese through gettext, and a form with errors is shown again with everything
the user typed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gov.db import in_vietnamese_order
from gov.models import AdministrativeUnit, Agency, Sector, User

from . import uploads
from .models import Channel, Petition, PetitionItem
from .services import too_many_submitters

Kind = PetitionItem.Kind
DATE_WIDGET = forms.DateInput(
    attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, format="%d/%m/%Y"
)


def unit_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Communes and wards grouped: today's units, then the former ones (before 1/7/2025)."""
    rows = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE).select_related(
        "parent"
    )
    current, former = [], []
    for u in rows.order_by(in_vietnamese_order("name")):
        if u.valid_to is None:
            current.append((u.pk, str(u)))
        else:
            former.append((u.pk, f"{u} ({u.parent.name})"))
    return [
        ("", [("", _("— choose —"))]),
        (_("Communes and wards since 1 July 2025"), current),
        (_("Former communes (before 1 July 2025)"), former),
    ]


def current_agencies() -> forms.models.QuerySet:
    return (
        Agency.objects.filter(valid_to__isnull=True)
        .select_related("unit")
        .order_by("unit__level", "kind", in_vietnamese_order("name"))
    )


class KindField(forms.ChoiceField):
    widget = forms.RadioSelect

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Kind of petition"))
        kwargs.setdefault("choices", Kind.choices)
        kwargs.setdefault(
            "help_text", _("Not sure? Choose the closest; the officer will classify it.")
        )
        super().__init__(**kwargs)


class ItemForm(forms.Form):
    """One item: its kind, sector and content, with the fields of a complaint or denunciation."""

    kind = KindField()
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        empty_label=_("— choose —"),
        error_messages={"required": _("Choose the sector the petition concerns.")},
    )
    summary = forms.CharField(
        label=_("What happened, and what do you ask?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=20,
        max_length=10_000,
        error_messages={
            "required": _("Describe the matter."),
            "min_length": _("Describe the matter in a few sentences (at least 20 characters)."),
        },
    )
    contested_decision = forms.CharField(
        label=_("Contested decision or act (complaints)"),
        max_length=255,
        required=False,
        help_text=_("e.g. Quyết định số 123/QĐ-UBND on land recovery"),
    )
    issuer_agency = forms.ModelChoiceField(
        label=_("Who issued it (complaints)"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("— not listed or not a complaint —"),
    )
    issuer_text = forms.CharField(
        label=_("Issuer, if not in the list"), max_length=200, required=False
    )
    decision_date = forms.DateField(
        label=_("Date of the decision or act"), required=False, widget=DATE_WIDGET
    )
    denounced_person = forms.CharField(
        label=_("Person denounced (denunciations)"), max_length=200, required=False
    )
    denounced_agency = forms.ModelChoiceField(
        label=_("Agency of the person denounced"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("— not listed or not a denunciation —"),
    )
    denounced_is_head = forms.BooleanField(
        label=_("The person denounced heads that agency"), required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer_agency"].queryset = current_agencies()
        self.fields["denounced_agency"].queryset = current_agencies()

    def clean_decision_date(self) -> dt.date | None:
        day = self.cleaned_data.get("decision_date")
        if day and day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("kind") == Kind.COMPLAINT
            and not (data.get("contested_decision") or "").strip()
        ):
            self.add_error(
                "contested_decision", _("A complaint names the decision or act it contests.")
            )
        if (
            data.get("kind") == Kind.DENUNCIATION
            and not (data.get("denounced_person") or "").strip()
        ):
            self.add_error(
                "denounced_person",
                _("A denunciation names who broke the law (a person or an agency)."),
            )
        return data


class FirstItemForm(ItemForm):
    another_item = forms.BooleanField(
        label=_("My petition also raises a matter of another kind"),
        required=False,
        help_text=_("For example a complaint and a recommendation: each is handled separately."),
    )


class PlaceForm(forms.Form):
    location_unit = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        label=_("Commune or ward where it happened"),
        help_text=_(
            "A former commune may be chosen: the petition goes to the commune that replaced it."
        ),
        error_messages={"required": _("Choose the commune or ward.")},
    )
    location_address = forms.CharField(
        label=_("Village, street, house number"), max_length=255, required=False
    )
    receiving_agency = forms.ModelChoiceField(
        label=_("Send to"),
        queryset=Agency.objects.none(),
        empty_label=_("— choose —"),
        help_text=_(
            "Matters of a commune are best sent to its People's Committee; the province deals with what the commune cannot."
        ),
        error_messages={"required": _("Choose the agency you send the petition to.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_agency"].queryset = current_agencies().exclude(
            kind=Agency.Kind.PEOPLES_COUNCIL
        )
        self.fields["location_unit"].choices = unit_choices()

    def clean_location_unit(self) -> int:
        pk = self.cleaned_data["location_unit"]
        if not AdministrativeUnit.objects.filter(
            pk=pk, level=AdministrativeUnit.Level.COMMUNE
        ).exists():
            raise ValidationError(_("Choose the commune or ward."))
        return pk


class SubmitterForm(forms.Form):
    submitter_type = forms.ChoiceField(
        label=_("Who sends the petition"),
        choices=Petition.SubmitterType.choices,
        widget=forms.RadioSelect,
        initial=Petition.SubmitterType.PERSON,
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        help_text=_("For a group or an organisation: its first representative."),
        error_messages={"required": _("Give your full name: anonymous petitions are not handled.")},
    )
    id_number = forms.CharField(label=_("Citizen ID number"), max_length=20, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail (to receive news of the petition)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Your address"),
        max_length=255,
        error_messages={"required": _("Give your address, so that the answer can reach you.")},
    )
    organisation_name = forms.CharField(
        label=_("Organisation (if any)"), max_length=200, required=False
    )
    group_size = forms.IntegerField(
        label=_("Number of people in the group"),
        min_value=1,
        max_value=100_000,
        initial=1,
        required=False,
    )
    other_representatives = forms.CharField(
        label=_("Other representatives of the group, one full name per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "A group of 5 to 10 people names 1 or 2 representatives; more than 10 people, up to 5."
        ),
    )
    identity_protected = forms.BooleanField(
        label=_("Keep my identity secret"),
        required=False,
        help_text=_("A denouncer's identity is always kept secret by law."),
    )
    phone_consent = forms.BooleanField(
        label=_("Send me news of the petition by SMS or Zalo at this phone number"),
        required=False,
        help_text=_("Optional. You can stop these messages at any time from the tracking page."),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = "".join(c for c in phone if c.isdigit())
        if phone and not (9 <= len(digits) <= 12):
            raise ValidationError(_("Enter a phone number of 10 digits, e.g. 0912 345 678."))
        return phone

    def clean_other_representatives(self) -> str:
        value = self.cleaned_data["other_representatives"]
        if 1 + len(self.representatives({"other_representatives": value})) > (
            settings.PORTAL_MAX_SUBMITTERS
        ):
            raise ValidationError(too_many_submitters())
        return value

    def clean(self) -> dict:
        data = super().clean()
        if data.get("phone_consent") and not (data.get("phone") or "").strip():
            self.add_error("phone", _("Give the phone number the messages should go to."))
        kind = data.get("submitter_type")
        if (
            kind == Petition.SubmitterType.ORGANISATION
            and not (data.get("organisation_name") or "").strip()
        ):
            self.add_error("organisation_name", _("Give the organisation's name."))
        if kind == Petition.SubmitterType.GROUP:
            size = data.get("group_size") or 1
            if size < 2:
                self.add_error("group_size", _("A group has at least 2 people."))
            from gov.legal import representatives_error

            reps = 1 + len(self.representatives(data))
            message = representatives_error(size, reps)
            if message:
                self.add_error("other_representatives", message)
        return data

    @staticmethod
    def representatives(data: dict) -> list[str]:
        return [
            line.strip()
            for line in (data.get("other_representatives") or "").splitlines()
            if line.strip()
        ]


def _validate_upload(upload: object) -> None:
    """By the name's extension, then by the bytes (complaints.uploads)."""
    uploads.examine(upload)


class AttachmentsForm(forms.Form):
    """Up to three files, one field each: a form that works without JavaScript and survives the
    step-by-step storage, which keeps one file per field."""

    ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx"
    file_1 = forms.FileField(
        label=_("Document or photo"),
        required=False,
        validators=[_validate_upload],
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, JPG, PNG or Word, up to 10 MB each. Optional."),
    )
    file_2 = forms.FileField(
        label=_("Another document"),
        required=False,
        validators=[_validate_upload],
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    file_3 = forms.FileField(
        label=_("Another document"),
        required=False,
        validators=[_validate_upload],
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def uploads(self) -> list:
        return [f for f in (self.cleaned_data.get(n) for n in ("file_1", "file_2", "file_3")) if f]


class EmptyInput(forms.TextInput):
    """A text input shown empty again after a refusal: the visitor cannot see the honeypot to
    clear it, so sending again must work."""

    def format_value(self, value: object) -> None:
        return None


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that what I wrote is true and I take responsibility for it."),
        error_messages={"required": _("Tick the box to confirm before sending.")},
    )
    # The honeypot (complaints.volume): moved out of sight by the stylesheet, skipped by the
    # keyboard, and labelled for screen readers so that nobody fills it but a script.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=EmptyInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class ChallengeForm(forms.Form):
    """The question asked after a day's petitions from one address (complaints.volume)."""

    answer = forms.CharField(
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": _("Answer the question before sending.")},
    )

    def __init__(self, *args: object, question: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = question
        self.fields["answer"].help_text = _(
            "We ask this when many petitions come from one network address in a day."
        )


class StatusLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "LC26-XXXXXX"}),
    )
    secret = forms.CharField(
        label=_("Secret"),
        max_length=20,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
    )


class SecondComplaintForm(forms.Form):
    summary = forms.CharField(
        label=_("Why you disagree with the first decision"),
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=20,
        max_length=10_000,
        error_messages={
            "required": _("Describe why you disagree."),
            "min_length": _("Describe why you disagree (at least 20 characters)."),
        },
    )


# --- staff -----------------------------------------------------------------------------------


class CounterIntakeForm(ItemForm, PlaceForm, SubmitterForm):
    """Officer intake at the counter or by post, with the date received (backdating recorded)."""

    channel = forms.ChoiceField(
        label=_("Received"),
        choices=[(c, label) for c, label in Channel.choices if c != Channel.ONLINE],
    )
    received_on = forms.DateField(label=_("Date received"), widget=DATE_WIDGET)
    content = forms.CharField(
        label=_("Full text or summary of the petition"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    is_anonymous = forms.BooleanField(label=_("Anonymous or false name"), required=False)
    is_signed = forms.BooleanField(label=_("Signed"), required=False, initial=True)

    field_order = [
        "channel",
        "received_on",
        "receiving_agency",
        "location_unit",
        "location_address",
        "submitter_type",
        "full_name",
        "id_number",
        "phone",
        "email",
        "address",
        "organisation_name",
        "group_size",
        "other_representatives",
        "identity_protected",
        "is_anonymous",
        "is_signed",
    ]

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_agency"].initial = user.agency_id
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["full_name"].required = False
        self.fields["address"].required = False

    def clean_received_on(self) -> dt.date:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date received cannot be in the future."))
        return day

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("is_anonymous") and not (data.get("full_name") or "").strip():
            self.add_error(
                "full_name", _("Give the submitter's name, or mark the petition anonymous.")
            )
        return data
