"""Forms of accountability pages: the commitment tracker and its filters, dialogues, grassroots
mediation and the People's Council. Choices are narrowed to what the user may see (through
``gov.scoping``); the services still check every write. Dates are typed dd/mm/yyyy."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import selectors as petition_selectors
from complaints.codes import normalise_code
from complaints.forms import DATE_WIDGET, current_agencies
from complaints.models import Petition
from gov.db import in_vietnamese_order
from gov.models import AdministrativeUnit, Agency, Sector, User
from gov.scoping import scoped

from . import selectors
from .models import (
    Commitment,
    CommitmentSource,
    CouncilSession,
    MediationCase,
    MediationTeam,
    Mediator,
)

Level = AdministrativeUnit.Level


def _date(label: str, **kwargs: object) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, **kwargs)


def _text(label: str, rows: int = 3, **kwargs: object) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def agencies_in_scope(user: User) -> QuerySet[Agency]:
    return scoped(user, current_agencies())


class AgenciesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


def councils_in_scope(user: User) -> QuerySet[Agency]:
    return agencies_in_scope(user).filter(kind=Agency.Kind.PEOPLES_COUNCIL)


def _not_future(form: forms.Form, field: str) -> None:
    day = form.cleaned_data.get(field)
    if day and day > timezone.localdate():
        form.add_error(field, _("The date cannot be in the future."))


# --- choosing a unit: communes, and the villages under them ------------------------------------


def unit_choices_in_scope(user: User, *, levels: tuple[int, ...]) -> list[tuple]:
    """Today's units of ``levels`` that ``user`` may see. Villages are grouped under their
    commune (the commune first, when it is offered too); the province and communes without
    villages on offer are listed plainly, as in ``complaints.forms.unit_choices``."""
    units = scoped(
        user, AdministrativeUnit.objects.filter(level__in=levels, valid_to__isnull=True)
    ).select_related("parent")
    plain: list[tuple] = [("", _("— choose —"))]
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    with_villages = Level.VILLAGE in levels
    for u in units.order_by("level", in_vietnamese_order("name")):
        if u.level == Level.VILLAGE:
            groups.setdefault(u.parent_id, (str(u.parent), []))[1].append((u.pk, str(u)))
        elif u.level == Level.COMMUNE and with_villages:
            groups.setdefault(u.pk, (str(u), []))[1].insert(0, (u.pk, str(u)))
        else:
            plain.append((u.pk, str(u)))
    return plain + sorted(groups.values())


class ScopedUnitField(forms.TypedChoiceField):
    """A unit among those offered; ``clean`` gives the ``AdministrativeUnit``."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        super().__init__(**kwargs)

    def clean(self, value: object) -> AdministrativeUnit | None:
        pk = super().clean(value)
        return None if pk is None else AdministrativeUnit.objects.get(pk=pk)


def _set_units(field: forms.Field, user: User, levels: tuple[int, ...]) -> None:
    field.choices = unit_choices_in_scope(user, levels=levels)


# --- commitments --------------------------------------------------------------------------------


class _CommitmentStatusFilter(django_filters.FilterSet):
    """A list of promises, first filtered by status (``selectors.status_labels``)."""

    status = django_filters.ChoiceFilter(label=_("Status"), empty_label=_("All"))

    class Meta:
        model = Commitment
        fields: list[str] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.filters["status"].extra["choices"] = list(selectors.status_labels().items())


class PublicCommitmentFilter(_CommitmentStatusFilter):
    """The public list of promises: by status and by agency."""

    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"),
        field_name="owner_agency",
        empty_label=_("All"),
        queryset=Agency.objects.filter(commitments__is_public=True)
        .distinct()
        .order_by(in_vietnamese_order("name")),
    )


