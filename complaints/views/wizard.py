"""The citizen's step-by-step form (/gui-don/): one small page per step, kept in the session,
then the page that shows the tracking code and secret once. The helpers that turn the form's
data into a ``Submission`` serve the counter's form too (``complaints.views.staff.intake``)."""

from __future__ import annotations

import datetime as dt
import math

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import SessionWizardView

from complaints import forms, services, uploads, volume
from complaints.models import Channel
from complaints.services import ItemData, Submission, SubmitterData
from gov.errors import refusal_to_messages
from gov.models import AdministrativeUnit

WIZARD_STEPS = [
    ("content", forms.FirstItemForm),
    ("second", forms.ItemForm),
    ("place", forms.PlaceForm),
    ("submitter", forms.SubmitterForm),
    ("documents", forms.AttachmentsForm),
    ("review", forms.ConfirmForm),
]


def _wants_second_item(wizard: SessionWizardView) -> bool:
    data = wizard.get_cleaned_data_for_step("content") or {}
    return bool(data.get("another_item"))


def item_data(d: dict) -> ItemData:
    return ItemData(
        kind=d["kind"],
        sector=d["sector"],
        summary=d["summary"],
        contested_decision=d.get("contested_decision", ""),
        issuer_agency=d.get("issuer_agency"),
        issuer_text=d.get("issuer_text", ""),
        decision_date=d.get("decision_date"),
        denounced_person=d.get("denounced_person", ""),
        denounced_agency=d.get("denounced_agency"),
        denounced_is_head=bool(d.get("denounced_is_head")),
    )


def submitters_data(d: dict) -> list[SubmitterData]:
    first = SubmitterData(
        full_name=d["full_name"],
        id_number=d.get("id_number", ""),
        phone=d.get("phone", ""),
        email=d.get("email", ""),
        address=d.get("address", ""),
        is_representative=d["submitter_type"] != "person",
    )
    others = [
        SubmitterData(full_name=n, is_representative=True)
        for n in forms.SubmitterForm.representatives(d)
    ]
    return [first, *others]


class _SendRefused(Exception):
    """The petition was refused when sent; ``step`` is where the citizen can mend it."""

    def __init__(self, step: str) -> None:
        super().__init__(step)
        self.step = step


