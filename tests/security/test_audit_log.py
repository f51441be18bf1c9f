"""The audit log is append-only, in Python and (on PostgreSQL) in the database itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from gov.audit import audit_record, digest
from gov.models import Agency, AppendOnlyError, AuditRecord
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def record() -> AuditRecord:
    return audit_record(kind=AuditRecord.Kind.SEARCH, data={"q": digest("Nguyễn Văn A")})


def test_saving_an_existing_record_is_refused(record: AuditRecord) -> None:
    record.kind = AuditRecord.Kind.LOGIN
    with pytest.raises(AppendOnlyError):
        record.save()


def test_deleting_a_record_is_refused(record: AuditRecord) -> None:
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(pk=record.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(pk=record.pk).update(kind=AuditRecord.Kind.LOGIN)
    assert AuditRecord.objects.get(pk=record.pk).kind == AuditRecord.Kind.SEARCH


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE gov_auditrecord SET kind = 'login' WHERE id = %s",
        "DELETE FROM gov_auditrecord WHERE id = %s",
    ],
)
def test_postgresql_refuses_update_and_delete_from_any_client(
    record: AuditRecord, sql: str
) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [record.pk])
    assert AuditRecord.objects.get(pk=record.pk).kind == AuditRecord.Kind.SEARCH


def test_record_takes_the_actor_agency_and_address_from_the_request() -> None:
    handler = staff_of("so-tu-phap")
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    request.user = handler
    rec = audit_record(kind=AuditRecord.Kind.CASE_VIEW, request=request, subject=handler.agency)
    assert rec.actor == handler
    assert rec.actor_agency == handler.agency
    assert rec.username == handler.username
    assert rec.ip == "203.0.113.7"
    assert (rec.subject_type, rec.subject_id) == ("gov.agency", str(handler.agency.pk))


def test_an_address_that_is_not_one_is_not_stored() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-address")
    assert audit_record(kind=AuditRecord.Kind.LOGIN_FAILED, request=request).ip is None


def test_search_terms_are_kept_as_a_keyed_hash_only() -> None:
    rec = audit_record(kind=AuditRecord.Kind.SEARCH, data={"q": digest("Nguyễn  Văn A")})
    rec.refresh_from_db()
    assert "Nguyễn" not in str(rec.data)
    assert rec.data["q"] == digest("nguyễn văn a")  # the same term matches, whatever its case
    assert len(rec.data["q"]) == 64


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        audit_record(kind="coffee")


def test_agencies_concerned_are_kept() -> None:
    a, b = Agency.objects.all()[:2]
    rec = audit_record(kind=AuditRecord.Kind.AGENCY_CHANGE, agency=a, other_agency=b)
    assert (rec.agency, rec.other_agency) == (a, b)
