"""Shapes of the petitions API.

Input serializers turn codes into rows and dd/mm/yyyy into dates; the views hand what they
validated to ``complaints.services``, which holds the rules. Output serializers never carry a
submitter's identity except what ``complaints.confidentiality`` handed the view.
"""

from __future__ import annotations

import base64
import binascii
import copy
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints import selectors
from complaints.confidentiality import masked_display
from complaints.models import Attachment, Channel, ItemEvent, Petition, PetitionItem
from complaints.services import ItemData, Submission, SubmitterData, too_many_submitters
from gov import memo
from gov.models import AdministrativeUnit, Agency, Sector, User

# Citizens and officers write dates day first; ISO 8601 is accepted for programs.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "iso-8601"]

UNKNOWN_CURRENT_AGENCY = gettext_lazy("No current agency has the code “{value}”.")
UNKNOWN_AGENCY = gettext_lazy("No agency has the code “{value}”.")
UNKNOWN_UNIT = gettext_lazy("No administrative unit has the code “{value}”.")
UNKNOWN_SECTOR = gettext_lazy("No sector has the code “{value}”.")


class CodeField(serializers.SlugRelatedField):
    """A row named by its ``code``; an unknown code gets a message that repeats it."""

    def __init__(self, *, unknown: str, **kwargs: Any) -> None:
        super().__init__(slug_field="code", error_messages={"does_not_exist": unknown}, **kwargs)

    def to_internal_value(self, data: object) -> object:
        """The row, from the rows the field can name, read in one query and kept as
        ``gov.memo`` keeps reference rows: codes of agencies, units and sectors name the same
        rows submission after submission. Only for small reference tables (a few hundred
        rows), which is what codes name."""
        if not isinstance(data, str):
            return super().to_internal_value(data)
        queryset = self.get_queryset()
        found = memo.remembered(("code-field", *self._rows_key()), lambda: _by_code(queryset)).get(
            data
        )
        if found is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return found

    def _rows_key(self) -> tuple[str, str]:
        """Which rows the field names (its model and filter), worked out once per declared
        field: an ``InputSerializer``'s copies share the declared field's queryset."""
        shared = self.queryset
        key = getattr(shared, "_code_field_key", None)
        if key is None:
            key = (shared.model._meta.label, str(shared.all().query.where))
            shared._code_field_key = key
        return key


def _by_code(queryset: Any) -> dict[str, Any]:
    """The rows of ``queryset`` by code; where two share a code, the first in its order."""
    rows: dict[str, Any] = {}
    for row in queryset:
        rows.setdefault(row.code, row)
    return rows


def date_field(**kwargs: Any) -> serializers.DateField:
    return serializers.DateField(input_formats=DATE_INPUT_FORMATS, **kwargs)


def optional_text(max_length: int | None = None) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, default="", allow_blank=True)


# --- public: submission --------------------------------------------------------------------