class CommitmentFilter(_CommitmentStatusFilter):
    """The leaders' list of every promise in scope."""

    source = django_filters.ChoiceFilter(
        label=_("Made in"), choices=CommitmentSource.choices, empty_label=_("All")
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency responsible"),
        field_name="owner_agency",
        empty_label=_("All"),
        queryset=lambda request: agencies_in_scope(request.user),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[("deadline", "deadline")],
        field_labels={"deadline": _("Deadline")},
        empty_label=_("Deadline, nearest first"),
    )

    def filter_overdue(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        return qs.filter(status="overdue") if value else qs


class CommitmentForm(forms.Form):
    """Record a promise (lời hứa) made in a dialogue, a council session or to voters."""

    content = _text(_("Promise"), rows=4)
    owner_agency = forms.ModelChoiceField(
        label=_("Agency responsible"), queryset=Agency.objects.none()
    )
    owner_name = forms.CharField(
        label=_("Person responsible"),
        max_length=200,
        help_text=_("Name and title of who made the promise, e.g. Chủ tịch UBND xã"),
    )
    made_on = _date(_("Made on"))
    deadline = _date(_("Deadline"))
    is_public = forms.BooleanField(
        label=_("Show on the public list of promises"), required=False, initial=True
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies_in_scope(user)

    def clean(self) -> dict:
        data = super().clean()
        _not_future(self, "made_on")
        made, deadline = data.get("made_on"), data.get("deadline")
        if made and deadline and deadline < made:
            self.add_error("deadline", _("The deadline cannot precede the promise."))
        return data


class ProgressForm(forms.Form):
    note = _text(_("What was done"))


class DeadlineForm(forms.Form):
    deadline = _date(_("New deadline"))
    reason = _text(_("Reason for the new deadline"), rows=2)


class KeptForm(forms.Form):
    evidence = _text(_("Evidence: what was done"))
    on = _date(_("Kept on"), initial=timezone.localdate)


class NotKeptForm(forms.Form):
    evidence = _text(_("Why the promise was not kept"))


# --- dialogues ----------------------------------------------------------------------------------


CODE_SPLIT = re.compile(r"[\s,;]+")


class DialogueForm(forms.Form):
    """Plan a dialogue between a head of government and the people."""

    topic = forms.CharField(label=_("Topic"), max_length=255)
    agency = forms.ModelChoiceField(label=_("Organised by"), queryset=Agency.objects.none())
    unit = ScopedUnitField(label=_("Commune, ward or province"))
    leader_name = forms.CharField(
        label=_("Leader"), max_length=200, help_text=_("Name and title, e.g. Chủ tịch UBND xã")
    )
    date = _date(_("Date"))
    start_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"placeholder": "hh:mm", "inputmode": "numeric"}),
    )
    place = forms.CharField(label=_("Place"), max_length=255)
    participants = _text(_("Participants"), rows=2, required=False)
    expected_participants = forms.IntegerField(
        label=_("Expected participants"), min_value=0, max_value=100_000, initial=0
    )
    announced_on = _date(
        _("Announced on"),
        required=False,
        help_text=_("A dialogue is announced at least 7 days ahead. Leave empty if not yet."),
    )
    agencies_taking_part = AgenciesField(
        label=_("Agencies taking part"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Departments and other agencies whose officials take part and answer; they can then "
            "read the dialogue."
        ),
    )
    related_petitions = _text(
        _("Related petitions (tracking codes)"),
        rows=2,
        required=False,
        help_text=_("Codes such as LC26-ABC123, separated by spaces or commas."),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["agency"].queryset = agencies_in_scope(user).exclude(
            kind=Agency.Kind.PEOPLES_COUNCIL
        )
        # A commune's dialogue may call on the province's departments. Taking part is what lets
        # a provincial agency read it (a commune's agencies read their commune's anyway).
        self.fields["agencies_taking_part"].queryset = current_agencies().filter(
            unit__parent__isnull=True
        )
        _set_units(self.fields["unit"], user, (Level.PROVINCE, Level.COMMUNE))
        if user.agency_id:
            self.fields["agency"].initial = user.agency_id
            self.fields["unit"].initial = user.agency.unit_id

    def clean_related_petitions(self) -> list[Petition]:
        raw = self.cleaned_data.get("related_petitions", "")
        wanted = {normalise_code(c.split("/")[0]) for c in CODE_SPLIT.split(raw) if c}
        if not wanted:
            return []
        visible = petition_selectors.items_for(self.user).filter(petition__code__in=wanted)
        petitions = list(Petition.objects.filter(pk__in=visible.values("petition_id")))
        missing = sorted(wanted - {p.code for p in petitions})
        if missing:
            raise ValidationError(
                _("No petition in your scope has the code %(codes)s."),
                params={"codes": ", ".join(missing)},
            )
        return petitions

    def clean(self) -> dict:
        data = super().clean()
        day, announced = data.get("date"), data.get("announced_on")
        if announced and day and announced > day:
            self.add_error("announced_on", _("A dialogue cannot be announced after it is held."))
        return data


class AnnounceForm(forms.Form):
    announced_on = _date(_("Announced on"), initial=timezone.localdate)


class RecordForm(forms.Form):
    minutes = _text(_("Minutes"), rows=6)
    issues_raised = _text(_("Issues raised"), rows=4, required=False)
    attendance = forms.IntegerField(
        label=_("People who took part"), min_value=0, max_value=100_000, required=False
    )


class PublishForm(forms.Form):
    results = _text(
        _("Results to publish"),
        rows=6,
        help_text=_("Shown on the public dialogues page. Write no personal details."),
    )
    published_on = _date(_("Published on"), initial=timezone.localdate)


class CancelForm(forms.Form):
    reason = _text(_("Reason for cancelling"), rows=2)


# --- grassroots mediation -------------------------------------------------------------------


class TeamForm(forms.Form):
    unit = ScopedUnitField(label=_("Village or residential group"))
    name = forms.CharField(
        label=_("Name of the team"), max_length=200, help_text=_("e.g. Tổ hòa giải bản Nà Phát")
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _set_units(self.fields["unit"], user, (Level.VILLAGE,))


class MediatorForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Mediator.Gender.choices, widget=forms.RadioSelect
    )
    is_ethnic_minority = forms.BooleanField(label=_("Ethnic minority"), required=False)
    ethnicity = forms.CharField(
        label=_("Ethnicity"), max_length=60, required=False, help_text=_("e.g. Thái, Mông, Dao")
    )
    is_leader = forms.BooleanField(label=_("Team leader"), required=False)


class MediationOpenForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=MediationTeam.objects.none())
    mediator = forms.ModelChoiceField(
        label=_("Mediator"),
        queryset=Mediator.objects.none(),
        help_text=_("An active member of the team."),
    )
    parties = _text(_("Parties"), rows=2)
    dispute = _text(_("Dispute"), rows=5)
    assigned_on = _date(_("Assigned on"), initial=timezone.localdate)

    def __init__(
        self, *args: object, user: User, team: MediationTeam | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        teams = selectors.teams_for(user).filter(is_active=True)
        self.fields["team"].queryset = teams
        mediators = Mediator.objects.filter(team__in=teams, is_active=True).select_related("team")
        if team is not None:
            self.fields["team"].initial = team.pk
            mediators = mediators.filter(team=team)
        self.fields["mediator"].queryset = mediators.order_by("team__name", "full_name")
        self.fields["mediator"].label_from_instance = lambda m: f"{m.full_name} ({m.team.name})"

    def clean(self) -> dict:
        data = super().clean()
        _not_future(self, "assigned_on")
        return data


class StartForm(forms.Form):
    started_on = _date(_("Started on"), initial=timezone.localdate)


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[c for c in MediationCase.Outcome.choices if c[0] != MediationCase.Outcome.PENDING],
    )
    outcome_on = _date(_("Date"), initial=timezone.localdate)
    agreement_terms = _text(
        _("Terms of the agreement"),
        rows=4,
        required=False,
        help_text=_("Required when the mediation succeeded."),
    )


