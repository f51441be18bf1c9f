"""Identities at rest (gov.crypto): the submitters' names, ID numbers, phones, e-mails and
addresses and the petitions' contact e-mail and phone encrypted with PORTAL_FIELD_KEYS, and
the submitter keys recomputed as keyed pseudonyms (HMAC under PORTAL_PSEUDONYM_KEY) from the
plain ID number or phone, read here before it is encrypted; each item takes its petition's.

Runs in batches; on the bench's million items plan a few minutes. Reversible: the values are
decrypted and the keys put back to the plain SHA-256 the earlier code computes.
"""

import hashlib

from django.db import migrations

import gov.crypto
from gov.text import fold_diacritics

BATCH = 1000


def _basis(*, id_number: str, phone: str, full_name: str, unit_id: int | None) -> str:
    """complaints.detection.submitter_key_basis as of this migration."""
    digits = "".join(c for c in id_number if c.isalnum()).upper()
    phone_digits = "".join(c for c in phone if c.isdigit())[-9:]
    if digits:
        return f"id:{digits}"
    if len(phone_digits) >= 8:
        return f"phone:{phone_digits}"
    if full_name.strip():
        return f"name:{' '.join(fold_diacritics(full_name).split())}:{unit_id}"
    return ""


def _recompute_keys(connection, key_of) -> None:
    """Every petition's submitter key from its first submitter's plain identity, then each
    item's copy of it (PetitionItem.submitter_key)."""
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, unit_id FROM complaints_petition"
                " WHERE submitter_key <> '' AND id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            petitions = cursor.fetchall()
            if not petitions:
                break
            ids = [pk for pk, _unit in petitions]
            cursor.execute(
                "SELECT petition_id, full_name, id_number, phone FROM complaints_submitter"
                f" WHERE petition_id IN ({', '.join(['%s'] * len(ids))})"
                " ORDER BY petition_id, position, id",
                ids,
            )
            first = {}
            for petition_id, *identity in cursor.fetchall():
                first.setdefault(petition_id, identity)
            updates = []
            for pk, unit_id in petitions:
                name, id_number, phone = first.get(pk, ("", "", ""))
                basis = _basis(id_number=id_number, phone=phone, full_name=name, unit_id=unit_id)
                updates.append([key_of(basis) if basis else "", pk])
            cursor.executemany(
                "UPDATE complaints_petition SET submitter_key = %s WHERE id = %s", updates
            )
            last = ids[-1]
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE complaints_petitionitem i SET submitter_key = p.submitter_key"
                " FROM complaints_petition p"
                " WHERE p.id = i.petition_id AND i.submitter_key <> p.submitter_key"
            )
        else:
            cursor.execute(
                "UPDATE complaints_petitionitem SET submitter_key = (SELECT p.submitter_key"
                " FROM complaints_petition p WHERE p.id = complaints_petitionitem.petition_id)"
            )


SUBMITTER = ["full_name", "id_number", "phone", "email", "address"]
PETITION = ["contact_email", "contact_phone"]


def _rewrite(connection, change) -> None:
    for table, columns in [("complaints_submitter", SUBMITTER), ("complaints_petition", PETITION)]:
        for _progress in gov.crypto.rewrite_columns(
            connection, table=table, columns=columns, change=change
        ):
            pass


def _checks_now(schema_editor) -> None:
    """Rows updated twice in this transaction queue their foreign key checks to the commit;
    run them now, so that a column can be altered after (reversing runs the data part first)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forward(apps, schema_editor) -> None:
    connection = schema_editor.connection
    _recompute_keys(connection, gov.crypto.pseudonym)  # reads the identities still in clear
    _rewrite(connection, gov.crypto.encrypt)
    _checks_now(schema_editor)


def backward(apps, schema_editor) -> None:
    connection = schema_editor.connection
    _rewrite(connection, gov.crypto.decrypt)
    _recompute_keys(connection, lambda basis: hashlib.sha256(basis.encode()).hexdigest())
    _checks_now(schema_editor)



class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0013_privacy_consent_anonymised'),
    ]

    operations = [
        migrations.AlterField(
            model_name='petition',
            name='contact_email',
            field=gov.crypto.EncryptedEmailField(blank=True, max_length=254, verbose_name='e-mail for updates'),
        ),
        migrations.AlterField(
            model_name='petition',
            name='contact_phone',
            field=gov.crypto.EncryptedCharField(blank=True, max_length=20, verbose_name='phone for updates'),
        ),
        migrations.AlterField(
            model_name='submitter',
            name='address',
            field=gov.crypto.EncryptedCharField(blank=True, max_length=255, verbose_name='address'),
        ),
        migrations.AlterField(
            model_name='submitter',
            name='email',
            field=gov.crypto.EncryptedEmailField(blank=True, max_length=254, verbose_name='e-mail'),
        ),
        migrations.AlterField(
            model_name='submitter',
            name='full_name',
            field=gov.crypto.EncryptedCharField(max_length=120, verbose_name='full name'),
        ),
        migrations.AlterField(
            model_name='submitter',
            name='id_number',
            field=gov.crypto.EncryptedCharField(blank=True, max_length=20, verbose_name='ID number'),
        ),
        migrations.AlterField(
            model_name='submitter',
            name='phone',
            field=gov.crypto.EncryptedCharField(blank=True, max_length=20, verbose_name='phone'),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