class InputSerializer(serializers.Serializer):
    """An input serializer whose fields are copied cheaply. DRF deep-copies every declared
    field for each serializer instance, re-creating it from deep copies of its arguments (a
    code field's queryset among them) at every request; here a plain field is copied
    shallowly, which is all binding needs: ``bind()`` sets the copy's own name and parent, and
    nothing changes a field's shared arguments (validators, choices, messages, queryset: a
    related field only reads ``queryset.all()``, a fresh clone) afterwards. Nested
    serializers are still copied deeply: each needs its own fields."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            name: copy.deepcopy(field)
            if isinstance(field, serializers.BaseSerializer)
            else copy.copy(field)
            for name, field in self._declared_fields.items()
        }


class SubmitterInSerializer(InputSerializer):
    full_name = serializers.CharField(max_length=120)
    id_number = optional_text(20)
    phone = optional_text(20)
    email = serializers.EmailField(default="", allow_blank=True)
    address = optional_text(255)
    is_representative = serializers.BooleanField(default=False)


class ItemInSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=PetitionItem.Kind.choices)
    sector = CodeField(queryset=Sector.objects.all(), unknown=UNKNOWN_SECTOR)
    summary = serializers.CharField(max_length=10_000)
    contested_decision = optional_text(255)
    issuer_agency = CodeField(
        queryset=Agency.objects.all(), unknown=UNKNOWN_AGENCY, default=None, allow_null=True
    )
    issuer_text = optional_text(200)
    decision_date = date_field(default=None, allow_null=True)
    denounced_person = optional_text(200)
    denounced_agency = CodeField(
        queryset=Agency.objects.all(), unknown=UNKNOWN_AGENCY, default=None, allow_null=True
    )
    denounced_is_head = serializers.BooleanField(default=False)


class AttachmentInSerializer(InputSerializer):
    """A file sent with the petition, its bytes in base64 (JSON has no files). What the file
    is comes from its bytes, never from its name; the service checks them
    (``complaints.uploads``) and answers 400 with a message for a file it refuses."""

    name = serializers.CharField(
        max_length=1000, help_text="The file's name, e.g. don.pdf; kept to 200 bytes."
    )
    content = serializers.CharField(
        trim_whitespace=False,
        help_text="The file's bytes in base64: a PDF, JPG, PNG or Word file of at most 10 MB.",
    )

    def validate_content(self, value: str) -> bytes:
        limit = settings.PORTAL_ATTACHMENT_MAX_BYTES
        if len(value) > (limit + 2) // 3 * 4 + 4:  # longer than the largest file's base64
            raise serializers.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
            )
        try:
            return base64.b64decode("".join(value.split()), validate=True)  # lines allowed
        except (binascii.Error, ValueError):
            raise serializers.ValidationError(_("The content is not valid base64.")) from None

    def validate(self, data: dict[str, Any]) -> UploadedFile:
        return SimpleUploadedFile(data["name"], data["content"])


class PetitionSubmitSerializer(InputSerializer):
    """A petition sent online. The channel is always "online"."""

    receiving_agency = CodeField(
        queryset=Agency.objects.filter(valid_to__isnull=True).select_related("unit"),
        unknown=UNKNOWN_CURRENT_AGENCY,
    )
    location_unit = CodeField(
        queryset=AdministrativeUnit.objects.all(),
        unknown=UNKNOWN_UNIT,
        help_text="A unit code; a former unit is mapped to the unit that replaced it.",
    )
    content = serializers.CharField(max_length=10_000)
    location_address = optional_text(255)
    contact_email = serializers.EmailField(default="", allow_blank=True)
    contact_phone = optional_text(20)
    phone_consent = serializers.BooleanField(
        default=False,
        help_text="The citizen agrees to news of the petition by SMS or Zalo at contact_phone "
        "(Law 91/2025); needs contact_phone.",
    )
    submitter_type = serializers.ChoiceField(
        choices=Petition.SubmitterType.choices, default=Petition.SubmitterType.PERSON
    )
    organisation_name = optional_text(200)
    group_size = serializers.IntegerField(min_value=1, max_value=100_000, default=1)
    identity_protected = serializers.BooleanField(default=False)
    is_anonymous = serializers.BooleanField(default=False)
    submitters = SubmitterInSerializer(
        many=True, default=list, help_text="At most PORTAL_MAX_SUBMITTERS (20) people."
    )
    items = ItemInSerializer(many=True, allow_empty=False, max_length=5)
    attachments = AttachmentInSerializer(many=True, default=list, max_length=3)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if attrs.get("phone_consent") and not attrs.get("contact_phone", "").strip():
            raise serializers.ValidationError(
                {"contact_phone": _("Give the phone number the messages should go to.")}
            )
        return attrs

    def to_internal_value(self, data: Any) -> Any:
        # Counted before each of them is validated: a request with thousands stops here.
        people = data.get("submitters") if isinstance(data, dict) else None
        if isinstance(people, list) and len(people) > settings.PORTAL_MAX_SUBMITTERS:
            raise serializers.ValidationError({"submitters": [too_many_submitters()]})
        return super().to_internal_value(data)


def submission(data: dict[str, Any]) -> Submission:
    """The service's input from validated ``PetitionSubmitSerializer`` data."""
    return Submission(
        **{
            **data,
            "channel": Channel.ONLINE,
            "items": [ItemData(**item) for item in data["items"]],
            "submitters": [SubmitterData(**s) for s in data["submitters"]],
        }
    )


class SubmissionResultSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The tracking code.")
    secret = serializers.CharField(help_text="Shown once: only a hash of it is kept.")
    status_url = serializers.URLField(help_text="POST the code and secret here to follow it.")


# --- public: status ------------------------------------------------------------------------


class StatusQuerySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    secret = serializers.CharField(max_length=20)


class PublicItemSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="get_kind_display")
    sector = serializers.CharField(source="sector.name")
    status = serializers.CharField(source="get_status_display")
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = PetitionItem
        fields = ["number", "kind", "sector", "status", "agency", "due_on"]
        read_only_fields = fields


class PublicEventSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="public_text")

    class Meta:
        model = ItemEvent
        fields = ["at", "text"]
        read_only_fields = fields


