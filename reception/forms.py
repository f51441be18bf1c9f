"""Forms of citizen reception: the public calendar filter, the calendar entries, the sessions,
the visits, and the filters of the reception log and the compliance report. Dates are typed
and shown dd/mm/yyyy; a form with errors is shown again with everything that was typed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.forms import DATE_WIDGET, unit_choices
from gov.db import in_vietnamese_order
from gov.forms import StaffMultipleChoiceField
from gov.models import AdministrativeUnit, Agency, Sector, User
from gov.scoping import scoped

from .models import PresiderType, Schedule, SessionKind, Visit
from .services import VisitData

TIME_WIDGET = forms.TimeInput(
    attrs={"placeholder": "hh:mm", "inputmode": "numeric"}, format="%H:%M"
)
MAX_PERIOD_DAYS = 366
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
]


def _check_period(form: forms.Form, start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        form.add_error("end", _("The end date is before the start date."))
    elif start and end and (end - start).days > MAX_PERIOD_DAYS:
        form.add_error("end", _("Choose a period of at most one year."))


# --- the public calendar -----------------------------------------------------------------------


class CalendarFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("Commune, ward or province"), required=False)
    start = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("Until"), widget=DATE_WIDGET)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.units = {
            u.code: u
            for u in AdministrativeUnit.objects.filter(
                level__in=[AdministrativeUnit.Level.PROVINCE, AdministrativeUnit.Level.COMMUNE],
                valid_to__isnull=True,
            ).order_by("level", in_vietnamese_order("name"))
        }
        province = [u for u in self.units.values() if u.level == AdministrativeUnit.Level.PROVINCE]
        communes = [u for u in self.units.values() if u.level == AdministrativeUnit.Level.COMMUNE]
        self.fields["unit"].choices = [
            ("", _("All of the province")),
            *[(u.code, _("%(unit)s: the provincial agencies") % {"unit": u}) for u in province],
            (_("Communes and wards"), [(u.code, str(u)) for u in communes]),
        ]

    def clean_unit(self) -> AdministrativeUnit | None:
        code = self.cleaned_data["unit"]
        return self.units[code] if code else None

    def clean(self) -> dict:
        data = super().clean()
        _check_period(self, data.get("start"), data.get("end"))
        return data


# --- the calendar, for staff -------------------------------------------------------------------


class _TimesForm(forms.Form):
    start_time = forms.TimeField(label=_("From (hh:mm)"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Until (hh:mm)"), widget=TIME_WIDGET)
    host = forms.CharField(
        label=_("Who receives"),
        max_length=200,
        help_text=_("Title and name, e.g. Chủ tịch UBND xã Lò Văn A"),
    )
    place = forms.CharField(label=_("Place"), max_length=255)

    def __init__(self, *args: object, agency: Agency, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].initial = " ".join(
            x for x in (agency.head_title, agency.short_name or agency.name) if x
        )
        self.fields["place"].initial = agency.address
        self.fields["start_time"].initial = dt.time(7, 30)
        self.fields["end_time"].initial = dt.time(11, 0)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
        return data


class ScheduleForm(_TimesForm):
    """One entry of the published calendar."""

    kind = forms.ChoiceField(
        label=_("Kind of reception"),
        choices=SessionKind.choices,
        widget=forms.RadioSelect,
        initial=SessionKind.PERIODIC,
    )
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    is_published = forms.BooleanField(
        label=_("Publish on the public calendar"), required=False, initial=True
    )

    field_order = ["kind", "date", "start_time", "end_time", "host", "place", "note"]


class RecurringScheduleForm(_TimesForm):
    """A day of periodic reception every week (or every few weeks) over a period."""

    weekday = forms.TypedChoiceField(
        label=_("Day of the week"), choices=WEEKDAYS, coerce=int, widget=forms.RadioSelect
    )
    every_weeks = forms.TypedChoiceField(
        label=_("How often"),
        choices=[(1, _("Every week")), (2, _("Every two weeks")), (4, _("Every four weeks"))],
        coerce=int,
        initial=1,
    )
    first = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    last = forms.DateField(label=_("Until"), widget=DATE_WIDGET)

    field_order = ["weekday", "every_weeks", "first", "last", "start_time", "end_time"]

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("The end date is before the start date."))
        return data


class CancelScheduleForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the reception is cancelled"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give the reason for cancelling.")},
    )


# --- sessions ----------------------------------------------------------------------------------


class SessionForm(forms.Form):
    """A session as held (buổi tiếp công dân), possibly from a calendar entry."""

    schedule = forms.ModelChoiceField(
        label=_("Calendar entry"),
        queryset=Schedule.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("This calendar entry was cancelled or its session already logged.")
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of session"),
        choices=SessionKind.choices,
        widget=forms.RadioSelect,
        initial=SessionKind.PERIODIC,
    )
    date = forms.DateField(label=_("Date held"), widget=DATE_WIDGET)
    presider_type = forms.ChoiceField(
        label=_("Presided by"),
        choices=PresiderType.choices,
        widget=forms.RadioSelect,
        initial=PresiderType.HEAD,
    )
    presider_name = forms.CharField(
        label=_("Name and title of the person presiding"),
        max_length=200,
        error_messages={"required": _("Name the person who presided.")},
    )
    officers = StaffMultipleChoiceField(
        label=_("Officers present"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=255,
        required=False,
        help_text=_("Left empty: the place of the calendar entry."),
    )
    ad_hoc_reason = forms.CharField(
        label=_("Why an ad hoc reception was needed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Ad hoc sessions only: a serious or complex matter, many people, or a risk of "
            "serious consequences (Luật Tiếp công dân Art. 18(3))."
        ),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = Schedule.objects.filter(
            agency_id=user.agency_id, is_cancelled=False, session__isnull=True
        )
        self.fields["officers"].queryset = scoped(
            user, User.objects.filter(agency_id=user.agency_id, is_active=True)
        ).order_by(in_vietnamese_order("last_name"), in_vietnamese_order("first_name"), "username")
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError(
                _("A session is logged once held: the date cannot be in the future.")
            )
        return day

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == SessionKind.AD_HOC and not data.get("ad_hoc_reason", "").strip():
            self.add_error(
                "ad_hoc_reason",
                _("Say why the ad hoc reception was needed (Luật Tiếp công dân Art. 18(3))."),
            )
        return data


class VisitForm(forms.Form):
    """One visitor or group received in a session: a line of the reception log."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        help_text=_("For a group: its first representative."),
        error_messages={"required": _("Give the visitor's full name.")},
    )
    id_number = forms.CharField(label=_("Citizen ID number"), max_length=20, required=False)
    address = forms.CharField(
        label=_("Address"),
        max_length=255,
        error_messages={"required": _("Give the visitor's address.")},
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of petition"),
        choices=Visit._meta.get_field("kind").choices,
        widget=forms.RadioSelect,
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        empty_label=_("— choose —"),
        error_messages={"required": _("Choose the sector the matter concerns.")},
    )
    location_unit = forms.TypedChoiceField(
        label=_("Commune or ward concerned"),
        coerce=int,
        empty_value=None,
        error_messages={"required": _("Choose the commune or ward.")},
    )
    content = forms.CharField(
        label=_("Content"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        error_messages={"required": _("Write what the citizen raised.")},
    )
    denounced = forms.CharField(
        label=_("Person or agency denounced (denunciations)"), max_length=200, required=False
    )
    prior_handling = forms.CharField(
        label=_("Already handled by (agency, document, date)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    request = forms.CharField(
        label=_("What the citizen asks"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    group_size = forms.IntegerField(
        label=_("Number of people"), min_value=1, max_value=100_000, initial=1
    )
    representatives = forms.CharField(
        label=_("Other representatives of the group, one full name per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "The person named above is the first representative. A group of 5 to 10 people "
            "names 1 or 2 representatives; more than 10 people, up to 5."
        ),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Visit.Outcome.choices, widget=forms.RadioSelect
    )
    refusal_ground = forms.ChoiceField(
        label=_("Legal ground for refusing (refused only)"),
        choices=Visit.RefusalGround.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    handling = forms.CharField(
        label=_("Guidance or answer given"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    identity_protected = forms.BooleanField(
        label=_("Keep the visitor's identity secret"),
        required=False,
        help_text=_("A denouncer's identity is always kept secret by law."),
    )

    def __init__(self, *args: object, unit: AdministrativeUnit | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["location_unit"].choices = unit_choices()
        if unit is not None and unit.level == AdministrativeUnit.Level.COMMUNE:
            self.fields["location_unit"].initial = unit.pk

    def clean_location_unit(self) -> AdministrativeUnit:
        unit = AdministrativeUnit.objects.filter(
            pk=self.cleaned_data["location_unit"], level=AdministrativeUnit.Level.COMMUNE
        ).first()
        if unit is None:
            raise ValidationError(_("Choose the commune or ward."))
        return unit

    def visit_data(self) -> VisitData:
        d = self.cleaned_data
        return VisitData(
            full_name=d["full_name"].strip(),
            address=d["address"].strip(),
            kind=d["kind"],
            sector=d["sector"],
            location_unit=d["location_unit"],
            content=d["content"],
            outcome=d["outcome"],
            id_number=d["id_number"].strip(),
            phone=d["phone"].strip(),
            denounced=d["denounced"].strip(),
            prior_handling=d["prior_handling"],
            request=d["request"],
            group_size=d["group_size"],
            representatives=[n.strip() for n in d["representatives"].splitlines() if n.strip()],
            refusal_ground=d["refusal_ground"],
            handling=d["handling"],
            identity_protected=d["identity_protected"],
        )


# --- the reception log and compliance ----------------------------------------------------------


class LogFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("Until"), widget=DATE_WIDGET)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("All agencies I may see"),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            scoped(user, Agency.objects.filter(valid_to__isnull=True))
            .select_related("unit")
            .order_by(
                "unit__level",
                in_vietnamese_order("unit__name"),
                "kind",
                in_vietnamese_order("name"),
            )
        )

    def clean(self) -> dict:
        data = super().clean()
        _check_period(self, data.get("start"), data.get("end"))
        return data


class ComplianceFilterForm(forms.Form):
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, choices=[(m, f"{m:02d}") for m in range(1, 13)]
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    unit = forms.ChoiceField(label=_("Commune, ward or province"), required=False)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year - 5, this_year + 2)]
        self.units = {
            u.code: u
            for u in scoped(
                user,
                AdministrativeUnit.objects.filter(
                    level__in=[AdministrativeUnit.Level.PROVINCE, AdministrativeUnit.Level.COMMUNE],
                    valid_to__isnull=True,
                ),
            ).order_by("level", in_vietnamese_order("name"))
        }
        self.fields["unit"].choices = [
            ("", _("All I may see")),
            *[(code, str(u)) for code, u in self.units.items()],
        ]

    def clean_unit(self) -> AdministrativeUnit | None:
        code = self.cleaned_data["unit"]
        return self.units[code] if code else None
