"""Every URL of the portal that names an object, and how the route matrix fills it from the
world (``tests.security.world``): which kind of record it takes, how its arguments are made,
whether a GET shows the record, and what a writer would post.

The URLs come from Django's resolver (``object_routes``), so a new route with an object
parameter is found without anyone listing it; ``test_every_object_route_is_in_the_matrix``
fails until it is described here (or set aside in ``NOT_OBJECT_ROUTES`` with the reason).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from complaints import volume
from complaints.confidentiality import may_see_identity
from complaints.models import Attachment, PetitionItem
from complaints.selectors import letters_for
from gov import authority
from gov.authority import Act
from gov.models import User
from gov.scoping import scoped

Args = Callable[[Model], dict[str, object]]
Payload = Callable[[Model], dict[str, object]]

# A parameter that names no object: an action's name, the admin's app label and catch-all.
NOT_OBJECT_PARAMETERS = {"action", "app_label", "url"}


@dataclass(frozen=True)
class Route:
    kind: str  # the world's kind of record that fills it
    args: Args
    shows: bool = True  # a GET shows the record; False: POST only (no GET shows anything)
    post: Payload | None = None  # what a writer posts; None: nothing to post here
    api: bool = False  # DRF: JSON posts
    public: bool = False  # a capability (a signed token): whoever holds it reads
    # The view's own rule on top of the scope, with the reason, or None.
    narrow: Callable[[User], bool] | None = None
    admin: str = ""  # the admin's view (change, delete, history, password)


def _pk(record: Model) -> dict[str, object]:
    return {"pk": record.pk}


def _action(name: str) -> Args:
    return lambda record: {"pk": record.pk, "action": name}


def _form(data: dict[str, object]) -> Payload:
    return lambda record: data


def _attachment_args(attachment: Model) -> dict[str, object]:
    item = PetitionItem.objects.filter(petition_id=attachment.petition_id).get()  # type: ignore[attr-defined]
    return {"pk": item.pk, "attachment_pk": attachment.pk}


def _answer(question: Model) -> dict[str, object]:
    prefix = f"answer-{question.pk}"
    return {
        f"{prefix}-in_session": "session",
        f"{prefix}-answer": "Sẽ xử lý ngay.",
        f"{prefix}-answered_on": "01/06/2026",
    }


def _records_reception(user: User) -> bool:
    """The calendar's cancel page is for those who record their own agency's reception
    (``reception.views.common._recorder_or_404``)."""
    return user.agency is not None and authority.may_act(user, Act.RECEPTION, user.agency)


def _nobody(user: User) -> bool:
    """A second complaint is lodged from the status page, by the citizen who opened it with the
    code and secret: no account reaches it by the item's id alone."""
    return False


API_ACTIONS: dict[str, dict[str, object]] = {
    "start-processing": {},
    "classify": {"kind": "recommendation", "sector": "giao-thong"},
    "accept": {},
    "transfer": {"agency": "so-xay-dung"},
    "guide": {"guidance": "Liên hệ cơ quan khác."},
    "file": {"reason": "Không đủ điều kiện."},
    "link-duplicate": {"original": "LC-0000"},
    "start-verification": {},
    "extend": {"reason": "Vụ việc phức tạp."},
    "conclude": {"conclusion": "Đã giải quyết."},
    "close": {"note": "Kết thúc."},
    "withdraw": {"note": "Công dân rút đơn."},
}