class PublicStatusSerializer(serializers.Serializer):
    """What the citizen sees: no submitter identity, no staff name."""

    code = serializers.CharField()
    received_on = serializers.DateField()
    items = PublicItemSerializer(many=True)
    timeline = PublicEventSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- staff: reading ------------------------------------------------------------------------


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["code", "name"]
        read_only_fields = fields


class SectorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name"]
        read_only_fields = fields


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name"]
        read_only_fields = fields


class ItemListSerializer(serializers.ModelSerializer):
    """A row of the inbox. Reads only what ``selectors.items_for`` joins."""

    code = serializers.CharField(source="petition.code", read_only=True)
    sector = SectorRefSerializer(read_only=True)
    agency = AgencyRefSerializer(read_only=True)
    handler = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    submitter = serializers.SerializerMethodField()

    class Meta:
        model = PetitionItem
        fields = [
            "id",
            "code",
            "number",
            "kind",
            "sector",
            "status",
            "agency",
            "handler",
            "due_on",
            "is_skip_level",
            "is_mass",
            "submitter",
        ]
        read_only_fields = fields

    def get_submitter(self, item: PetitionItem) -> str:
        return masked_display(item.petition)


class PetitionDetailSerializer(serializers.ModelSerializer):
    receiving_agency = AgencyRefSerializer(read_only=True)
    location_unit = UnitRefSerializer(read_only=True)
    unit = UnitRefSerializer(read_only=True)
    contact_email = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = [
            "code",
            "channel",
            "received_on",
            "is_backdated",
            "receiving_agency",
            "location_unit",
            "unit",
            "location_address",
            "content",
            "submitter_type",
            "organisation_name",
            "group_size",
            "is_anonymous",
            "is_signed",
            "identity_protected",
            "is_mass",
            "contact_email",
            "contact_phone",
        ]
        read_only_fields = fields

    # Contact details identify the submitter as surely as the name: shown with it or not at all.
    def get_contact_email(self, petition: Petition) -> str:
        return petition.contact_email if self.context.get("identity_visible") else ""

    def get_contact_phone(self, petition: Petition) -> str:
        return petition.contact_phone if self.context.get("identity_visible") else ""


class SubmitterOutSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    id_number = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()
    is_representative = serializers.BooleanField()
    masked = serializers.BooleanField(help_text="True when the identity is protected from you.")


class StaffEventSerializer(serializers.ModelSerializer):
    kind = serializers.CharField()
    # No actor: the citizen, or the system (a task).
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    item = serializers.IntegerField(source="item.number", read_only=True, allow_null=True)

    class Meta:
        model = ItemEvent
        fields = ["kind", "at", "item", "from_status", "to_status", "note", "actor"]
        read_only_fields = fields


class AttachmentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField(help_text="Bytes.")
    content_type = serializers.CharField(help_text="Derived from the file's bytes.")
    uploaded_at = serializers.DateTimeField()
    scan_status = serializers.ChoiceField(
        choices=Attachment.Scan.choices,
        help_text="The antivirus scan: only a clean file (or, while the portal has no scanner, "
        "one not scanned) can be downloaded; one awaiting its scan or found infected cannot.",
    )
    download_url = serializers.SerializerMethodField(
        help_text="GET with your token: the file as a download, logged; null while it cannot "
        "be downloaded (see scan_status)."
    )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, attachment: Attachment) -> str | None:
        if not attachment.may_be_sent:
            return None
        item = self.context["item"]
        url = reverse("complaints-api:item-attachment", args=[item.pk, attachment.pk])
        return self.context["request"].build_absolute_uri(url)