class PetitionWizard(SessionWizardView):
    """The public form: one small page per step, kept in the session, so a weak connection or a
    mistake loses nothing typed, and no JavaScript is needed."""

    form_list = WIZARD_STEPS
    condition_dict = {"second": _wants_second_item}
    template_name = "complaints/wizard.html"
    storage_name = "complaints.uploads.WizardSessionStorage"

    @property
    def file_storage(self) -> Storage:
        """Files wait between steps under random names, in a folder (of the disk or of the
        bucket) swept daily of forms never sent."""
        return uploads.wizard_upload_storage()

    def post(self, *args: object, **kwargs: object) -> HttpResponse:
        """formtools moves to whatever step the posted management form names and fails on a
        name it does not know (or a step skipped by its condition): such a post is refused,
        and the step the citizen is on is shown again."""
        posted = self.request.POST.get(f"{self.prefix}-current_step")
        if posted is not None and posted not in self.get_form_list():
            messages.error(
                self.request,
                _("This step of the form does not exist. Please go on from the step below."),
            )
            response = self.render(self.get_form())
            response.status_code = 400
            return response
        # The last step (sending) spends the address's budget, shared with the API, and is
        # checked for the honeypot and, after a day's petitions, the question's answer. A
        # refusal shows the last step again: the session keeps everything typed.
        if self._sending():
            refusal = self._refusal()
            if refusal is not None:
                return refusal
        return super().post(*args, **kwargs)

    @staticmethod
    def titles() -> dict[str, str]:
        return {
            "content": _("What is your petition about?"),
            "second": _("The other matter"),
            "place": _("Where, and to whom"),
            "submitter": _("Who sends it"),
            "documents": _("Documents"),
            "review": _("Check and send"),
        }

    def get_context_data(self, form: object, **kwargs: object) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        titles = self.titles()
        context["step_title"] = titles[self.steps.current]
        context["step_titles"] = [titles[s] for s in self.steps.all]
        if self.steps.current == "review":
            context["review"] = self._review()
            if "challenge_form" not in context and volume.challenge_required(self.request):
                context["challenge_form"] = forms.ChallengeForm(
                    question=volume.new_question(self.request), prefix="challenge"
                )
        return context

    def _sending(self) -> bool:
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        return (
            not self.request.POST.get("wizard_goto_step")
            and management.is_valid()
            and management.cleaned_data["current_step"] == "review"
            and self.steps.last == "review"
        )

    def _refusal(self) -> HttpResponse | None:
        wait = volume.spend_submission(self.request)
        if wait:
            response = self._review_again(volume.retry_message(wait), status=429)
            response["Retry-After"] = str(max(1, math.ceil(wait)))
            return response
        honeypot = self.request.POST.get(self.get_form_prefix("review") + "-" + volume.HONEYPOT)
        if volume.honeypot_filled(honeypot, where="the petition form"):
            message = _(
                "A field meant to stay empty was filled in (a browser's autofill can do this)."
                " We removed it: check your petition and press Send again."
            )
            return self._review_again(message, status=400)
        if volume.challenge_required(self.request):
            challenge = forms.ChallengeForm(self.request.POST, question="", prefix="challenge")
            if not challenge.is_valid() or not volume.answer_is_right(
                self.request, challenge.cleaned_data["answer"]
            ):
                message = _("The answer to the question was not right. Please answer this one.")
                return self._review_again(message, status=400)
        return None

    def _review_again(self, message: str, *, status: int) -> HttpResponse:
        self.storage.current_step = "review"
        form = self.get_form(step="review", data=self.request.POST)
        form.is_valid()
        context: dict = {"refusal": message}
        if volume.challenge_required(self.request):
            challenge = forms.ChallengeForm(
                question=volume.new_question(self.request), prefix="challenge"
            )
            context["challenge_form"] = challenge
        response = self.render(form, **context)
        response.status_code = status
        return response

    def _review(self) -> list[tuple[str, list[tuple[str, str]]]]:
        sections = []
        for step in self.steps.all:
            if step == "review":
                continue
            form = self.get_form(
                step=step,
                data=self.storage.get_step_data(step),
                files=self.storage.get_step_files(step),
            )
            if not form.is_valid():
                continue
            rows = []
            for name, field in form.fields.items():
                value = form.cleaned_data.get(name)
                if value in (None, "", False, []) or name == "another_item":
                    continue
                if name == "group_size" and form.cleaned_data.get("submitter_type") != "group":
                    continue
                if name.startswith("file_"):
                    value = uploads.safe_name(value.name)
                elif name == "location_unit":
                    value = str(AdministrativeUnit.objects.get(pk=value))
                elif hasattr(field, "choices") and not hasattr(field, "queryset"):
                    value = dict(field.choices).get(value, value)
                elif isinstance(value, dt.date):
                    value = value.strftime("%d/%m/%Y")
                elif value is True:
                    value = _("Yes")
                rows.append((str(field.label), str(value)))
            if rows:
                sections.append((self.titles()[step], rows))
        return sections

    def render_done(self, form: object, **kwargs: object) -> HttpResponse:
        """formtools empties the session's form (and deletes its files) once ``done`` returns:
        a petition refused at sending goes back to a step with everything typed still kept."""
        try:
            return super().render_done(form, **kwargs)
        except _SendRefused as refused:
            return self.render_goto_step(refused.step)

    def done(self, form_list: list, form_dict: dict, **kwargs: object) -> HttpResponse:
        content = form_dict["content"].cleaned_data
        items = [item_data(content)]
        if "second" in form_dict:
            items.append(item_data(form_dict["second"].cleaned_data))
        place = form_dict["place"].cleaned_data
        who = form_dict["submitter"].cleaned_data
        data = Submission(
            channel=Channel.ONLINE,
            receiving_agency=place["receiving_agency"],
            location_unit=AdministrativeUnit.objects.get(pk=place["location_unit"]),
            location_address=place.get("location_address", ""),
            content="\n\n".join(i.summary for i in items),
            items=items,
            submitters=submitters_data(who),
            submitter_type=who["submitter_type"],
            organisation_name=who.get("organisation_name", ""),
            group_size=who.get("group_size") or 1,
            identity_protected=bool(who.get("identity_protected")),
            contact_email=who.get("email", ""),
            contact_phone=who.get("phone", ""),
            phone_consent=bool(who.get("phone_consent")),
            attachments=form_dict["documents"].uploads(),
        )
        try:
            result = services.petition_submit(data=data, by=None)
        except ValidationError as exc:
            refusal_to_messages(self.request, exc)
            # A file that passed its step but not the full check (a PDF that cannot be
            # cleaned, a file the antivirus finds infected): back to the documents.
            refused_files = "attachments" in getattr(exc, "error_dict", {})
            raise _SendRefused("documents" if refused_files else "content") from None
        volume.count_stored(self.request)
        self.request.session["sent_petition"] = {
            "code": result.petition.code,
            "secret": result.secret,
        }
        return HttpResponseRedirect(reverse("complaints:sent"))


def petition_sent(request: HttpRequest) -> HttpResponse:
    """Shows the tracking code and secret once, after the redirect that follows submission."""
    sent = request.session.pop("sent_petition", None)
    if not sent:
        return redirect("complaints:status")
    return render(request, "complaints/sent.html", {"sent": sent})