ROUTES: dict[str, Route] = {
    # --- petitions: pages, files, letters, the public side ---------------------------------
    "complaints:case": Route("item", _pk),
    "complaints:attachment": Route("attachment", _attachment_args),
    "complaints:case_action": Route(
        "item", _action("guide"), shows=False, post=_form({"guide-guidance": "Liên hệ xã."})
    ),
    "complaints:letter": Route("letter", _pk),
    "complaints:second_complaint": Route(
        "item", _pk, shows=False, post=_form({"summary": "Không đồng ý."}), narrow=_nobody
    ),
    "complaints:contact_confirm": Route(
        "petition", lambda p: {"token": volume.contact_token(p.pk)}, public=True
    ),
    # --- the API ---------------------------------------------------------------------------
    "complaints-api:item-detail": Route("item", _pk, api=True),
    "complaints-api:item-attachment": Route("attachment", _attachment_args, api=True),
    **{
        f"complaints-api:item-{name}": Route(
            "item", _pk, shows=False, post=_form(payload), api=True
        )
        for name, payload in API_ACTIONS.items()
    },
    # --- accounts and the directory ---------------------------------------------------------
    "gov:second_factor_reset": Route("user", _pk, shows=False, post=_form({})),
    "gov:staff_unit": Route("unit", lambda u: {"code": u.code}),  # type: ignore[attr-defined]
    "gov:staff_agency": Route("agency", lambda a: {"code": a.code}),  # type: ignore[attr-defined]
    # --- accountability ---------------------------------------------------------------------
    "dialogues:commitment": Route("commitment", _pk),
    "dialogues:commitment_action": Route(
        "commitment", _action("progress"), shows=False, post=_form({"progress-note": "Xong."})
    ),
    "dialogues:dialogue": Route("dialogue", _pk),
    "dialogues:dialogue_action": Route(
        "dialogue", _action("cancel"), shows=False, post=_form({"cancel-reason": "Hoãn."})
    ),
    "dialogues:team": Route("team", _pk),
    "dialogues:team_action": Route(
        "team",
        _action("mediator"),
        shows=False,
        post=_form({"mediator-full_name": "Nguyễn Văn Lạ", "mediator-gender": "male"}),
    ),
    "dialogues:mediation_case": Route("mediation", _pk),
    "dialogues:mediation_action": Route(
        "mediation",
        _action("start"),
        shows=False,
        post=_form({"start-started_on": "01/06/2026"}),
    ),
    "dialogues:session": Route("council_session", _pk),
    "dialogues:session_action": Route(
        "council_session",
        _action("resolution"),
        shows=False,
        post=_form(
            {
                "resolution-number": "45/NQ-HĐND",
                "resolution-adopted_on": "01/06/2026",
                "resolution-content": "Giao sửa công trình nước.",
            }
        ),
    ),
    "dialogues:question_answer": Route("question", _pk, shows=False, post=_answer),
    "dialogues:meeting": Route("voter_meeting", _pk),
    "dialogues:meeting_action": Route(
        "voter_meeting",
        _action("recommendation"),
        shows=False,
        post=_form({"recommendation-content": "Đề nghị sửa đường."}),
    ),
    "dialogues:recommendation": Route(
        "recommendation", _pk, post=_form({"reply": "Đã bố trí vốn.", "replied_on": "01/06/2026"})
    ),
    # --- reception --------------------------------------------------------------------------
    "reception:schedule_cancel": Route(
        "schedule", _pk, post=_form({"reason": "Bận họp."}), narrow=_records_reception
    ),
    "reception:session": Route(
        "reception_session",
        _pk,
        post=_form({"full_name": "Lò Văn Lạ", "address": "Bản 1", "content": "Hỏi đất."}),
    ),
}

# Routes with a parameter that are no object's page, and why.
NOT_OBJECT_ROUTES = {
    "admin:view_on_site": "Django's shortcut: no record of the portal has a public address "
    "(get_absolute_url), so it answers 404 for every id; checked in the matrix's guard",
}

# --- the admin: one change, delete and history page per model an agency owns -----------------

# The world's kind of record for each model registered in the admin with a scope.
ADMIN_KINDS = {
    "complaints.petitionitem": "item",
    "complaints.hotspot": "hotspot",
    "gov.administrativeunit": "unit",
    "gov.agency": "agency",
    "gov.user": "user",
    "reception.schedule": "schedule",
    "reception.receptionsession": "reception_session",
    "reception.visit": "visit",
    "dialogues.dialogue": "dialogue",
    "dialogues.mediationteam": "team",
    "dialogues.mediationcase": "mediation",
    "dialogues.councilsession": "council_session",
    "dialogues.question": "question",
    "dialogues.voterrecommendation": "recommendation",
    "dialogues.commitment": "commitment",
}
# Models in the admin that belong to no agency: the reference data every administrator keeps
# (their pages show no one's case), the periodic jobs' last runs (no personal data), and
# Django's groups and API tokens (superusers only).
ADMIN_REFERENCE_MODELS = {
    "gov.jobrun",
    "auth.group",
    "authtoken.tokenproxy",
    "gov.sector",
    "gov.calendarday",
    "gov.timelimitrule",
    "complaints.routingrule",
    "reception.frequencyrule",
    "privacy.retentionrule",
}
ADMIN_VIEWS = ("change", "delete", "history")