KEPT_CHOICES = [("", _("Not known yet")), ("yes", _("Kept")), ("no", _("Not kept"))]


class FollowUpForm(forms.Form):
    note = _text(_("What the follow-up found"))
    agreement_kept = forms.TypedChoiceField(
        label=_("The agreement is"),
        choices=KEPT_CHOICES,
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )


class PeriodForm(forms.Form):
    start = _date(_("From"))
    end = _date(_("To"))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data


# --- the People's Council ---------------------------------------------------------------------


class SessionForm(forms.Form):
    council = forms.ModelChoiceField(label=_("People's Council"), queryset=Agency.objects.none())
    number = forms.IntegerField(label=_("Session number"), min_value=1, max_value=200)
    term = forms.CharField(label=_("Term"), max_length=20, help_text=_("e.g. 2021–2026"))
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    start_date = _date(_("Opens on"))
    end_date = _date(_("Closes on"))

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils_in_scope(user)

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("A session closes after it opens."))
        return data


class QuestionForm(forms.Form):
    deputy = forms.CharField(label=_("Deputy asking"), max_length=200)
    asked_agency = forms.ModelChoiceField(label=_("Agency asked"), queryset=Agency.objects.none())
    asked_official = forms.CharField(label=_("Official asked"), max_length=200, required=False)
    content = _text(_("Question"), rows=4)
    asked_on = _date(_("Asked on"))

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asked_agency"].queryset = agencies_in_scope(user).exclude(
            kind=Agency.Kind.PEOPLES_COUNCIL
        )


ANSWER_WAYS = [("session", _("In the session")), ("writing", _("In writing"))]


class AnswerForm(forms.Form):
    in_session = forms.TypedChoiceField(
        label=_("Answered"),
        choices=ANSWER_WAYS,
        coerce=lambda v: v == "session",
        widget=forms.RadioSelect,
    )
    answer = _text(_("Answer"), rows=4)
    answered_on = _date(_("Answered on"))


class ResolutionForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60, help_text=_("e.g. 15/NQ-HĐND"))
    adopted_on = _date(_("Adopted on"))
    content = _text(_("Content"), rows=4)


class VoterMeetingForm(forms.Form):
    council = forms.ModelChoiceField(label=_("People's Council"), queryset=Agency.objects.none())
    unit = ScopedUnitField(label=_("Where"))
    date = _date(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=255)
    deputies = _text(_("Deputies"), rows=2, required=False)
    before_session = forms.ModelChoiceField(
        label=_("Before the session"),
        queryset=CouncilSession.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils_in_scope(user)
        _set_units(self.fields["unit"], user, (Level.COMMUNE, Level.VILLAGE))
        self.fields["before_session"].queryset = scoped(
            user, CouncilSession.objects.select_related("council")
        ).order_by("-start_date")


class RecommendationForm(forms.Form):
    content = _text(_("Recommendation"), rows=4)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all())
    assigned_agency = forms.ModelChoiceField(label=_("Assigned to"), queryset=Agency.objects.none())
    assigned_on = _date(_("Assigned on"), initial=timezone.localdate)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_agency"].queryset = agencies_in_scope(user).exclude(
            kind=Agency.Kind.PEOPLES_COUNCIL
        )


class ReplyForm(forms.Form):
    reply = _text(_("Reply"), rows=4)
    replied_on = _date(_("Replied on"), initial=timezone.localdate)
