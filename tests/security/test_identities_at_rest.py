"""Identities at rest (issue 13, item 7; gov.crypto).

A dump of the database names no submitter or visitor: their names, ID numbers, phones,
e-mails and addresses are encrypted with keys that live in the environment, and the
submitter key is a keyed pseudonym, not a hash anyone can recompute from a list of every ID
number. Detection still recognises a person, the competent handler still reads the identity,
and the keys rotate while the portal runs.
"""

from __future__ import annotations

import hashlib
import hmac
from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.utils import timezone

from complaints.confidentiality import identity_for
from complaints.detection import submitter_key
from complaints.models import Petition, PetitionItem, Submitter
from gov import crypto
from gov.models import User
from reception.models import Visit
from reception.selectors import visitor_for
from tests.complaints.factories import (
    ItemDataFactory,
    Kind,
    SubmitterDataFactory,
    agency,
    muong_kim_staff,
    sector,
    submit,
)
from tests.gov.factories import staff_of
from tests.migrations import migrate_to_latest
from tests.reception.factories import log_session, log_visit, reception_staff

pytestmark = pytest.mark.django_db

NAME = "Vừ Thị Kín Đáo"
ID_NUMBER = "012345678901"
PHONE = "0987 654 321"
EMAIL = "ky.danh.to.cao@example.vn"
ADDRESS = "Bản Hua Pầu, xã Mường Kim"
CONTACT_EMAIL = "hop.thu.rieng@example.vn"
CONTACT_PHONE = "0977 111 222"
# What a dump must not hold, each as someone searching it would write it.
PLAINTEXTS = [
    "Kín Đáo",
    "kin dao",  # folded, as the search text stores words
    ID_NUMBER,
    "987654321",
    "0987 654 321",
    "ky.danh.to.cao",
    "Hua Pầu",
    "hua pau",
    "hop.thu.rieng",
    "977111222",
]


def _denunciation(**fields: object) -> Petition:
    values: dict[str, object] = {
        "content": "Tôi tố cáo cán bộ địa chính xã thu tiền trái quy định khi đo đạc đất nương.",
        "contact_email": CONTACT_EMAIL,
        "contact_phone": CONTACT_PHONE,
        "submitters": [
            SubmitterDataFactory(
                full_name=NAME, id_number=ID_NUMBER, phone=PHONE, email=EMAIL, address=ADDRESS
            )
        ],
        "items": [
            ItemDataFactory(
                kind=Kind.DENUNCIATION,
                sector=sector("can-bo-cong-chuc"),
                summary="Tố cáo cán bộ địa chính thu tiền đo đạc trái quy định",
                denounced_person="Cán bộ địa chính xã Mường Kim",
                denounced_agency=agency("ubnd-xa-muong-kim"),
            )
        ],
    }
    values.update(fields)
    return submit(**values).petition