def _admin_routes() -> dict[str, Route]:
    routes = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label not in ADMIN_KINDS:
            continue
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for view in ADMIN_VIEWS:
            routes[f"{base}_{view}"] = Route(
                ADMIN_KINDS[label], lambda r: {"object_id": r.pk}, admin=view
            )
    routes["admin:auth_user_password_change"] = Route(
        "user", lambda r: {"id": r.pk}, admin="password"
    )
    return routes


def set_aside() -> dict[str, str]:
    """The object routes the matrix does not request, each with the reason."""
    reasons = dict(NOT_OBJECT_ROUTES)
    for model in admin.site._registry:
        label = model._meta.label_lower
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        bare = f"quan-tri/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"
        reasons[bare] = "Django's redirect to the change page, whatever the id"
        if label in ADMIN_REFERENCE_MODELS:
            for view in ADMIN_VIEWS:
                reasons[f"{base}_{view}"] = f"{label} belongs to no agency"
    return reasons


def all_routes() -> dict[str, Route]:
    return {**ROUTES, **_admin_routes()}


# --- the resolver ------------------------------------------------------------------------------


def _walk(
    patterns: list, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, set[str]]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            params = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
            params |= set(re.findall(r"\(\?P<(\w+)>", route))
            name = f"{namespace}:{p.name}" if p.name and namespace else (p.name or route)
            yield name, route, params


def object_routes() -> dict[str, str]:
    """Every named route (or, unnamed, its pattern) with a parameter that names an object."""
    return {
        name: route
        for name, route, params in _walk(get_resolver().url_patterns)
        if params - NOT_OBJECT_PARAMETERS
    }


# --- the oracle: gov.scoping, and the few rules the views add ----------------------------------


def reads(user: User | None, route: Route, record: Model) -> bool:
    """Whether ``user`` may see ``record`` through ``route``, by the scoping rules."""
    if route.public:
        return True
    if user is None:
        return False
    if route.narrow is not None and not route.narrow(user):
        return False
    if route.admin:
        return _admin_reads(user, route, record)
    if isinstance(record, Attachment):
        item = PetitionItem.objects.get(petition_id=record.petition_id)
        return scoped(user, PetitionItem.objects.filter(pk=item.pk)).exists() and (
            may_see_identity(user, item.petition)
        )
    if route.kind == "letter":
        return letters_for(user).filter(pk=record.pk).exists()
    if route.kind == "user":
        return scoped(user, User.objects.filter(pk=record.pk, is_active=True)).exists()
    model = type(record)
    return scoped(user, model._default_manager.filter(pk=record.pk)).exists()


def admin_in_scope(user: User | None, record: Model) -> bool:
    """An administrator whose scope holds ``record``: without the model's permission, the admin
    answers 403 (it says nothing of records out of scope: those are "no such object")."""
    if user is None or not (user.is_active and user.is_staff):
        return False
    return scoped(user, type(record)._default_manager.filter(pk=record.pk)).exists()


def _admin_reads(user: User, route: Route, record: Model) -> bool:
    """The scope, narrowed by what the model's admin adds (``gov.admin.UserAdmin`` keeps
    other administrators' accounts out) and by the account's permissions."""
    model = type(record)
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = user
    if not (user.is_active and user.is_staff):
        return False
    if not scoped(user, model._default_manager.filter(pk=record.pk)).exists():
        return False
    if not model_admin.get_queryset(request).filter(pk=record.pk).exists():
        return False
    if route.admin == "delete":
        return model_admin.has_delete_permission(request, record)
    if route.admin == "password":
        return model_admin.has_change_permission(request, record)
    return model_admin.has_view_or_change_permission(request, record)


def content_type_args(record: Model) -> dict[str, object]:
    return {
        "content_type_id": ContentType.objects.get_for_model(record).pk,
        "object_id": record.pk,
    }
