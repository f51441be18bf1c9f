"""What the accountability pages share (the staff guard is ``gov.guards.staff_view``): the action forms and the services
they call (a refusal becomes a form error and a 400), paging, the status charts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from dialogues import selectors
from gov import authority, charts
from gov.errors import refusal_to_form
from gov.guards import staff_user, staff_view
from gov.models import Agency, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50
T = TypeVar("T")


# --- forms and services ---------------------------------------------------------------------


def apply_form(form: Form, call: Callable[[dict], T]) -> T | None:
    """Validate ``form`` and call the service with its data. A refusal of the service (a
    ``ValidationError``) becomes an error of the form; ``None`` means "show the form again"."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as exc:
        refusal_to_form(form, exc)
        return None


def invalid_form(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    messages.error(request, _("Please correct the form below."))
    return render(request, template, context, status=400)


def create_page(
    request: HttpRequest,
    form: Form,
    call: Callable[[dict], Model | None],
    *,
    template: str,
    done: str,
    to: str,
    context: dict | None = None,
) -> HttpResponse:
    """A page that makes a record: the form; once posted, the service (``call`` with the
    form's data), then the new record's page (the URL named ``to``) with ``done`` said."""
    context = {"form": form, **(context or {})}
    if request.method == "POST":
        made = apply_form(form, call)
        if made is None:
            return invalid_form(request, template, context)
        messages.success(request, done)
        return redirect(to, pk=made.pk)
    return render(request, template, context)


def create_view(
    form_class: Callable[..., Form],
    service: Callable[..., Model],
    *,
    template: str,
    done: StrOrPromise,
    to: str,
) -> Callable[[HttpRequest], HttpResponse]:
    """The staff page that makes a record with ``service``: ``form_class``, built for the
    user, then the new record's page (``create_page``)."""

    @staff_view
    def view(request: HttpRequest) -> HttpResponse:
        user = staff_user(request)
        form = form_class(request.POST or None, user=user)
        return create_page(
            request,
            form,
            lambda data: service(by=user, **data),
            template=template,
            done=str(done),
            to=to,
        )

    return view


@dataclass(frozen=True)
class Action:
    """One form on a page and the service it calls: ``call(obj, user, cleaned_data)``."""

    form: type[Form]
    call: Callable[[object, User, dict], object]
    done: str
    act: str  # what ``gov.authority`` calls it: the page offers it to those who may
    needs_user: bool = False

    def build(self, name: str, user: User, data: QueryDict | None = None) -> Form:
        kwargs: dict = {"prefix": name}
        if self.needs_user:
            kwargs["user"] = user
        return self.form(data, **kwargs)


def calls(
    service: Callable[..., object], target: str, **fixed: object
) -> Callable[[object, User, dict], object]:
    """An action's call: ``service(<target>=the record, by=the user, **fixed, **form data)``."""
    return lambda obj, by, data: service(**{target: obj}, by=by, **fixed, **data)


def offered_forms(
    actions: dict[str, Action], user: User, bound: dict[str, Form] | None, owner: Agency | None
) -> dict:
    """The form of every action ``user`` may take for a record of ``owner`` (the others are
    not offered), unbound unless ``bound`` has it; keys usable in templates. A bound form is
    always shown, with the refusal that sent it back."""
    built = {
        **{
            name: a.build(name, user)
            for name, a in actions.items()
            if owner is not None and authority.may_act(user, a.act, owner)
        },
        **(bound or {}),
    }
    return {name.replace("-", "_"): form for name, form in built.items()}


def run_action(
    request: HttpRequest,
    obj: Model,
    actions: dict[str, Action],
    action: str,
    page: Callable[..., HttpResponse],
    to: str,
) -> HttpResponse:
    """POST of one action form: once done, the record's page (the URL named ``to``), else the
    page again with the form's errors and what was typed, as a 400."""
    if action not in actions:
        raise Http404
    spec = actions[action]
    form = spec.build(action, request.user, request.POST)
    if apply_form(form, lambda d: spec.call(obj, request.user, d)) is None:
        # A refusal (who may act, or what the record's state allows) is said at the top too:
        # the page may no longer show the form it came from (a cancelled dialogue's).
        refusals = form.non_field_errors()
        messages.error(request, " ".join(refusals) or _("Please correct the form below."))
        return page(request, obj, {action: form}, status=400)
    messages.success(request, str(spec.done))
    return redirect(to, pk=obj.pk)


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    return query.urlencode()


# --- charts -------------------------------------------------------------------------------------


def status_chart(
    counts: dict[str, int], url: Callable[[str], str], *, chart_id: str, title: str
) -> SafeString:
    """Promises by status, each bar a link to the list of those promises."""
    labels = selectors.status_labels()
    return charts.grouped_bars(
        chart_id=chart_id,
        title=title,
        desc=_("Number of promises in each status; each bar links to the list of those promises."),
        groups=[
            (labels[key], [(labels[key], counts[key], f"bar-{key}", url(key))]) for key in labels
        ],
    )


def count_rows(
    counts: dict[str, int], url: Callable[[str], str]
) -> list[tuple[str, str, int, str]]:
    return [(k, label, counts[k], url(k)) for k, label in selectors.status_labels().items()]