class ItemDetailSerializer(ItemListSerializer):
    """One item with its petition, the submitters as you may see them, and the timeline of the
    whole petition (every item, transfers included)."""

    # The view puts "submitters" (from complaints.confidentiality), "identity_visible" and
    # "timeline" in the context: the reveal of an identity is logged there, not in a serializer.

    petition = PetitionDetailSerializer(read_only=True)
    proposed_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    issuer_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    denounced_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    # "" until the item is filed or has a deadline: declared, so the schema's enum allows it
    # (a read-only model field loses its allow_blank in DRF).
    filing_ground = serializers.ChoiceField(
        choices=PetitionItem.FilingGround.choices, allow_blank=True, read_only=True
    )
    due_stage = serializers.ChoiceField(
        choices=PetitionItem._meta.get_field("due_stage").choices, allow_blank=True, read_only=True
    )
    submitters = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(ItemListSerializer.Meta):
        fields = [
            *ItemListSerializer.Meta.fields,
            "petition",
            "summary",
            "proposed_agency",
            "contested_decision",
            "issuer_agency",
            "issuer_text",
            "decision_date",
            "complaint_round",
            "first_round_item",
            "denounced_person",
            "denounced_agency",
            "denounced_is_head",
            "is_complex",
            "is_especially_complex",
            "is_remote",
            "skip_level_reason",
            "duplicate_of",
            "suspected_duplicate_of",
            "transferred_from",
            "filing_ground",
            "due_stage",
            "extensions_used",
            "accepted_on",
            "concluded_on",
            "conclusion",
            "decision_number",
            "submitters",
            "attachments",
            "timeline",
        ]
        read_only_fields = fields

    @extend_schema_field(SubmitterOutSerializer(many=True))
    def get_submitters(self, item: PetitionItem) -> list[dict[str, Any]]:
        return SubmitterOutSerializer(self.context["submitters"], many=True).data

    @extend_schema_field(AttachmentOutSerializer(many=True))
    def get_attachments(self, item: PetitionItem) -> list[dict[str, Any]]:
        """The files you may open: none of a protected identity's petition unless you may see
        the identity (the files may name or show the denouncer)."""
        context = {**self.context, "item": item}
        return AttachmentOutSerializer(self.context["attachments"], many=True, context=context).data

    @extend_schema_field(StaffEventSerializer(many=True))
    def get_timeline(self, item: PetitionItem) -> list[dict[str, Any]]:
        return StaffEventSerializer(self.context["timeline"], many=True).data


# --- staff: actions ------------------------------------------------------------------------
# Each is an entry's serializer in ``complaints.actions.REGISTRY``: its validated data are the
# service's keyword arguments. The item acted on is in the context ("item"); lookups that
# depend on it happen here, the rules of the action in the service.


class NoInputSerializer(serializers.Serializer):
    """The action takes no input."""


class ClassifySerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=PetitionItem.Kind.choices)
    sector = CodeField(queryset=Sector.objects.all(), unknown=UNKNOWN_SECTOR)
    is_complex = serializers.BooleanField(
        required=False, help_text="Left out: the item keeps its current value."
    )
    summary = serializers.CharField(
        max_length=10_000, required=False, help_text="Left out: the summary is unchanged."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.setdefault("is_complex", self.context["item"].is_complex)
        return attrs


class AcceptSerializer(serializers.Serializer):
    handler = serializers.CharField(
        max_length=150, help_text="Username of a handler or leader of the item's agency."
    )
    accepted_on = date_field(default=None, allow_null=True, help_text="Left out: today.")

    def validate_handler(self, value: str) -> User:
        item: PetitionItem = self.context["item"]
        handler = User.objects.filter(agency_id=item.agency_id, username=value).first()
        if handler is None:
            raise serializers.ValidationError(
                _("No staff member of %(agency)s has the username “%(username)s”.")
                % {"agency": item.agency.name, "username": value}
            )
        return handler


class TransferSerializer(InputSerializer):
    target = CodeField(queryset=Agency.objects.all(), unknown=UNKNOWN_AGENCY)
    note = optional_text()


class GuideSerializer(serializers.Serializer):
    guidance = serializers.CharField(help_text="Where and how the citizen should lodge it.")


class FileSerializer(serializers.Serializer):
    # Named as the item's field that it sets, which the detail shows; the service's "ground".
    filing_ground = serializers.ChoiceField(
        choices=PetitionItem.FilingGround.choices, source="ground"
    )
    note = optional_text()


class LinkDuplicateSerializer(serializers.Serializer):
    original = serializers.IntegerField(help_text="Id of the item this one duplicates.")

    def validate_original(self, value: int) -> PetitionItem:
        request = self.context["request"]
        original = selectors.items_for(request.user).filter(pk=value).first()
        if original is None:
            raise serializers.ValidationError(
                _("No petition item %(id)s among those you may see.") % {"id": value}
            )
        return original


class ExtendSerializer(serializers.Serializer):
    reason = serializers.CharField()
    especially_complex = serializers.BooleanField(default=False)


class ConcludeSerializer(serializers.Serializer):
    conclusion = serializers.CharField()
    decision_number = optional_text(60)
    concluded_on = date_field(default=None, allow_null=True, help_text="Left out: today.")


class CloseSerializer(serializers.Serializer):
    note = optional_text()


class WithdrawSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="How the citizen withdrew the petition.")