def _raw_text(table: str, where: str, params: list[object]) -> str:
    """Every column of the rows, as text, read with SQL: what a dump holds."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {where}", params)
        return " ".join(str(v) for row in cursor.fetchall() for v in row)


def _assert_no_plaintext(text: str) -> None:
    lowered = text.lower()
    for plain in PLAINTEXTS:
        assert plain.lower() not in lowered, plain


# --- encrypted at rest -----------------------------------------------------------------------


@pytest.mark.postgres
def test_a_dump_of_the_petition_tables_holds_no_protected_identity() -> None:
    petition = _denunciation()
    assert petition.identity_protected
    _assert_no_plaintext(_raw_text("complaints_submitter", "petition_id = %s", [petition.pk]))
    _assert_no_plaintext(_raw_text("complaints_petition", "id = %s", [petition.pk]))
    _assert_no_plaintext(_raw_text("complaints_petitionitem", "petition_id = %s", [petition.pk]))
    _assert_no_plaintext(_raw_text("complaints_itemevent", "petition_id = %s", [petition.pk]))


@pytest.mark.postgres
def test_a_dump_of_the_reception_log_holds_no_protected_visitor() -> None:
    staff = reception_staff()
    session = log_session(by=staff.reception, date=timezone.localdate())
    visit = log_visit(
        session=session,
        by=staff.reception,
        full_name=NAME,
        id_number=ID_NUMBER,
        phone=PHONE,
        address=ADDRESS,
        kind="denunciation",
        denounced="Cán bộ địa chính xã",
        identity_protected=True,
    )
    _assert_no_plaintext(_raw_text("reception_visit", "id = %s", [visit.pk]))


def test_every_submitter_is_encrypted_and_read_back_as_written() -> None:
    petition = submit(
        submitters=[SubmitterDataFactory(full_name=NAME, id_number=ID_NUMBER, phone=PHONE)]
    ).petition
    stored = _raw_text("complaints_submitter", "petition_id = %s", [petition.pk])
    assert NAME not in stored and ID_NUMBER not in stored  # unprotected too
    person = Submitter.objects.get(petition=petition)
    assert (person.full_name, person.id_number, person.phone) == (NAME, ID_NUMBER, PHONE)


def test_an_empty_value_stays_empty_and_is_the_only_thing_an_encrypted_field_is_compared_with() -> (
    None
):
    petition = submit(contact_email="").petition
    assert Petition.objects.filter(pk=petition.pk, contact_email="").exists()
    with pytest.raises(FieldError, match="encrypted"):
        Submitter.objects.filter(full_name=NAME).exists()
    with pytest.raises(FieldError):
        Submitter.objects.filter(id_number__startswith="01").exists()


def test_a_value_the_keys_do_not_open_is_an_error_not_a_ciphertext_shown_as_a_name() -> None:
    petition = submit().petition
    with (
        override_settings(PORTAL_FIELD_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(crypto.UndecryptableValue),
    ):
        Submitter.objects.get(petition=petition)


def test_generated_data_is_encrypted_as_submissions_are() -> None:
    call_command(
        "generate_data",
        items=40,
        seed=3,
        batch=20,
        allow_production_settings=True,
        stdout=StringIO(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, phone FROM complaints_submitter")
        rows = cursor.fetchall()
    assert rows and all(v.startswith("gAAAAA") for row in rows for v in row if v)
    names = [s.full_name for s in Submitter.objects.all()]
    assert all(name and not name.startswith("gAAAAA") for name in names)


# --- the submitter key -----------------------------------------------------------------------


def test_the_submitter_key_is_not_a_hash_of_the_id_number() -> None:
    petition = _denunciation()
    key = petition.submitter_key
    assert key and len(key) == 64
    for guess in (ID_NUMBER, f"id:{ID_NUMBER}", "987654321", f"phone:{'987654321'}"):
        assert key != hashlib.sha256(guess.encode()).hexdigest()
    # It is the HMAC of the ID number under the pseudonym key, which the database never holds.
    secret = b"test-only-pseudonym-key-not-secret-0123456789"
    assert key == hmac.new(secret, f"id:{ID_NUMBER}".encode(), hashlib.sha256).hexdigest()
    assert secret.decode() not in _raw_text("complaints_petition", "id = %s", [petition.pk])


def test_another_pseudonym_key_gives_another_submitter_key() -> None:
    ours = submitter_key(id_number=ID_NUMBER)
    with override_settings(PORTAL_PSEUDONYM_KEY="another-deployment-pseudonym-key-9876543210"):
        theirs = submitter_key(id_number=ID_NUMBER)
    assert ours and theirs and ours != theirs
    assert submitter_key(id_number="0123 4567 8901") == ours  # still the same person


# --- detection and reading still work --------------------------------------------------------


def test_the_same_person_sending_again_is_still_suggested_as_a_duplicate() -> None:
    officer = muong_kim_staff().reception
    text = "Đề nghị xem xét lại việc thu hồi đất nương của gia đình tôi tại bản Hua Pầu"
    person = {"id_number": ID_NUMBER, "full_name": NAME}
    first = submit(
        by=officer,
        channel="counter",
        content=text,
        submitters=[SubmitterDataFactory(**person)],
        items=[ItemDataFactory(summary=text)],
    ).petition
    again = submit(
        by=officer,
        channel="counter",
        content=text,
        submitters=[SubmitterDataFactory(**person, phone="0911000111")],
        items=[ItemDataFactory(summary=text)],
    ).petition
    assert again.submitter_key == first.submitter_key
    assert again.items.get().suspected_duplicate_of_id == first.items.get().pk


def test_five_people_on_one_matter_are_still_a_mass_complaint_and_one_person_five_times_is_not() -> (
    None
):
    officer = muong_kim_staff().reception
    text = "Phản ánh công ty khai thác đá nổ mìn làm nứt nhà dân bản Hua Pầu xã Mường Kim"

    def send(id_number: str) -> Petition:
        return submit(
            by=officer,
            channel="counter",
            content=text,
            submitters=[SubmitterDataFactory(id_number=id_number)],
            items=[ItemDataFactory(summary=text, sector=sector("moi-truong"))],
        ).petition

    same = [send(ID_NUMBER) for _ in range(5)]
    assert not any(p.is_mass for p in same)
    others = [send(f"0987654321{n:02d}") for n in range(4)]
    assert others[-1].is_mass


def test_the_competent_handler_reads_the_identity_and_others_see_the_mask() -> None:
    petition = _denunciation()
    handler = staff_of("ubnd-xa-muong-kim", User.Role.HANDLER)
    [shown] = identity_for(handler, petition, purpose="verification")
    assert (shown.full_name, shown.id_number, shown.phone, shown.email, shown.address) == (
        NAME,
        ID_NUMBER,
        PHONE,
        EMAIL,
        ADDRESS,
    )
    [masked] = identity_for(
        staff_of("ubnd-phuong-tan-phong", User.Role.HANDLER), petition, purpose="view"
    )
    assert masked.masked and NAME not in str(vars(masked))


def test_the_competent_handler_reads_a_protected_visitor() -> None:
    staff = reception_staff()
    session = log_session(by=staff.reception, date=timezone.localdate())
    visit = log_visit(
        session=session,
        by=staff.reception,
        full_name=NAME,
        id_number=ID_NUMBER,
        address=ADDRESS,
        kind="denunciation",
        identity_protected=True,
    )
    shown = visitor_for(staff.handler, Visit.objects.get(pk=visit.pk))
    assert (shown.name, shown.id_number, shown.address, shown.masked) == (
        NAME,
        ID_NUMBER,
        ADDRESS,
        False,
    )


# --- rotation --------------------------------------------------------------------------------


def _everything() -> list[tuple]:
    """Every encrypted value, decrypted: what must read the same after a rotation."""
    rows: list[tuple] = []
    for model, fields in crypto.encrypted_columns():
        for obj in model._base_manager.order_by("pk"):
            rows.append((model.__name__, obj.pk, *(getattr(obj, f.attname) for f in fields)))
    return rows


def _rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_field_keys", *args, batch_size=2, stdout=out)
    return out.getvalue()


def test_rotation_re_encrypts_everything_and_the_old_key_can_then_be_removed() -> None:
    old = crypto.field_keys()[1]
    _denunciation()
    submit(contact_email="ai.do@example.vn")
    staff = reception_staff()
    log_visit(
        session=log_session(by=staff.reception, date=timezone.localdate()), by=staff.reception
    )
    before = _everything()
    assert len(before) >= 4
    new_key = Fernet.generate_key().decode()
    with override_settings(PORTAL_FIELD_KEYS=[new_key, *settings.PORTAL_FIELD_KEYS]):
        submit(submitters=[SubmitterDataFactory(full_name="Người Gửi Trong Lúc Xoay Khóa")])
        before = _everything()
        with pytest.raises(CommandError, match="older key"):
            _rotate("--check")
        out = _rotate()
        assert "rows read" in out and "Done" in out  # progress, table by table
        assert "0 values under an older key" in _rotate("--check")
        assert "Done: 0 rows re-encrypted" in _rotate()  # run again: nothing left to do
    with override_settings(PORTAL_FIELD_KEYS=[new_key]):
        assert _everything() == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM complaints_submitter")
        tokens = [token for (token,) in cursor.fetchall()]
    assert tokens and all(Fernet(new_key.encode()).decrypt(t.encode()) for t in tokens)
    with pytest.raises(InvalidToken):
        old.decrypt(tokens[0].encode())


def test_rotation_leaves_a_row_the_portal_changed_meanwhile_as_the_portal_wrote_it() -> None:
    petition = submit().petition
    person = Submitter.objects.get(petition=petition)
    new_key = Fernet.generate_key().decode()
    with override_settings(PORTAL_FIELD_KEYS=[new_key, *settings.PORTAL_FIELD_KEYS]):

        def change(token: str) -> str | None:
            # The portal corrects the name between the rotation's read and its write.
            Submitter.objects.filter(pk=person.pk).update(full_name="Tên Đã Sửa")
            return crypto.rotated(token)

        [*_batches, progress] = crypto.rewrite_columns(
            connection,
            table="complaints_submitter",
            columns=["full_name"],
            change=change,
        )
        assert progress.changed_meanwhile >= 1
        assert Submitter.objects.get(pk=person.pk).full_name == "Tên Đã Sửa"


# --- the migration ---------------------------------------------------------------------------


@pytest.mark.slow  # migrates the schema back and forth
@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_recomputes_their_keys(
    reference_data: None,
) -> None:
    petition = _denunciation()
    key = petition.submitter_key
    staff = reception_staff()
    visit = log_visit(
        session=log_session(by=staff.reception, date=timezone.localdate()),
        by=staff.reception,
        full_name=NAME,
        id_number=ID_NUMBER,
    )
    assert visit.person_key == key  # the same person, at the counter and online
    try:
        _round_trip(petition, visit, key)
    finally:
        migrate_to_latest()


def _round_trip(petition: Petition, visit: Visit, key: str) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("complaints", "0013_privacy_consent_anonymised")])
    # Before: in clear, with the plain SHA-256 key the earlier code computed.
    plain = _raw_text("complaints_submitter", "petition_id = %s", [petition.pk])
    assert NAME in plain and ID_NUMBER in plain
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.submitter_key, i.submitter_key FROM complaints_petition p"
            " JOIN complaints_petitionitem i ON i.petition_id = p.id WHERE p.id = %s",
            [petition.pk],
        )
        assert cursor.fetchone() == (hashlib.sha256(f"id:{ID_NUMBER}".encode()).hexdigest(),) * 2
        cursor.execute(
            "SELECT person_key, full_name FROM reception_visit WHERE id = %s", [visit.pk]
        )
        assert cursor.fetchone() == (hashlib.sha256(f"id:{ID_NUMBER}".encode()).hexdigest(), NAME)
    migrate_to_latest()
    _assert_no_plaintext(_raw_text("complaints_submitter", "petition_id = %s", [petition.pk]))
    _assert_no_plaintext(_raw_text("complaints_petition", "id = %s", [petition.pk]))
    assert Petition.objects.get(pk=petition.pk).submitter_key == key
    assert PetitionItem.objects.get(petition=petition).submitter_key == key
    assert Submitter.objects.get(petition=petition).full_name == NAME
    _assert_no_plaintext(_raw_text("reception_visit", "id = %s", [visit.pk]))
    assert Visit.objects.get(pk=visit.pk).person_key == key
