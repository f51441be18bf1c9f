"""Pages of the petitions app. Views are thin: forms parse, services write, selectors read."""

from __future__ import annotations

import datetime as dt
import math
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import SessionWizardView

from gov import authority
from gov.audit import audit_case_view, audit_search
from gov.authority import Act
from gov.models import AdministrativeUnit, User
from gov.pagination import CappedPaginator
from gov.scoping import scoped

from . import downloads, forms, guessing, selectors, services, uploads, volume
from .confidentiality import identity_for, masked_display
from .filters import InboxFilter
from .models import Channel, Petition, PetitionItem
from .services import ActionRefused, ItemData, Submission, SubmitterData

# --- the citizen's step-by-step form ------------------------------------------------------------

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


def _item_data(d: dict) -> ItemData:
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


def _submitters(d: dict) -> list[SubmitterData]:
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
    # Files wait between steps under random names, in a folder swept daily of forms never sent.
    file_storage = uploads.WizardUploadStorage()
    storage_name = "complaints.uploads.WizardSessionStorage"

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
        items = [_item_data(content)]
        if "second" in form_dict:
            items.append(_item_data(form_dict["second"].cleaned_data))
        place = form_dict["place"].cleaned_data
        who = form_dict["submitter"].cleaned_data
        data = Submission(
            channel=Channel.ONLINE,
            receiving_agency=place["receiving_agency"],
            location_unit=AdministrativeUnit.objects.get(pk=place["location_unit"]),
            location_address=place.get("location_address", ""),
            content="\n\n".join(i.summary for i in items),
            items=items,
            submitters=_submitters(who),
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
            for message in exc.messages:
                messages.error(self.request, message)
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


def contact_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the acknowledgement e-mail. Opening it shows one button and confirms nothing
    (mail scanners open links); the button confirms the sender's e-mail."""
    petition_id = volume.petition_id_for_token(token)
    petition = Petition.objects.filter(pk=petition_id).first() if petition_id else None
    confirmed = petition is not None and petition.sender_known
    if request.method == "POST" and petition is not None and not confirmed:
        services.petition_contact_confirm(petition=petition, by=None, how="email")
        confirmed = True
    response = render(
        request,
        "complaints/contact_confirm.html",
        {"petition": petition, "confirmed": confirmed},
        status=404 if petition is None else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


FOLLOWED = "followed_petition_id"


def petition_status(request: HttpRequest) -> HttpResponse:
    """The citizen's status page: tracking code + secret, then the public timeline. A success
    is remembered in the session, so the citizen can act (a second complaint) and come back."""
    if request.GET.get("other"):
        request.session.pop(FOLLOWED, None)
    form = forms.StatusLookupForm(request.POST or None)
    petition = None
    if request.method == "POST" and form.is_valid():
        if guessing.too_many_wrong_guesses(request):
            form.add_error(None, _("Too many attempts. Please try again in an hour."))
        else:
            petition = selectors.petition_by_code_and_secret(
                form.cleaned_data["code"], form.cleaned_data["secret"]
            )
            if petition is None:
                guessing.count_wrong_guess(request)
                form.add_error(
                    None, _("No petition matches this code and secret. Check them and try again.")
                )
            else:
                request.session[FOLLOWED] = petition.pk
    elif request.method == "GET" and request.session.get(FOLLOWED):
        petition = Petition.objects.filter(pk=request.session[FOLLOWED]).first()
    context = {"form": form, "petition": petition}
    if petition is not None:
        items = list(selectors.public_items(petition))
        context.update(
            items=items,
            timeline=selectors.public_timeline(petition),
            second_complaint_items=[i for i in items if selectors.may_lodge_second_complaint(i)],
            second_form=forms.SecondComplaintForm(),
        )
    response = render(request, "complaints/status.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def second_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    """A citizen who opened the status page lodges a second complaint against a first decision."""
    petition_id = request.session.get(FOLLOWED)
    item = (
        PetitionItem.objects.filter(pk=pk, petition_id=petition_id).first() if petition_id else None
    )
    if item is None or not selectors.may_lodge_second_complaint(item):
        raise Http404
    form = forms.SecondComplaintForm(request.POST)
    if form.is_valid():
        try:
            services.second_complaint_lodge(first=item, summary=form.cleaned_data["summary"])
        except ActionRefused as exc:
            form.add_error("summary", exc.messages)
        else:
            messages.success(request, _("Your second complaint was sent."))
            return redirect("complaints:status")
    petition = item.petition
    items = list(selectors.public_items(petition))
    return render(
        request,
        "complaints/status.html",
        {
            "petition": petition,
            "items": items,
            "timeline": selectors.public_timeline(petition),
            "second_complaint_items": [item],
            "second_form": form,
        },
        status=400,
    )


# --- staff -------------------------------------------------------------------------------------


# The inbox's search terms, by token, in the officer's session: the search box posts, and the
# page's address carries the token, never the term (addresses end up in access logs, browser
# history and Referer headers). Bookmarks keep every other filter; the term lasts the session.
SEARCHES_KEY = "inbox-searches"
SEARCHES_KEPT = 20
SEARCH_MAX_LENGTH = 200


def _inbox_search(request: HttpRequest) -> HttpResponse:
    """The filter form, posted: the term goes into the session, the rest into the address."""
    params = request.POST.copy()
    params.pop("csrfmiddlewaretoken", None)
    params.pop("s", None)
    term = " ".join(params.pop("q", [""])[-1].split())[:SEARCH_MAX_LENGTH]
    if term:
        searches = dict(request.session.get(SEARCHES_KEY, {}))
        token = secrets.token_urlsafe(9)
        searches[token] = term
        request.session[SEARCHES_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
        params["s"] = token
        audit_search(request, term, where="inbox")
    # The other fields as the form sent them, as a GET form would have put them in the address
    # (an empty "open only" means all items, not the default).
    url = reverse("complaints:inbox")
    return redirect(f"{url}?{params.urlencode()}" if params else url)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _inbox_search(request)
    base = selectors.items_for(request.user)
    params = request.GET.copy()
    token = params.get("s")
    if token:
        term = request.session.get(SEARCHES_KEY, {}).get(token)
        if term is None:
            params.pop("s")
            messages.info(request, _("That search has expired: type it again."))
        else:
            params["q"] = term
    elif params.get("q"):  # an address typed or kept from before the search box posted
        audit_search(request, params["q"], where="inbox")
    if "open_only" not in params and not params.get("status"):
        params["open_only"] = "true"
    filterset = InboxFilter(params, queryset=base, request=request)
    # A refused filter value lists nothing (django-filter would skip that filter and list
    # everything else): the officer sees the message under the field, not a wider list.
    refused = not filterset.form.is_valid()
    qs = base.none() if refused else filterset.qs
    if not params.get("ordering"):
        qs = qs.order_by("due_on", "-id")
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(item, masked_display(item.petition)) for item in page.object_list]
    query = params.copy()
    query.pop("page", None)
    if "s" in query:
        query.pop("q", None)
    return render(
        request,
        "complaints/inbox.html",
        {
            "filter": filterset,
            "refused": refused,
            "page": page,
            "rows": rows,
            "today": timezone.localdate(),
            "query": query.urlencode(),
        },
    )


def _staff_or_404(request: HttpRequest) -> User:
    user = request.user
    if not (user.is_superuser or user.agency_id):
        raise Http404
    return user


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """Officer intake at the counter or by post."""
    user = _staff_or_404(request)
    form = forms.CounterIntakeForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        anonymous = d.get("is_anonymous")
        data = Submission(
            channel=d["channel"],
            received_on=d["received_on"],
            receiving_agency=d["receiving_agency"],
            location_unit=AdministrativeUnit.objects.get(pk=d["location_unit"]),
            location_address=d.get("location_address", ""),
            content=d.get("content") or d["summary"],
            items=[_item_data(d)],
            submitters=[] if anonymous else _submitters(d),
            submitter_type=d["submitter_type"],
            organisation_name=d.get("organisation_name", ""),
            group_size=d.get("group_size") or 1,
            identity_protected=bool(d.get("identity_protected")),
            is_anonymous=bool(anonymous),
            is_signed=bool(d.get("is_signed")),
            contact_email=d.get("email", ""),
            contact_phone=d.get("phone", ""),
            phone_consent=bool(d.get("phone_consent")),
        )
        try:
            result = services.petition_submit(data=data, by=user)
        except ValidationError as exc:
            for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            item = result.petition.items.order_by("number").first()
            messages.success(
                request,
                _("Petition %(code)s recorded. Secret for the citizen: %(secret)s")
                % {"code": result.petition.code, "secret": result.secret},
            )
            return redirect("complaints:case", pk=item.pk)
    return render(request, "complaints/intake.html", {"form": form})


ACTIONS = {
    "start-processing": (None, "item_start_processing"),
    "classify": (forms.ClassifyForm, "item_classify"),
    "accept": (forms.AcceptForm, "item_accept"),
    "transfer": (forms.TransferForm, "item_transfer"),
    "guide": (forms.GuideForm, "item_guide"),
    "file": (forms.FileForm, "item_file"),
    "duplicate": (forms.DuplicateForm, "item_link_duplicate"),
    "start-verification": (None, "item_start_verification"),
    "extend": (forms.ExtendForm, "item_extend"),
    "conclude": (forms.ConcludeForm, "item_conclude"),
    "close": (forms.NoteForm, "item_close"),
    "withdraw": (forms.WithdrawForm, "item_withdraw"),
    "contact": (forms.ContactConfirmForm, "item_confirm_contact"),
}


def _action_forms(
    item: PetitionItem, data: dict | None = None, only: str | None = None
) -> dict[str, object]:
    built = {}
    for name, (form_class, _service) in ACTIONS.items():
        if form_class is None or (only and name != only):
            continue
        kwargs: dict = {"prefix": name}
        if form_class is forms.AcceptForm:
            kwargs["handlers"] = selectors.same_agency_handlers(item)
        if form_class is forms.TransferForm:
            kwargs["proposed"] = item.proposed_agency
        if form_class is forms.ClassifyForm and data is None:
            kwargs["initial"] = {
                "kind": item.kind,
                "sector": item.sector_id,
                "is_complex": item.is_complex,
                "summary": item.summary,
            }
        built[name] = form_class(data, **kwargs)
    return built


def _case_context(
    request: HttpRequest, item: PetitionItem, action_forms: dict | None = None
) -> dict:
    petition = item.petition
    attachments = list(selectors.attachments_for(request.user, item))
    return {
        "item": item,
        "petition": petition,
        "siblings": scoped(request.user, petition.items.select_related("agency")).order_by(
            "number"
        ),
        "submitters": identity_for(request.user, petition, purpose="case page"),
        "timeline": selectors.staff_timeline(request.user, item),
        "deadlines": item.deadlines.select_related("rule", "created_by").order_by(
            "created_at", "id"
        ),
        "letters": selectors.letters_for(request.user).filter(petition=petition),
        "attachments": attachments,
        # Files kept with a protected identity: the page says they exist, not what they are.
        "attachments_withheld": not attachments and petition.attachments.exists(),
        "forms": action_forms or _action_forms(item),
        "today": timezone.localdate(),
        # Whoever may process the item (the widest petition act); each form's service checks
        # its own act.
        "can_act": authority.may_act(request.user, Act.PETITION_PROCESS, item.agency),
    }


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(request.user, pk)
    audit_case_view(request, item)
    return render(request, "complaints/case.html", _case_context(request, item))


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A citizen's file, from the case page: scoped, logged, downloaded (complaints.downloads)."""
    item, attachment = selectors.attachment_get(request.user, pk, attachment_pk)
    return downloads.attachment_response(request, item, attachment)


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = selectors.item_get(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, service_name = ACTIONS[action]
    service = getattr(services, service_name)
    action_forms = _action_forms(item, request.POST, only=action)
    form = action_forms.get(action)

    def _refused() -> HttpResponse:
        """The case page again, with the posted form and its errors; nothing typed is lost."""
        context = _case_context(request, item, {**_action_forms(item), **action_forms})
        return render(request, "complaints/case.html", context, status=400)

    if form is not None and not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _refused()
    kwargs = dict(form.cleaned_data) if form is not None else {}
    if action == "duplicate":
        original = _item_by_reference(request.user, kwargs.pop("original"))
        if original is None:
            form.add_error("original", _("No petition in your scope has this code."))
            return _refused()
        kwargs["original"] = original
    try:
        result = service(item=item, by=request.user, **kwargs)
    except ActionRefused as exc:
        messages.error(request, " ".join(exc.messages))
        return _refused()
    messages.success(request, _("Done: %(action)s.") % {"action": _action_label(action)})
    if (
        action == "transfer"
        and isinstance(result, PetitionItem)
        and scoped(request.user, PetitionItem.objects.filter(pk=result.pk)).exists()
    ):
        return redirect("complaints:case", pk=result.pk)
    return redirect("complaints:case", pk=item.pk)


def _action_label(action: str) -> str:
    labels = {
        "start-processing": _("processing started"),
        "classify": _("classified"),
        "accept": _("accepted"),
        "transfer": _("transferred"),
        "guide": _("citizen guided"),
        "file": _("filed"),
        "duplicate": _("linked as duplicate"),
        "start-verification": _("verification started"),
        "extend": _("deadline extended"),
        "conclude": _("concluded"),
        "close": _("closed"),
        "withdraw": _("withdrawal recorded"),
        "contact": _("the sender's contact confirmed"),
    }
    return labels[action]


def _item_by_reference(user: User, reference: str) -> PetitionItem | None:
    from .codes import normalise_code

    code, _sep, number = reference.strip().partition("/")
    qs = selectors.items_for(user).filter(petition__code=normalise_code(code))
    if number.strip().isdigit():
        qs = qs.filter(number=int(number))
    return qs.order_by("number").first()


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(selectors.letters_for(request.user), pk=pk)
    # Back to the item the letter is about, or, for an agency that reads the letter without
    # that item (a commune the item was transferred to), to its own item of it.
    visible = list(
        scoped(request.user, PetitionItem.objects.filter(petition_id=letter.petition_id))
        .order_by("number")
        .values_list("pk", flat=True)
    )
    back = letter.item_id if letter.item_id in visible else visible[0]
    return render(request, "complaints/letter.html", {"letter": letter, "back": back})
