"""The one refusal (gov.errors): what it carries and how each kind of page reads it."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from gov.errors import (
    Refused,
    refusal_api_errors,
    refusal_detail,
    refusal_errors,
    refusal_to_form,
    refusal_to_messages,
)


class NoteForm(forms.Form):
    note = forms.CharField()
    day = forms.DateField(required=False)


def test_a_refusal_has_a_code_and_its_message() -> None:
    refused = Refused("Ghi lý do.")
    assert refused.code == "refused"
    assert refused.messages == ["Ghi lý do."]
    assert Refused("Quá hạn.", code="late").code == "late"


def test_a_refusal_naming_fields_is_read_by_field_and_the_rest_as_a_whole() -> None:
    refused = Refused({"note": ["Ghi lý do."], "__all__": ["Không được phép."]})
    assert refusal_errors(refused) == {"note": ["Ghi lý do."], None: ["Không được phép."]}
    assert refusal_errors(Refused("Không được phép.")) == {None: ["Không được phép."]}


def test_on_a_form_the_fields_it_has_get_their_errors_the_others_go_above() -> None:
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    refusal_to_form(form, Refused({"note": ["Ghi lý do."], "received_on": ["Ngày sai."]}))
    assert form.errors["note"] == ["Ghi lý do."]
    assert form.non_field_errors() == ["Ngày sai."]


def test_on_a_form_a_refusal_as_a_whole_may_go_under_a_field() -> None:
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    refusal_to_form(form, Refused("Không được phép."), field="note")
    assert form.errors["note"] == ["Không được phép."]
    assert form.non_field_errors() == []


def test_on_a_page_each_reason_is_a_message() -> None:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    refusal_to_messages(request, Refused({"note": ["Ghi lý do."], "day": ["Ngày sai."]}))
    assert [str(m) for m in get_messages(request)] == ["Ghi lý do.", "Ngày sai."]


def test_the_api_reads_one_sentence_or_errors_per_field() -> None:
    refused = Refused({"note": ["Ghi lý do."], "__all__": ["Không được phép."]})
    assert refusal_detail(refused) == "Ghi lý do. Không được phép."
    assert refusal_api_errors(refused) == {
        "note": ["Ghi lý do."],
        "non_field_errors": ["Không được phép."],
    }
